import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cohorts.models import Enrollment, Person, Session
from cohorts.selectors import person_for_user
from programs.models import Program, Skill
from rolloutplanner.access import role_required
from rolloutplanner.limits import parse_id
from rolloutplanner.roles import Role, role_of

from . import access, selectors
from .evidence import CHECKS
from .forms import (
    ActionPlanForm,
    AnswerForm,
    AssessmentForm,
    AssessmentImportForm,
    CoachingForm,
    FeedbackForm,
    LeaveForm,
    ObservationForm,
    QuestionForm,
    RulesForm,
)
from .models import (
    ActionPlan,
    AssessmentResult,
    Card,
    CoachingRating,
    CoachingSession,
    FeedbackResponse,
    Nudge,
    Question,
    ReinforcementRules,
    ReviewLog,
    SkillStage,
    Stage,
)
from .scheduling import policy_from
from .services import coaching as coaching_services
from .services import fitting, rescheduling
from .services import nudges as outbox
from .services import questions as question_services
from .spacing import MIN_REVIEWS_TO_FIT

ALL_ROLES = (Role.LEAD, Role.MANAGER, Role.EXECUTIVE, Role.SELLER)
OVERSEERS = (Role.LEAD, Role.MANAGER, Role.EXECUTIVE)


def _posted(request):
    """The POST data when the form was submitted (even empty), else None for an unbound form."""
    return request.POST if request.method == "POST" else None


def _program_from(request, programs):
    if request.GET.get("program"):
        chosen = parse_id(request.GET["program"])
        for program in programs:
            if program.pk == chosen:
                return program
        raise Http404
    return programs[0] if programs else None


# ---------------------------------------------------------------- help
@role_required(*ALL_ROLES)
def stage_help(request):
    rules = ReinforcementRules()
    policy = policy_from({}, rules)
    return render(
        request,
        "reinforcement/help.html",
        {
            "rules": rules,
            "retention": policy.params["desired_retention"],
            "retire_after_right": policy.params["retire_after_right"],
            "min_reviews": MIN_REVIEWS_TO_FIT,
            "stages": [s for s, _ in CHECKS],
            "rubric": CoachingRating.RUBRIC,
        },
    )


# ---------------------------------------------------------------- team matrix and overdue
@role_required(*OVERSEERS)
def team_matrix(request):
    people = access.visible_people(request.user)
    managers = []
    if role_of(request.user) != Role.MANAGER:
        managers = list(Person.objects.filter(managed_teams__isnull=False).distinct().order_by("last_name"))
        chosen = request.GET.get("manager")
        manager = next((m for m in managers if str(m.pk) == chosen), managers[0] if managers else None)
        people = people.filter(manager=manager) if manager else people.none()
    else:
        manager = person_for_user(request.user)
    programs = list(selectors.programs_with_stages())
    program = _program_from(request, programs)
    matrix = selectors.team_matrix(people=people, program=program) if program else None
    return render(
        request,
        "reinforcement/matrix.html",
        {
            "programs": programs,
            "program": program,
            "matrix": matrix,
            "managers": managers,
            "manager": manager,
            "can_log": role_of(request.user) == Role.MANAGER,
            "stage_legend": [(Stage(s).label, c) for s, c in selectors.STAGE_COLOURS.items()],
        },
    )


@role_required(Role.MANAGER)
def home_coaching_counts(request):
    """The overdue counts of the manager home card (fetched by the card after the page loads)."""
    return render(
        request,
        "reinforcement/_coaching_counts.html",
        {"counts": selectors.overdue_counts(access.coaching_manager(request.user))},
    )


@role_required(*OVERSEERS)
def overdue(request):
    people = access.visible_people(request.user)
    data = selectors.overdue_for(people)
    by_manager = {}
    for item in data["coaching_overdue"]:
        by_manager.setdefault(item["person"].manager, []).append(item)
    from .practice.selectors import overdue_reviews_for

    data["practice_reviews_overdue"] = overdue_reviews_for(people)
    return render(request, "reinforcement/overdue.html", {**data, "by_manager": by_manager.items()})


# ---------------------------------------------------------------- coaching
@role_required(*OVERSEERS)
def coaching_list(request):
    sessions = CoachingSession.objects.select_related("manager", "program").prefetch_related("sellers")
    if role_of(request.user) == Role.MANAGER:
        me = person_for_user(request.user)
        sessions = sessions.filter(manager=me) if me else sessions.none()
    return render(request, "reinforcement/coaching_list.html", {"sessions": sessions[:100]})


