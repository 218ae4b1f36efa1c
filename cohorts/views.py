"""Views of the cohorts app: parse, check access, call one service, redirect or render."""

import csv
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from programs.models import Program
from rolloutplanner.jobs import job_reap_if_stale
from rolloutplanner.limits import parse_id
from rolloutplanner.pagination import page_and_query
from rolloutplanner.roles import Role, role_of

from . import access
from .accounts.selectors import with_account_state
from .calendars import calendar_bytes, feed_url, person_for_feed_token
from .demo import demo_org_csv
from .forms import GenerateForm, ImportForm, MergeForm, MoveForm, PeopleFilterForm, ScheduleForm, SessionForm
from .models import Cohort, CohortMember, Enrollment, ImportJob, Person, Session, Wave
from .orgcsv import COLUMN_HELP, COLUMNS, TEMPLATE_ROWS, export_rows
from .selectors import Violations, person_for_user, plan_violations
from .services import plan_update, planning
from .services import sessions as session_services
from .services.org_import import org_import_start
from .services.people import membership_decide, membership_nominate
from .services.planning import is_eligible
from .timeline import program_timeline

PEOPLE_PER_PAGE = 50


class _Echo:
    def write(self, value):
        return value


# ---------------------------------------------------------------- org chart


def people_list(request):
    people = with_account_state(access.people_visible_to(request.user))
    form = PeopleFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:  # a few distinct words (the form bounds them): every word must match somewhere
            match = Q()
            for word in data["q"]:
                match &= (
                    Q(first_name__icontains=word)
                    | Q(last_name__icontains=word)
                    | Q(email__icontains=word)
                    | Q(title__icontains=word)
                )
            people = people.filter(match)
        for name in ("region", "team", "location"):
            if data[name]:
                people = people.filter(**{name: data[name]})
        if data["account"]:
            people = people.filter(account_state=data["account"])
    people = people.select_related("team", "location", "region", "manager", "user")
    page, query = page_and_query(request, people, PEOPLE_PER_PAGE)
    return render(
        request,
        "cohorts/people_list.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_import": role_of(request.user) == Role.LEAD,
        },
    )


PEOPLE_SEARCH_LIMIT = 20


def people_search(request):
    """JSON for the person picker: at most 20 active people the user may see whose name or
    e-mail address contains every word typed (two characters at least). `level` narrows to
    levels (comma-separated, e.g. manager,director)."""
    try:
        people = access.people_visible_to(request.user)
    except PermissionDenied:
        return JsonResponse({"error": "You may not look people up."}, status=403)
    words = request.GET.get("q", "").split()[:4]
    if len("".join(words)) < 2:
        return JsonResponse({"results": []})
    people = people.filter(is_active=True)
    levels = [v for v in request.GET.get("level", "").split(",") if v in Person.Level.values]
    if levels:
        people = people.filter(level__in=levels)
    for word in words:
        people = people.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    found = people.select_related("team").order_by("last_name", "first_name", "pk")[:PEOPLE_SEARCH_LIMIT]
    return JsonResponse(
        {
            "results": [
                {
                    "id": p.pk,
                    "name": p.full_name,
                    "team": p.team.name if p.team else "",
                    "detail": " · ".join(
                        part for part in (p.title, p.team.name if p.team else "", p.email) if part
                    ),
                }
                for p in found
            ]
        }
    )


def person_detail(request, pk):
    person = access.person_for(request.user, pk)
    chain_ids = [int(part) for part in person.org_path.strip("/").split("/") if part][:-1]
    line = Person.objects.in_bulk(chain_ids)
    reporting_line = [line[i] for i in chain_ids if i in line]
    reports = person.direct_reports.select_related("team").order_by("last_name", "first_name")
    enrollments = person.enrollments.select_related("session__cohort__program").order_by("session__starts_at")
    return render(
        request,
        "cohorts/person_detail.html",
        {"person": person, "reporting_line": reporting_line, "reports": reports, "enrollments": enrollments},
    )


def people_export(request):
    access.require_role(request.user, access.PLAN_READERS)
    writer = csv.writer(_Echo())
    rows = (writer.writerow(row) for row in export_rows(Person.objects.order_by("email")))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="org-chart-{date.today():%Y-%m-%d}.csv"'
    return response


