"""Planning pages. Each view: check access, parse the form, call one service, redirect or render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from rolloutplanner.access import role_required
from rolloutplanner.limits import parse_id

from . import forms, services
from .access import EDITORS, READERS, can_edit, program_for
from .brief import plan_brief
from .buyin import buy_in_status
from .models import DesignDecision, Metric, Program, Skill
from .readiness import readiness_of
from .recommendations import FACTS, Snapshot, capacity_for_change, facts_of, recommend, table
from .selectors import program_changes, program_queryset


def _data(request):
    """The submitted data on POST (even when empty, so the form is bound and validated), else None."""
    return request.POST if request.method == "POST" else None


def _apply_service_errors(form, error):
    for message in error.messages:
        form.add_error(None, message)


def _gate_refusal(request, program, readiness):
    """Design pages answer 403 with the checklist until all four readiness questions are complete.

    Once decisions are made the pages stay open (readiness.reopened shows what is missing).
    """
    if readiness.gate_open:
        return None
    return render(
        request,
        "programs/gate_closed.html",
        {"program": program, "readiness": readiness, "can_edit": can_edit(request.user)},
        status=403,
    )


# ---------------------------------------------------------------- programs


@role_required(*READERS)
def program_list(request):
    programs = list(program_queryset().order_by("status", "-updated_at"))
    rows = [(p, readiness_of(p)) for p in programs]
    return render(request, "programs/program_list.html", {"rows": rows, "can_edit": can_edit(request.user)})


@role_required(*EDITORS)
def program_create(request):
    form = forms.ProgramForm(_data(request))
    if request.method == "POST" and form.is_valid():
        program = services.program_create(owner=request.user, data=form.cleaned_data)
        messages.success(request, "Program created. Next: the four readiness questions.")
        return redirect(program)
    return render(request, "programs/program_form.html", {"form": form})


def program_detail(request, pk):
    program = program_for(request.user, pk)
    readiness = readiness_of(program)
    decisions = {d.kind: d for d in program.decisions.all()}
    context = {
        "program": program,
        "readiness": readiness,
        "decisions": [(kind, decisions.get(kind)) for kind in DesignDecision.Kind],
        "buy_in": buy_in_status(program) if readiness.gate_open else None,
        "changes": program_changes(program),
        "can_edit": can_edit(request.user),
        "status_form": forms.StatusForm(),
        "next_statuses": [Program.Status(s) for s in services.STATUS_FLOW[program.status]],
    }
    return render(request, "programs/program_detail.html", context)


def program_edit(request, pk):
    program = program_for(request.user, pk, edit=True)
    form = forms.ProgramForm(_data(request), instance=program)
    if request.method == "POST" and form.is_valid():
        # The service compares against the stored values, so reload before it sees the form's edits.
        stored = program_for(request.user, pk, edit=True)
        services.program_update(program=stored, user=request.user, data=form.cleaned_data)
        messages.success(request, "Context saved.")
        return redirect(stored)
    return render(request, "programs/program_form.html", {"form": form, "program": program})


@require_POST
def program_status(request, pk):
    program = program_for(request.user, pk, edit=True)
    form = forms.StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Unknown status.")
        return redirect(program)
    try:
        services.program_set_status(program=program, user=request.user, status=form.cleaned_data["status"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The program is now {Program.Status(form.cleaned_data['status']).label}.")
    return redirect(program)


# ---------------------------------------------------------------- readiness


def _readiness_page(request, program, template, context):
    context = {"program": program, "readiness": readiness_of(program), **context}
    return render(request, f"programs/readiness_{template}.html", context)


def readiness_metrics(request, pk):
    program = program_for(request.user, pk, edit=True)
    form = forms.MetricsForm(_data(request), program=program, metrics=Metric.objects.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.program_metrics_set(
                program=program,
                user=request.user,
                rows=form.chosen_rows(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, "Success metrics saved.")
            return redirect("programs:readiness_skills", pk=program.pk)
    return _readiness_page(request, program, "metrics", {"form": form})


def readiness_skills(request, pk):
    program = program_for(request.user, pk, edit=True)
    form = forms.SkillsForm(_data(request), program=program, skills=Skill.objects.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.program_skills_set(program=program, user=request.user, rows=form.chosen_rows())
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, "Money-making skills saved.")
            if form.too_many:
                messages.warning(request, "More than five skills: consider narrowing to the critical few.")
            return redirect("programs:readiness_gaps", pk=program.pk)
    return _readiness_page(request, program, "skills", {"form": form})


def readiness_gaps(request, pk):
    program = program_for(request.user, pk, edit=True)
    formset = forms.skill_gap_formset(program, _data(request))
    if request.method == "POST" and formset.is_valid():
        try:
            services.skill_gaps_set(program=program, user=request.user, rows=formset.rows())
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, "Skill gaps saved.")
            return redirect("programs:readiness_reinforcement", pk=program.pk)
    return _readiness_page(request, program, "gaps", {"formset": formset})


def readiness_reinforcement(request, pk):
    program = program_for(request.user, pk, edit=True)
    plan = getattr(program, "reinforcement_plan", None)
    form = forms.ReinforcementForm(_data(request), instance=plan)
    capacity = forms.CapacityForm.for_program(program, _data(request))
    if request.method == "POST" and form.is_valid() and capacity.is_valid():
        services.reinforcement_plan_save(program=program, user=request.user, data=form.cleaned_data)
        if any(name in request.POST for name in forms.CAPACITY_FIELDS):
            services.capacity_save(program=program, user=request.user, data=capacity.cleaned_data)
        messages.success(request, "Reinforcement plan saved.")
        return redirect(program)
    level = capacity_for_change(*(getattr(program, f) for f in forms.CAPACITY_FIELDS))
    return _readiness_page(
        request, program, "reinforcement", {"form": form, "capacity": capacity, "level": level}
    )


# ---------------------------------------------------------------- rollout design


def design(request, pk):
    program = program_for(request.user, pk)
    readiness = readiness_of(program)
    if refusal := _gate_refusal(request, program, readiness):
        return refusal
    recommendations = recommend(program)
    decisions = {d.kind: d for d in program.decisions.all()}
    cards = [
        (recommendations[kind], decisions.get(kind), getattr(program, services.DECISION_FIELDS[kind][0]))
        for kind in DesignDecision.Kind.values
    ]
    context = {"program": program, "cards": cards, "can_edit": can_edit(request.user), "readiness": readiness}
    return render(request, "programs/design.html", context)


def design_decide(request, pk, kind):
    program = program_for(request.user, pk, edit=True)
    if kind not in forms.DECISION_FORMS:
        raise Http404("No such decision.")
    readiness = readiness_of(program)
    if refusal := _gate_refusal(request, program, readiness):
        return refusal
    recommendation = recommend(program)[kind]
    form_class = forms.DECISION_FORMS[kind]
    form = form_class(_data(request), program=program, recommendation=recommendation)
    if request.method == "POST" and form.is_valid():
        try:
            services.design_decision_record(
                program=program,
                user=request.user,
                kind=kind,
                values=form.values(),
                rationale=form.cleaned_data["rationale"],
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, f"{DesignDecision.Kind(kind).label} decided.")
            return redirect("programs:design", pk=program.pk)
    context = {
        "program": program,
        "form": form,
        "recommendation": recommendation,
        "kind": kind,
        "readiness": readiness,
    }
    return render(request, "programs/decide.html", context)


def buy_in(request, pk):
    program = program_for(request.user, pk, edit=True)
    readiness = readiness_of(program)
    if refusal := _gate_refusal(request, program, readiness):
        return refusal
    data = _data(request)
    form = forms.BuyInForm(data, instance=getattr(program, "buy_in", None))
    touchpoints = forms.touchpoint_formset(program, data)
    managers = forms.manager_formset(program, data)
    # A post without the expectations table (an older form) leaves the expectations as they are.
    with_expectations = data is None or "expect-TOTAL_FORMS" in data
    expectations = forms.expectation_formset(program, data if with_expectations else None)
    valid = [form.is_valid(), touchpoints.is_valid(), managers.is_valid()]
    if with_expectations:
        valid.append(expectations.is_valid())
    if request.method == "POST" and all(valid):
        services.buy_in_save(
            program=program,
            user=request.user,
            plan=form.cleaned_data,
            touchpoints=touchpoints.rows(),
            managers=managers.rows(),
            expectations=expectations.rows() if with_expectations else None,
        )
        # The page lists what to check in the plan once; no flash banner repeats it.
        messages.success(request, "Buy-in plan saved.")
        return redirect("programs:buy_in", pk=program.pk)
    context = {
        "program": program,
        "form": form,
        "touchpoints": touchpoints,
        "managers": managers,
        "expectations": expectations,
        "status": buy_in_status(program),
        "readiness": readiness,
        "manager_search_url": forms.manager_search_url(),
    }
    return render(request, "programs/buy_in.html", context)


def summary(request, pk):
    program = program_for(request.user, pk)
    context = {"program": program, "can_edit": can_edit(request.user), **plan_brief(program)}
    return render(request, "programs/summary.html", context)


# ---------------------------------------------------------------- catalogue and help


@role_required(*READERS)
def catalogue(request):
    metric_form = forms.MetricForm(prefix="metric")
    skill_form = forms.SkillForm(prefix="skill")
    if request.method == "POST":
        if not can_edit(request.user):
            raise PermissionDenied
        if "metric-name" in request.POST:
            metric_form = forms.MetricForm(request.POST, prefix="metric")
            if metric_form.is_valid():
                metric = services.metric_create(**metric_form.cleaned_data)
                messages.success(request, f"Metric “{metric}” added to the catalogue.")
                return redirect("programs:catalogue")
        else:
            skill_form = forms.SkillForm(request.POST, prefix="skill")
            if skill_form.is_valid():
                skill = services.skill_create(**skill_form.cleaned_data)
                messages.success(request, f"Skill “{skill}” added to the catalogue.")
                return redirect("programs:catalogue")
    context = {
        "metrics": Metric.objects.all(),
        "skills": Skill.objects.all(),
        "metric_form": metric_form,
        "skill_form": skill_form,
        "can_edit": can_edit(request.user),
    }
    return render(request, "programs/catalogue.html", context)


@role_required(*READERS)
def how_we_recommend(request):
    program, applying = None, set()
    if parse_id(request.GET.get("program")):
        program = program_for(request.user, parse_id(request.GET["program"]))
        applying = facts_of(Snapshot.of(program))
    context = {"table": table(), "facts": FACTS, "program": program, "applying": applying}
    return render(request, "programs/how_we_recommend.html", context)


# ---------------------------------------------------------------- change coalition


def coalition(request, pk):
    """The change coalition: stakeholders, their support over time and the next step with each."""
    program = program_for(request.user, pk, edit=request.method == "POST")
    add = forms.StakeholderForm(request.POST if request.POST.get("action") == "add" else None)
    check = forms.SupportCheckForm(
        request.POST if request.POST.get("action") == "check" else None, program=program
    )
    if request.method == "POST":
        if add.is_bound and add.is_valid():
            services.stakeholder_add(program=program, user=request.user, **add.cleaned_data)
            messages.success(request, f"{add.cleaned_data['name']} added to the coalition.")
            return redirect("programs:coalition", pk=program.pk)
        if check.is_bound and check.is_valid():
            data = dict(check.cleaned_data)
            services.support_record(stakeholder=data.pop("stakeholder"), user=request.user, **data)
            messages.success(request, "Support level noted.")
            return redirect("programs:coalition", pk=program.pk)
    stakeholders = list(program.stakeholders.prefetch_related("support_checks"))
    for s in stakeholders:
        s.history = list(s.support_checks.all())  # newest first
        s.now = s.history[0] if s.history else None
        s.change = s.history[0].level - s.history[-1].level if len(s.history) > 1 else 0
    context = {
        "program": program,
        "stakeholders": stakeholders,
        "add": add,
        "check": check,
        "can_edit": can_edit(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "programs/coalition.html", context)