@role_required(Role.MANAGER)
def coaching_new(request):
    manager = access.coaching_manager(request.user)
    programs = list(selectors.programs_with_stages())
    program = _program_from(request, programs)
    sellers = selectors.sellers_of(access.visible_people(request.user)).order_by("last_name", "first_name")
    skills = (
        Skill.objects.filter(program_skills__program=program).order_by("program_skills__id")
        if program
        else Skill.objects.none()
    )
    initial = {"occurred_on": timezone.localdate(), "kind": CoachingSession.Kind.ROLE_PLAY}
    if request.GET.get("seller"):
        seller_id = parse_id(request.GET["seller"])
        initial["sellers"] = list(sellers.filter(pk=seller_id)) if seller_id else []
    form = CoachingForm(_posted(request), initial=initial, sellers=sellers, skills=skills)
    preselected_skill = request.GET.get("skill", "")
    if form.is_valid():
        data = form.cleaned_data
        session = coaching_services.coaching_session_log(
            manager=manager,
            program=program,
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            sellers=list(data["sellers"]),
            ratings=data["ratings"],
            notes=data["notes"],
            next_step=data["next_step"],
            next_step_due=data["next_step_due"],
            logged_by=request.user,
        )
        messages.success(request, "Coaching session logged; the stages have been updated.")
        if request.GET.get("next") == "matrix":
            return redirect(f"{reverse('reinforcement:matrix')}?program={program.pk}")
        return redirect("reinforcement:coaching_detail", pk=session.pk)
    return render(
        request,
        "reinforcement/coaching_form.html",
        {"form": form, "program": program, "programs": programs, "preselected_skill": preselected_skill},
    )


@role_required(*ALL_ROLES)
def coaching_detail(request, pk):
    session = access.coaching_session_for_view(request.user, pk)
    ratings = session.ratings.select_related("seller", "skill").order_by("seller__last_name", "skill__name")
    if role_of(request.user) == Role.SELLER:
        ratings = ratings.filter(seller__user=request.user)
    return render(request, "reinforcement/coaching_detail.html", {"session": session, "ratings": ratings})


@role_required(Role.MANAGER)
@require_POST
def coaching_step_done(request, pk):
    session = access.coaching_session_for_view(request.user, pk)
    if session.manager.user_id != request.user.pk:
        raise PermissionDenied
    coaching_services.coaching_next_step_done(session=session)
    messages.success(request, "Next step marked as done.")
    return redirect("reinforcement:coaching_detail", pk=pk)


# ---------------------------------------------------------------- people and progress
@role_required(*ALL_ROLES)
def person_progress(request, pk):
    person = access.person_for_view(request.user, pk)
    return _progress(request, person)


@role_required(Role.SELLER)
def my_progress(request):
    return _progress(request, access.seller_person(request.user), mine=True)


def _progress(request, person, mine=False):
    progress = selectors.seller_progress(person)
    plans = ActionPlan.objects.filter(person=person).select_related("skill", "observed_by")
    coaching = CoachingSession.objects.filter(sellers=person).select_related("manager")[:10]
    context = {
        "subject": person,
        "mine": mine,
        "plans": plans,
        "coaching": coaching,
        "leave_form": LeaveForm() if mine else None,
        "leaves": person.leaves.all()[:5],
        "can_log": role_of(request.user) == Role.MANAGER,
        **progress,
    }
    return render(request, "reinforcement/progress.html", context)


@role_required(Role.SELLER)
@require_POST
def leave_add(request):
    person = access.seller_person(request.user)
    form = LeaveForm(request.POST, instance=None)
    form.instance.person = person
    if form.is_valid():
        question_services.leave_create(person=person, **form.cleaned_data)
        messages.success(request, "Questions are paused for your leave.")
        return redirect("reinforcement:my_progress")
    progress = selectors.seller_progress(person)
    return render(
        request,
        "reinforcement/progress.html",
        {"subject": person, "mine": True, "leave_form": form, "plans": [], "coaching": [], **progress},
        status=400,
    )


# ---------------------------------------------------------------- inbox and answering
@role_required(Role.SELLER)
def inbox(request):
    person = access.seller_person(request.user)
    questions = selectors.seller_questions(person)
    recent = ReviewLog.objects.filter(card__person=person).select_related("card__question__skill")[:10]
    return render(request, "reinforcement/inbox.html", {"questions": questions, "recent": recent})


@role_required(Role.SELLER)
def card_answer(request, pk):
    card = access.own_card(request.user, pk)
    return _answer(request, card, nudge=None, template="reinforcement/answer.html")