def import_template(request):
    access.require_role(request.user, (Role.LEAD,))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="org-chart-template.csv"'
    writer = csv.DictWriter(response, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(TEMPLATE_ROWS)
    return response


def import_demo_file(request):
    """The demo org as a CSV file, with this week's changes (new hires), to try the import."""
    access.require_role(request.user, (Role.LEAD,))
    response = HttpResponse(demo_org_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="demo-org-chart.csv"'
    return response


@require_http_methods(["GET", "POST"])
def import_upload(request):
    access.require_role(request.user, (Role.LEAD,))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = org_import_start(user=request.user, file_name=upload.name, content=upload.read())
        return redirect("cohorts:import_detail", pk=job.pk)
    jobs = ImportJob.objects.defer("content").select_related("created_by")[:10]
    return render(
        request, "cohorts/import_upload.html", {"form": form, "jobs": jobs, "columns": COLUMN_HELP.items()}
    )


def _job(request, pk):
    access.require_role(request.user, (Role.LEAD,))
    return job_reap_if_stale(get_object_or_404(ImportJob.objects.defer("content"), pk=pk))


def import_detail(request, pk):
    return render(request, "cohorts/import_detail.html", {"job": _job(request, pk)})


def import_progress(request, pk):
    """The progress card alone, polled by the detail page until the job finishes."""
    return render(request, "cohorts/_import_progress.html", {"job": _job(request, pk)})


# ---------------------------------------------------------------- plans


def index(request):
    access.require_role(request.user, access.PLAN_READERS)
    programs = Program.objects.annotate(
        wave_count=Count("waves", distinct=True),
        cohort_count=Count("cohorts", distinct=True),
        in_scope=Count("members", filter=Q(members__status=CohortMember.Status.CONFIRMED), distinct=True),
    ).order_by("name")
    return render(request, "cohorts/index.html", {"programs": programs})


PLAN_COHORTS_PER_WAVE = 100


def plan_detail(request, program_id):
    program = access.program_for(request.user, program_id)
    waves = list(Wave.objects.filter(program=program).order_by("number"))
    cohorts = list(
        Cohort.objects.filter(program=program)
        .select_related("wave")
        .annotate(
            size=Count("members", filter=Q(members__status=CohortMember.Status.CONFIRMED), distinct=True),
            pending=Count(
                "members",
                filter=Q(members__status__in=[CohortMember.Status.PROPOSED, CohortMember.Status.NOMINATED]),
                distinct=True,
            ),
            session_count=Count("sessions", distinct=True),
        )
    )
    mix = {}
    for cohort_id, function, count in (
        CohortMember.objects.filter(program=program, cohort__isnull=False)
        .exclude(status=CohortMember.Status.DECLINED)
        .values_list("cohort_id", "person__function")
        .annotate(n=Count("pk"))
    ):
        mix.setdefault(cohort_id, []).append((Person.Function(function).label, count))
    for cohort in cohorts:
        cohort.mix = sorted(mix.get(cohort.pk, []))
    by_wave = {wave.pk: [] for wave in waves}
    for cohort in cohorts:
        by_wave[cohort.wave_id].append(cohort)
    for wave in waves:
        wave.cohort_list = by_wave[wave.pk]
        wave.people = sum(c.size for c in wave.cohort_list)
        wave.cohort_count = len(wave.cohort_list)
        wave.cohort_list = wave.cohort_list[:PLAN_COHORTS_PER_WAVE]
    violations = plan_violations(program) if waves else Violations()
    counts = dict(
        CohortMember.objects.filter(program=program).values_list("status").annotate(n=Count("pk")).order_by()
    )
    unplaced = CohortMember.objects.filter(
        program=program, status=CohortMember.Status.CONFIRMED, cohort__isnull=True
    ).count()
    nominations = (
        CohortMember.objects.filter(program=program, status=CohortMember.Status.NOMINATED).select_related(
            "person__team", "cohort"
        )[:200]
        if role_of(request.user) == Role.LEAD
        else []
    )
    return render(
        request,
        "cohorts/plan_detail.html",
        {
            "program": program,
            "waves": waves,
            "violations": violations[:100],
            "violation_count": len(violations),
            "manager_pairs": violations.pairs,
            "counts": {CohortMember.Status(k).label: v for k, v in counts.items()},
            "unplaced": unplaced,
            "nominations": nominations,
            "can_edit": role_of(request.user) == Role.LEAD,
        },
    )


PREVIEW_COHORTS_PER_WAVE = 60


@require_http_methods(["GET", "POST"])
def plan_generate(request, program_id):
    """GET previews the plan for the chosen cohort size; POST regenerates the same plan and saves it.

    Once attendance is recorded the plan cannot be regenerated: the preview then shows who the
    current design adds (into cohorts with room, or a new wave) and POST adds exactly them.
    """
    program = access.program_for(request.user, program_id, edit=True)
    form = GenerateForm(request.POST or request.GET or None)
    locked = planning.plan_is_locked(program)
    if request.method == "POST" and form.is_valid():
        plan = planning.plan_build(program, cohort_size=form.cleaned_data["cohort_size"])
        if locked:
            added = plan_update.plan_update_save(update=plan_update.plan_update_build(program, plan))
            messages.success(request, f"{added} newly in-scope people added; everyone else stays put.")
            return redirect("cohorts:plan", program_id=program.pk)
        cohorts, members = planning.plan_save(program=program, plan=plan, user=request.user)
        messages.success(request, f"Plan saved: {cohorts} cohorts, {members} people.")
        return redirect("cohorts:plan", program_id=program.pk)
    plan = None
    if form.is_bound and form.is_valid():
        plan = planning.plan_build(program, cohort_size=form.cleaned_data["cohort_size"])
    elif not form.is_bound:
        form = GenerateForm(initial={"cohort_size": planning.DEFAULT_COHORT_SIZE})
        plan = planning.plan_build(program)
    return render(
        request,
        "cohorts/plan_generate.html",
        {
            "program": program,
            "form": form,
            "plan": plan,
            "update": plan_update.plan_update_build(program, plan) if plan and locked else None,
            "preview_limit": PREVIEW_COHORTS_PER_WAVE,
            "has_plan": Wave.objects.filter(program=program).exists(),
        },
    )


@require_POST
def member_move(request, program_id):
    program = access.program_for(request.user, program_id, edit=True)
    form = MoveForm(request.POST, program=program)
    if not form.is_valid():
        messages.error(request, "Pick a cohort of this program to move the person to.")
        return redirect(_safe_next(request, reverse("cohorts:plan", args=[program.pk])))
    member = get_object_or_404(
        CohortMember.objects.select_related("person"), program=program, person_id=form.cleaned_data["person"]
    )
    planning.member_move(member=member, cohort=form.cleaned_data["cohort"])
    messages.success(request, f"{member.person} moved to {form.cleaned_data['cohort']}.")
    return redirect(_safe_next(request, reverse("cohorts:plan", args=[program.pk])))


def _safe_next(request, default):
    """The posted `next` when it points back into this site, else `default` (no open redirect)."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe and target.startswith("/") else default


def cohort_detail(request, pk):
    cohort = access.cohort_for(request.user, pk)
    members = cohort.members.select_related("person__team", "person__location").order_by(
        "person__last_name", "person__first_name"
    )
    sessions = cohort.sessions.select_related("location", "trainer").annotate(
        seats=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.ENROLLED)),
        waiting=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.WAITLISTED)),
    )
    functions = (
        members.exclude(status=CohortMember.Status.DECLINED)
        .values_list("person__function")
        .annotate(n=Count("pk"))
        .order_by()
    )
    levels = (
        members.exclude(status=CohortMember.Status.DECLINED)
        .values_list("person__level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return render(
        request,
        "cohorts/cohort_detail.html",
        {
            "cohort": cohort,
            "members": members,
            "sessions": sessions,
            "mix_functions": sorted((Person.Function(f).label, n) for f, n in functions),
            "mix_levels": sorted((Person.Level(v).label, n) for v, n in levels),
            "move_form": MoveForm(program=cohort.program),
            "merge_form": MergeForm(cohort=cohort),
            "can_edit": role_of(request.user) == Role.LEAD,
        },
    )


@require_POST
def cohort_split(request, pk):
    cohort = access.cohort_for(request.user, pk, edit=True)
    try:
        new = planning.cohort_split(cohort=cohort)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("cohorts:cohort", pk=cohort.pk)
    messages.success(request, f"Split: half of the people are now in {new}.")
    return redirect("cohorts:cohort", pk=cohort.pk)


@require_POST
def cohort_merge(request, pk):
    cohort = access.cohort_for(request.user, pk, edit=True)
    form = MergeForm(request.POST, cohort=cohort)
    if not form.is_valid():
        messages.error(request, "Pick another cohort of this program to merge into.")
        return redirect("cohorts:cohort", pk=cohort.pk)
    try:
        into = planning.cohort_merge(cohort=cohort, into=form.cleaned_data["into"])
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("cohorts:cohort", pk=cohort.pk)
    messages.success(request, f"{cohort.name} merged into {into}.")
    return redirect("cohorts:cohort", pk=into.pk)


# ---------------------------------------------------------------- sessions


@require_http_methods(["GET", "POST"])
def program_schedule(request, program_id):
    program = access.program_for(request.user, program_id, edit=True)
    initial = {"first_day": program.start_date or (timezone.localdate() + timedelta(days=14))}
    form = ScheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        created = session_services.sessions_schedule(program=program, **form.cleaned_data)
        if created:
            messages.success(request, f"{len(created)} sessions scheduled and their cohorts enrolled.")
        else:
            messages.info(request, "Every cohort already has a session; nothing was added.")
        return redirect("cohorts:timeline", program_id=program.pk)
    pending = Cohort.objects.filter(program=program, sessions__isnull=True).count()
    return render(request, "cohorts/schedule.html", {"program": program, "form": form, "pending": pending})


@require_POST
def program_invite(request, program_id):
    program = access.program_for(request.user, program_id, edit=True)
    pending = (
        Enrollment.objects.filter(session__cohort__program=program, invited_at__isnull=True)
        .exclude(status=Enrollment.Status.CANCELLED)
        .count()
    )
    if pending:
        session_services.program_invitations_start(program=program)
        messages.success(request, f"Sending {pending} invitations in the background.")
    else:
        messages.info(request, "Everyone has been invited already.")
    return redirect("cohorts:timeline", program_id=program.pk)


@require_http_methods(["GET", "POST"])
def session_create(request, cohort_id):
    cohort = access.cohort_for(request.user, cohort_id, edit=True)
    form = SessionForm(
        request.POST or None,
        instance=Session(cohort=cohort),
        initial={"title": f"{cohort.program.name}: {cohort.name}", "capacity": cohort.capacity},
    )
    if request.method == "POST" and form.is_valid():
        session, _ = session_services.session_save(session=form.instance)
        messages.success(request, "Session added and the cohort enrolled.")
        return redirect("cohorts:session", pk=session.pk)
    return render(request, "cohorts/session_form.html", {"form": form, "cohort": cohort})


@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session = access.session_for(request.user, pk, edit=True)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        _, moved = session_services.session_save(session=form.instance)
        messages.success(request, "Session updated.")
        if moved:
            names = ", ".join(e.person.full_name for e in moved)
            messages.warning(
                request,
                f"{len(moved)} seat(s) more than the new capacity: {names} moved to the front "
                "of the waitlist.",
            )
        return redirect("cohorts:session", pk=session.pk)
    return render(request, "cohorts/session_form.html", {"form": form, "cohort": session.cohort})


def session_detail(request, pk):
    session = access.session_for(request.user, pk)
    enrollments = session.enrollments.select_related("person__team", "marked_by").order_by(
        "status", "person__last_name", "person__first_name"
    )
    return render(
        request,
        "cohorts/session_detail.html",
        {
            "session": session,
            "enrollments": enrollments,
            "can_mark": access.can_mark_attendance(request.user, session),
            "can_edit": role_of(request.user) == Role.LEAD,
            "attendance_choices": Enrollment.Attendance.choices,
        },
    )


@require_POST
def attendance_mark(request, pk):
    enrollment = access.enrollment_for_marking(request.user, pk)
    value = request.POST.get("attendance")
    if value not in Enrollment.Attendance.values or enrollment.status != Enrollment.Status.ENROLLED:
        messages.error(
            request, "Attendance can only be marked as attended, no-show or not marked for a seated person."
        )
        return redirect("cohorts:session", pk=enrollment.session_id)
    try:
        rebooked = session_services.attendance_mark(
            enrollment=enrollment, attendance=value, user=request.user
        )
    except session_services.AttendanceTooEarly as exc:
        messages.error(request, str(exc))
        return redirect("cohorts:session", pk=enrollment.session_id)
    if value == Enrollment.Attendance.NO_SHOW:
        if rebooked:
            messages.info(request, f"{enrollment.person} was re-invited to {rebooked.session}.")
        else:
            messages.warning(request, f"No later session has room yet for {enrollment.person}; schedule one.")
    return redirect("cohorts:session", pk=enrollment.session_id)


@require_POST
def session_invite(request, pk):
    session = access.session_for(request.user, pk, edit=True)
    sent = session_services.invitations_send(session=session)
    messages.success(request, f"{sent} invitations sent." if sent else "Everyone has been invited already.")
    return redirect("cohorts:session", pk=session.pk)


def timeline(request, program_id):
    access.require_role(request.user, (Role.LEAD, Role.EXECUTIVE, Role.MANAGER))
    program = get_object_or_404(Program, pk=program_id)
    return render(
        request,
        "cohorts/timeline.html",
        {"program": program, "t": program_timeline(program), "can_edit": role_of(request.user) == Role.LEAD},
    )


# ---------------------------------------------------------------- managers


def team_overview(request, program_id):
    """A manager's people in one program: suggestions to confirm, nominations, attendance."""
    me = access.manager_person(request.user)
    program = get_object_or_404(Program, pk=program_id)
    people = (
        Person.objects.filter(org_path__startswith=me.org_path, is_active=True)
        .exclude(pk=me.pk)
        .select_related("team")
        .order_by("last_name", "first_name")
    )
    members = {
        m.person_id: m
        for m in CohortMember.objects.filter(program=program, person__in=people).select_related(
            "cohort__wave"
        )
    }
    seats = {}
    for enrollment in (
        Enrollment.objects.filter(session__cohort__program=program, person__in=people)
        .exclude(status=Enrollment.Status.CANCELLED)
        .select_related("session")
        .order_by("session__starts_at")
    ):
        seats.setdefault(enrollment.person_id, []).append(enrollment)
    rows = [{"person": p, "member": members.get(p.pk), "seats": seats.get(p.pk, [])} for p in people]
    return render(
        request,
        "cohorts/team_overview.html",
        {
            "program": program,
            "rows": rows,
            "pending": [
                r for r in rows if r["member"] and r["member"].status == CohortMember.Status.PROPOSED
            ],
            "can_nominate": program.participation == Program.Participation.SELECTED,
            "Status": CohortMember.Status,
        },
    )


def my_team_programs(request):
    me = access.manager_person(request.user)
    programs = (
        Program.objects.filter(members__person__org_path__startswith=me.org_path)
        .annotate(
            pending=Count(
                "members",
                filter=Q(
                    members__status=CohortMember.Status.PROPOSED,
                    members__person__org_path__startswith=me.org_path,
                ),
            )
        )
        .order_by("name")
    )
    return render(request, "cohorts/my_team_programs.html", {"programs": programs.distinct()})


@require_POST
def member_decide(request, pk):
    member = access.member_for_decision(request.user, pk)
    decision = request.POST.get("decision")
    allowed = {CohortMember.Status.PROPOSED, CohortMember.Status.NOMINATED}
    if decision not in {"confirm", "decline"} or member.status not in allowed:
        messages.error(request, "This person has no pending suggestion or nomination to decide on.")
    else:
        membership_decide(member=member, confirm=decision == "confirm", user=request.user)
        verb = "confirmed" if decision == "confirm" else "declined"
        messages.success(request, f"{member.person} {verb} for {member.program}.")
    return redirect(_safe_next(request, reverse("home")))


@require_POST
def member_nominate(request, program_id):
    me = access.manager_person(request.user)
    program = get_object_or_404(Program, pk=program_id, participation=Program.Participation.SELECTED)
    person = get_object_or_404(
        Person.objects.filter(org_path__startswith=me.org_path).exclude(pk=me.pk),
        pk=parse_id(request.POST.get("person")) or 0,
    )
    membership_nominate(program=program, person=person, user=request.user)
    messages.success(request, f"{person} nominated; the enablement lead will approve or decline.")
    return redirect("cohorts:team", program_id=program.pk)


# ---------------------------------------------------------------- everyone: own sessions


def my_sessions(request):
    person = person_for_user(request.user)
    enrollments = []
    open_sessions = []
    trained = (
        Session.objects.filter(trainer=request.user, ends_at__gte=timezone.now())
        .select_related("cohort")
        .order_by("starts_at")[:20]
    )
    if person is not None:
        enrollments = (
            Enrollment.objects.filter(person=person)
            .exclude(status=Enrollment.Status.CANCELLED)
            .select_related("session__cohort__program", "session__location")
            .order_by("session__starts_at")
        )
        mine = Enrollment.objects.filter(person=person).exclude(status=Enrollment.Status.CANCELLED)
        candidates = list(
            Session.objects.filter(cohort__is_open=True, starts_at__gt=timezone.now())
            .exclude(pk__in=mine.values("session_id"))
            .select_related("cohort__program", "location")
            .annotate(seats=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.ENROLLED)))
            .order_by("starts_at")[:50]
        )
        programs = {s.cohort.program_id: s.cohort.program for s in candidates}
        eligible = {pk for pk, program in programs.items() if is_eligible(person, program)}
        open_sessions = [s for s in candidates if s.cohort.program_id in eligible]

    return render(
        request,
        "cohorts/my_sessions.html",
        {
            "person": person,
            "enrollments": enrollments,
            "open_sessions": open_sessions,
            "trainer_sessions": trained,
            "feed_url": feed_url(person) if person else "",
        },
    )