@login_not_required
def answer_by_link(request, token):
    """One question, answered from the e-mail link without logging in."""
    try:
        payload = outbox.answer_token_read(token)
    except signing.SignatureExpired:
        return _refused(
            request,
            "This link has expired.",
            "Links in question e-mails work for a week. Log in and open your inbox to answer the question.",
        )
    except signing.BadSignature:
        return _refused(
            request,
            "This link is not valid.",
            "It may have been cut short or changed. "
            "Open the link from the e-mail again, or answer from your inbox after logging in.",
        )
    nudge = (
        Nudge.objects.select_related("card__question__skill", "card__program", "person")
        .filter(pk=payload.get("n"), card_id=payload.get("c"), person_id=payload.get("p"))
        .first()
    )
    if (
        nudge is None
        or nudge.card is None
        or nudge.card.person_id != nudge.person_id
        or not nudge.person.is_active
    ):
        return _refused(
            request, "This question is not available.", "It may have been withdrawn by your enablement team."
        )
    if request.user.is_authenticated:
        me = person_for_user(request.user)
        if me is None or me.pk != nudge.person_id:
            return _refused(
                request,
                "This question belongs to someone else.",
                "Answer links only work for the person they were sent to.",
            )
    return _answer(request, nudge.card, nudge=nudge, template="reinforcement/answer_public.html")


def _refused(request, title, detail):
    return render(
        request, "reinforcement/answer_refused.html", {"title": title, "detail": detail}, status=403
    )


def _answer(request, card, *, nudge, template):
    """Show the question while it waits for an answer; otherwise say when it comes next.

    Nothing is written unless the card is waiting: the service checks again under a claim.
    """
    context = {"question": card.question, "card": card}
    if not Card.objects.waiting(timezone.now()).filter(pk=card.pk).exists():
        return _already(request, template, context, card.due_at if card.retired_at is None else None)
    form = AnswerForm(_posted(request), question=card.question)
    if request.method == "POST" and form.is_valid():
        try:
            log = question_services.card_answer(
                card=card,
                chosen_index=form.cleaned_data["choice"],
                confidence=form.cleaned_data["confidence"],
                nudge=nudge,
            )
        except question_services.AlreadyAnswered as refused:
            return _already(request, template, context, refused.next_on, status=409)
        return render(request, template, {**context, "log": log})
    return render(request, template, {**context, "form": form})


def _already(request, template, context, next_on, status=200):
    log = ReviewLog.objects.filter(card=context["card"]).order_by("-reviewed_at", "-id").first()
    return render(
        request, template, {**context, "log": log, "already": True, "next_on": next_on}, status=status
    )


# ---------------------------------------------------------------- question bank
@role_required(Role.LEAD, Role.EXECUTIVE)
def question_list(request):
    questions = Question.objects.select_related("skill").annotate(card_count=Count("cards"))
    skill = parse_id(request.GET.get("skill"))
    if skill:
        questions = questions.filter(skill_id=skill)
    skills = Skill.objects.annotate(n=Count("questions")).order_by("name")
    return render(request, "reinforcement/question_list.html", {"questions": questions, "skills": skills})


@role_required(Role.LEAD)
def question_new(request):
    form = QuestionForm(_posted(request), initial={"skill": request.GET.get("skill")})
    if form.is_valid():
        data = form.cleaned_data
        question_services.question_create(
            skill=data["skill"],
            prompt=data["prompt"],
            choices=data["choices"],
            correct_index=data["correct_index"],
            explanation=data["explanation"],
            author=request.user,
        )
        messages.success(request, "Question added to the bank.")
        return redirect("reinforcement:questions")
    return render(request, "reinforcement/question_form.html", {"form": form})


@role_required(Role.LEAD)
def question_edit(request, pk):
    question = get_object_or_404(Question, pk=pk)
    form = QuestionForm(_posted(request), initial=QuestionForm.initial_for(question))
    if form.is_valid():
        data = form.cleaned_data
        question_services.question_update(
            question=question,
            prompt=data["prompt"],
            choices=data["choices"],
            correct_index=data["correct_index"],
            explanation=data["explanation"],
            is_active=data["is_active"],
        )
        messages.success(request, "Question saved.")
        return redirect("reinforcement:questions")
    return render(request, "reinforcement/question_form.html", {"form": form, "question": question})


# ---------------------------------------------------------------- action plans
@role_required(Role.SELLER, Role.MANAGER, Role.LEAD, Role.EXECUTIVE)
def plan_list(request):
    people = access.visible_people(request.user)
    plans = ActionPlan.objects.filter(person__in=people).select_related("person", "skill", "observed_by")
    return render(
        request,
        "reinforcement/plan_list.html",
        {
            "plans": plans[:200],
            "can_add": role_of(request.user) == Role.SELLER,
            "can_observe": role_of(request.user) == Role.MANAGER,
        },
    )


@role_required(Role.SELLER)
def plan_new(request):
    person = access.seller_person(request.user)
    skills = Skill.objects.filter(program_skills__skill_stages__person=person).distinct()
    form = ActionPlanForm(_posted(request), skills=skills)
    if form.is_valid():
        coaching_services.action_plan_create(person=person, **form.cleaned_data)
        messages.success(request, "Action plan saved. Your manager can confirm it once they see it applied.")
        return redirect("reinforcement:plans")
    return render(request, "reinforcement/plan_form.html", {"form": form})


@role_required(Role.MANAGER)
def plan_observe(request, pk):
    plan, manager = access.plan_for_observation(request.user, pk)
    form = ObservationForm(_posted(request))
    if form.is_valid():
        coaching_services.action_plan_observe(
            plan=plan, manager=manager, observation=form.cleaned_data["observation"], actor=request.user
        )
        messages.success(request, f"Application confirmed for {plan.person.full_name}.")
        return redirect("reinforcement:plans")
    return render(request, "reinforcement/plan_observe.html", {"form": form, "plan": plan})


# ---------------------------------------------------------------- assessments
@role_required(Role.LEAD, Role.EXECUTIVE)
def assessments(request, program_pk):
    program = get_object_or_404(Program, pk=program_pk)
    is_lead = role_of(request.user) == Role.LEAD
    people = Person.objects.filter(level=Person.Level.INDIVIDUAL, is_active=True).order_by("last_name")
    form = AssessmentForm(_posted(request), program=program, people=people) if is_lead else None
    import_form = AssessmentImportForm() if is_lead else None
    if request.method == "POST":
        if not is_lead:
            raise PermissionDenied
        if form.is_valid():
            coaching_services.assessment_record(recorded_by=request.user, **form.cleaned_data)
            messages.success(request, "Assessment recorded.")
            return redirect("reinforcement:assessments", program_pk=program.pk)
    results = AssessmentResult.objects.filter(program_skill__program=program).select_related(
        "person", "program_skill__skill"
    )
    gaps = (
        results.values("program_skill__skill__name", "kind")
        .annotate(avg=Avg("score"), n=Count("id"))
        .order_by("program_skill__skill__name", "kind")
    )
    summary = {}
    for row in gaps:
        summary.setdefault(row["program_skill__skill__name"], {})[row["kind"]] = row
    return render(
        request,
        "reinforcement/assessments.html",
        {
            "program": program,
            "form": form,
            "import_form": import_form,
            "results": results[:200],
            "summary": summary.items(),
        },
    )


@role_required(Role.LEAD)
@require_POST
def assessments_import(request, program_pk):
    program = get_object_or_404(Program, pk=program_pk)
    form = AssessmentImportForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        report = coaching_services.assessments_import(
            program=program, csv_file=form.cleaned_data["file"], recorded_by=request.user
        )
        if not report.errors:
            messages.success(request, f"Imported {report.imported} assessment results.")
            return redirect("reinforcement:assessments", program_pk=program.pk)
    return render(
        request,
        "reinforcement/assessment_import_errors.html",
        {"program": program, "form": form, "report": report},
        status=400,
    )


# ---------------------------------------------------------------- session feedback
def _attended_session(user, pk):
    person = access.seller_person(user) if role_of(user) == Role.SELLER else person_for_user(user)
    if person is None:
        raise PermissionDenied
    session = get_object_or_404(
        Session.objects.select_related("cohort__program", "trainer"),
        pk=pk,
        enrollments__person=person,
        enrollments__attendance=Enrollment.Attendance.ATTENDED,
    )
    return session, person


@role_required(Role.SELLER, Role.MANAGER)
def feedback_form(request, session_pk):
    session, person = _attended_session(request.user, session_pk)
    existing = FeedbackResponse.objects.filter(session=session, person=person).first()
    form = FeedbackForm(_posted(request), instance=existing)
    if form.is_valid():
        coaching_services.feedback_submit(session=session, person=person, **form.cleaned_data)
        messages.success(request, "Thank you for your feedback.")
        return redirect("home")
    return render(request, "reinforcement/feedback_form.html", {"form": form, "session": session})