def my_calendar(request):
    person = person_for_user(request.user)
    if person is None:
        raise Http404("No person is linked to this login.")
    return _calendar_response(person, download=True)


@login_not_required
def calendar_feed(request, token):
    person = person_for_feed_token(token)
    if person is None:
        raise Http404("Unknown calendar feed.")
    return _calendar_response(person, download=False)


def _calendar_response(person, *, download):
    enrollments = (
        Enrollment.objects.filter(person=person)
        .select_related("session__cohort", "session__location")
        .order_by("session__starts_at")
    )
    response = HttpResponse(
        calendar_bytes(enrollments, name=f"Training sessions of {person.full_name}"),
        content_type="text/calendar; charset=utf-8",
    )
    if download:
        response["Content-Disposition"] = 'attachment; filename="my-training-sessions.ics"'
    return response


@require_POST
def session_sign_up(request, pk):
    person = person_for_user(request.user)
    session = get_object_or_404(Session.objects.select_related("cohort"), pk=pk, cohort__is_open=True)
    if person is None:
        raise Http404("No person is linked to this login.")
    if session.starts_at <= timezone.now():
        messages.error(request, "This session has already started.")
        return redirect("cohorts:my_sessions")
    try:
        enrollment = session_services.self_enroll(session=session, person=person)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("cohorts:my_sessions")
    if enrollment.status == Enrollment.Status.WAITLISTED:
        messages.info(request, "The session is full: you are on its waitlist.")
    else:
        messages.success(request, f"You are signed up for {session}.")
    return redirect("cohorts:my_sessions")


@require_POST
def enrollment_cancel(request, pk):
    person = person_for_user(request.user)
    enrollment = get_object_or_404(Enrollment.objects.select_related("session"), pk=pk, person=person)
    if enrollment.session.starts_at <= timezone.now():
        messages.error(request, "This session has already started.")
    else:
        session_services.enrollment_cancel(enrollment=enrollment)
        messages.success(request, f"Your seat in {enrollment.session} is given up.")
    return redirect("cohorts:my_sessions")