@role_required(Role.LEAD, Role.EXECUTIVE)
def feedback_results(request):
    by_session = (
        FeedbackResponse.objects.values(
            "session_id", "session__title", "session__starts_at", "session__cohort__program__name"
        )
        .annotate(avg=Avg("rating"), n=Count("id"))
        .order_by("-session__starts_at")
    )
    by_trainer = (
        FeedbackResponse.objects.values(
            "session__trainer__username", "session__trainer__first_name", "session__trainer__last_name"
        )
        .annotate(avg=Avg("rating"), n=Count("id"), sessions=Count("session", distinct=True))
        .order_by("-avg")
    )
    comments = FeedbackResponse.objects.exclude(comments="").select_related("session")[:30]
    return render(
        request,
        "reinforcement/feedback_results.html",
        {"by_session": by_session, "by_trainer": by_trainer, "comments": comments},
    )


@role_required(Role.SELLER)
def my_feedback(request):
    person = access.seller_person(request.user)
    sessions = Session.objects.filter(
        enrollments__person=person, enrollments__attendance=Enrollment.Attendance.ATTENDED
    ).select_related("cohort__program")
    given = set(FeedbackResponse.objects.filter(person=person).values_list("session_id", flat=True))
    return render(request, "reinforcement/my_feedback.html", {"sessions": sessions, "given": given})


# ---------------------------------------------------------------- program rules
@role_required(Role.LEAD, Role.EXECUTIVE)
def program_rules(request, program_pk):
    program = get_object_or_404(Program, pk=program_pk)
    rules = ReinforcementRules.for_program(program)
    # The form validates onto its own copy: a rejected post must not reach the spacing card,
    # which shows the rules in force (and cannot build a policy from out-of-range bounds).
    form = RulesForm(_posted(request), instance=copy.copy(rules))
    if request.method == "POST":
        if role_of(request.user) != Role.LEAD:
            raise PermissionDenied
        if form.is_valid():
            values = dict(form.cleaned_data.items())
            coaching_services.rules_save(program=program, user=request.user, **values)
            messages.success(request, "Rules saved; the stages are recomputed in the background.")
            return redirect("reinforcement:rules", program_pk=program.pk)
    counts = dict(
        SkillStage.objects.filter(program_skill__program=program)
        .values_list("stage")
        .annotate(n=Count("id"))
        .order_by()
    )
    return render(
        request,
        "reinforcement/rules.html",
        {
            "program": program,
            "rules": rules,
            "form": form,
            "stage_counts": [(label, counts.get(value, 0)) for value, label in Stage.choices],
            "can_edit": role_of(request.user) == Role.LEAD,
            "spacing": selectors.program_spacing(program, rules),
            "calibration": selectors.calibration(program),
            "job": selectors.reschedule_job_latest(program),
            "stages_state": selectors.stages_recompute_state(rules),
        },
    )


@role_required(Role.LEAD)
@require_POST
def spacing_defaults(request, program_pk):
    program = get_object_or_404(Program, pk=program_pk)
    fitting.program_spacing_reset(program=program, user=request.user)
    messages.success(
        request,
        "Back to the default spacing policy; the answered questions are rescheduled in the background.",
    )
    return redirect("reinforcement:rules", program_pk=program.pk)


@role_required(Role.LEAD)
@require_POST
def spacing_resume(request, program_pk):
    program = get_object_or_404(Program, pk=program_pk)
    fitting.program_spacing_resume(program=program)
    messages.success(request, "Fitting is on again: the policy is fitted at the next nightly run.")
    return redirect("reinforcement:rules", program_pk=program.pk)


@role_required(Role.LEAD)
@require_POST
def spacing_reschedule(request, program_pk):
    """Start rescheduling again under the current policy (after a failed or lost job)."""
    program = get_object_or_404(Program, pk=program_pk)
    _, started = rescheduling.reschedule_again(program=program, user=request.user)
    if started:
        messages.success(request, "Rescheduling the answered questions again, in the background.")
    else:
        messages.info(request, "The answered questions are already being rescheduled under this policy.")
    return redirect("reinforcement:rules", program_pk=program.pk)


@role_required(Role.LEAD, Role.EXECUTIVE)
def spacing_reschedule_progress(request, program_pk):
    """The rules page's rescheduling panel, polled while a job runs."""
    program = get_object_or_404(Program, pk=program_pk)
    return render(
        request,
        "reinforcement/_reschedule_job.html",
        {
            "program": program,
            "job": selectors.reschedule_job_latest(program),
            "can_edit": role_of(request.user) == Role.LEAD,
        },
    )
