"""Writes to programs. Every change a user makes goes through here and leaves an audit row."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.db.models.deletion import Collector
from django.utils import timezone

from .catalogue import BUILTIN_METRICS, BUILTIN_SKILLS
from .changelog import field_label
from .models import (
    BuyInPlan,
    DesignDecision,
    Expectation,
    ManagerEngagement,
    Metric,
    Program,
    ProgramChange,
    ProgramMetric,
    ProgramSkill,
    ReinforcementPlan,
    Skill,
    SkillGap,
    Stakeholder,
    SupportCheck,
    Touchpoint,
)
from .readiness import readiness_of
from .recommendations import recommend
from .selectors import program_queryset

CONTEXT_FIELDS = [
    "name",
    "audience_description",
    "start_date",
    "end_date",
    "sales_strategy",
    "sales_culture",
    "culture_autonomy",
    "budget_per_head",
    "business_outcomes",
    "learning_outcomes",
    "learning_maturity",
    "audience_size",
    "location_count",
    "compliance_required",
    "is_foundational",
    "urgency",
    "manager_coaching_capacity",
]

# Which program fields each decision writes; the rest of a decision's fields are reset when
# the choice changes so no stale scope is left behind (the cohorts app reads these).
DECISION_FIELDS = {
    DesignDecision.Kind.PARTICIPATION: ["participation", "participation_criteria"],
    DesignDecision.Kind.ROLLOUT: [
        "rollout",
        "rollout_group_kind",
        "wave_order",
        "pilot_scope",
        "holdout_scope",
    ],
    DesignDecision.Kind.PARTICIPANT_MIX: ["participant_mix", "managers_with_reps"],
}
FIELD_DEFAULTS = {
    "participation_criteria": dict,
    "rollout_group_kind": str,
    "wave_order": list,
    "pilot_scope": dict,
    "holdout_scope": dict,
    "managers_with_reps": lambda: False,
}

STATUS_FLOW = {
    Program.Status.DRAFT: {Program.Status.READY},
    Program.Status.READY: {Program.Status.DRAFT, Program.Status.LAUNCHED},
    Program.Status.LAUNCHED: {Program.Status.CLOSED},
    Program.Status.CLOSED: set(),
}


def _plain(value):
    """A JSON-friendly, readable form of a field value for the audit trail."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if hasattr(value, "pk"):
        return str(value)
    return value


def _diff(instance, data, fields):
    return [
        {"field": f, "old": _plain(getattr(instance, f)), "new": _plain(data[f])}
        for f in fields
        if f in data and _plain(getattr(instance, f)) != _plain(data[f])
    ]


def _record(*, program, user, summary, details=()):
    return ProgramChange.objects.create(
        program=program, user=user, at=timezone.now(), summary=summary[:300], details=list(details)
    )


def _touch(program):
    Program.objects.filter(pk=program.pk).update(updated_at=timezone.now())


def _reload(program):
    return program_queryset().get(pk=program.pk)


def _delete_unless_used(obj, what):
    """Delete a readiness answer unless other areas already hold records that would go with it.

    Removing a skill would cascade to sellers' stages and assessment results in the
    reinforcement app; that history must not disappear because a box was unticked.
    """
    collector = Collector(using="default")
    try:
        collector.collect([obj])
    except ProtectedError as error:
        raise ValidationError(f"{what} is in use elsewhere and cannot be removed.") from error
    used = sum(len(rows) for model, rows in collector.data.items() if model._meta.app_label != "programs")
    used += sum(qs.count() for qs in collector.fast_deletes if qs.model._meta.app_label != "programs")
    if used:
        raise ValidationError(
            f"{what} already has {used} record(s) of progress elsewhere and cannot be removed."
        )
    obj.delete()


# ---------------------------------------------------------------- catalogue


def catalogue_ensure():
    """Create any missing built-in metric or skill (idempotent; the data migration does it too)."""
    for name, (description, unit, direction) in BUILTIN_METRICS.items():
        Metric.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "default_unit": unit,
                "default_direction": direction,
                "is_builtin": True,
            },
        )
    for name, description in BUILTIN_SKILLS.items():
        Skill.objects.get_or_create(name=name, defaults={"description": description, "is_builtin": True})


def metric_create(*, name: str, description: str = "", default_unit: str = "", default_direction: str = "up"):
    return Metric.objects.create(
        name=name, description=description, default_unit=default_unit, default_direction=default_direction
    )


def skill_create(*, name: str, description: str = ""):
    return Skill.objects.create(name=name, description=description)


# ---------------------------------------------------------------- program and context


@transaction.atomic
def program_create(*, owner, data: dict) -> Program:
    program = Program.objects.create(owner=owner, **{f: data[f] for f in CONTEXT_FIELDS if f in data})
    _record(program=program, user=owner, summary=f"Created the program “{program.name}”")
    return program


@transaction.atomic
def program_update(*, program: Program, user, data: dict) -> Program:
    details = _diff(program, data, CONTEXT_FIELDS)
    if not details:
        return program
    for change in details:
        setattr(program, change["field"], data[change["field"]])
    program.save()
    names = ", ".join(field_label(c["field"]).lower() for c in details)
    _record(program=program, user=user, summary=f"Edited the context: {names}", details=details)
    return program


@transaction.atomic
def program_set_status(*, program: Program, user, status: str) -> Program:
    """Move a program along draft → ready → launched → closed (ready may go back to draft).

    A program is ready only when the readiness gate is open and all three decisions are made.
    """
    if status not in STATUS_FLOW[program.status]:
        raise ValidationError(
            f"A {program.get_status_display().lower()} program cannot become "
            f"{Program.Status(status).label.lower()}."
        )
    if status == Program.Status.READY:
        program = _reload(program)
        readiness = readiness_of(program)
        if not readiness.complete:
            raise ValidationError("Answer the four readiness questions before marking the plan ready.")
        missing = [k.label for k in DesignDecision.Kind if not getattr(program, _main_field(k))]
        if missing:
            raise ValidationError(f"Decide the rollout design first: {', '.join(missing).lower()}.")
    old = program.status
    program.status = status
    program.save(update_fields=["status", "updated_at"])
    _record(
        program=program,
        user=user,
        summary=f"Status: {Program.Status(old).label} → {program.get_status_display()}",
        details=[{"field": "status", "old": old, "new": status}],
    )
    return program


def _main_field(kind):
    return DECISION_FIELDS[kind][0]


# ---------------------------------------------------------------- readiness answers


@transaction.atomic
def program_metrics_set(*, program: Program, user, rows: list[dict], reason: str = "") -> None:
    """Replace the program's success metrics with `rows` (metric, baseline, target, unit,
    direction, horizon_months, data_source). More than two need a reason."""
    if not rows:
        raise ValidationError("Choose at least one success metric.")
    if len(rows) > 2 and not reason.strip():
        raise ValidationError(
            "More than two metrics need a reason: the program should move the critical few."
        )
    existing = {pm.metric_id: pm for pm in program.metrics.all()}
    keep = set()
    changed = []
    for row in rows:
        metric = row["metric"]
        values = {
            k: row[k] for k in ("baseline", "target", "unit", "direction", "horizon_months", "data_source")
        }
        pm = existing.get(metric.pk)
        if pm is None:
            ProgramMetric.objects.create(program=program, **row)
            changed.append(f"added {metric}")
        elif _diff(pm, values, values):
            for k, v in values.items():
                setattr(pm, k, v)
            pm.save()
            changed.append(f"updated {metric}")
        keep.add(metric.pk)
    removed = [pm for mid, pm in existing.items() if mid not in keep]
    for pm in removed:
        _delete_unless_used(pm, str(pm.metric))
        changed.append(f"removed {pm.metric}")
    reason = reason.strip() if len(rows) > 2 else ""
    if reason != program.metrics_reason:
        program.metrics_reason = reason
        program.save(update_fields=["metrics_reason", "updated_at"])
        changed.append("reason for more than two metrics")
    if changed:
        _touch(program)
        _record(program=program, user=user, summary="Success metrics: " + "; ".join(changed))


@transaction.atomic
def program_skills_set(*, program: Program, user, rows: list[dict]) -> None:
    """Replace the program's money-making skills with `rows` (skill, moves_metrics, why_it_matters).

    Each skill must move at least one of the program's metrics."""
    if not rows:
        raise ValidationError("Choose at least one money-making skill.")
    own_metrics = set(program.metrics.values_list("pk", flat=True))
    existing = {ps.skill_id: ps for ps in program.skills.prefetch_related("moves_metrics")}
    keep, changed = set(), []
    for row in rows:
        skill, metrics = row["skill"], list(row["moves_metrics"])
        if not metrics or any(m.pk not in own_metrics for m in metrics):
            raise ValidationError(f"Link {skill} to at least one of this program's metrics.")
        ps = existing.get(skill.pk)
        if ps is None:
            ps = ProgramSkill.objects.create(
                program=program, skill=skill, why_it_matters=row["why_it_matters"]
            )
            changed.append(f"added {skill}")
        else:
            before = ({m.pk for m in ps.moves_metrics.all()}, ps.why_it_matters)
            if before != ({m.pk for m in metrics}, row["why_it_matters"]):
                ps.why_it_matters = row["why_it_matters"]
                ps.save()
                changed.append(f"updated {skill}")
        ps.moves_metrics.set(metrics)
        keep.add(skill.pk)
    for skill_id, ps in existing.items():
        if skill_id not in keep:
            _delete_unless_used(ps, str(ps.skill))
            changed.append(f"removed {ps.skill}")
    if changed:
        _touch(program)
        _record(program=program, user=user, summary="Money-making skills: " + "; ".join(changed))


@transaction.atomic
def skill_gaps_set(*, program: Program, user, rows: list[dict]) -> None:
    """Replace the program's skill gaps with `rows` (program_skill, segment, strengths, limiters,
    baseline_proficiency, source); one row per skill and segment."""
    seen = set()
    for row in rows:
        if row["program_skill"].program_id != program.pk:
            raise ValidationError("A skill gap must belong to one of this program's skills.")
        key = (row["program_skill"].pk, row["segment"].strip().lower())
        if key in seen:
            raise ValidationError(f"{row['program_skill']} / {row['segment']} is listed twice.")
        seen.add(key)
    before = program.skill_gaps.count()
    program.skill_gaps.all().delete()
    SkillGap.objects.bulk_create(SkillGap(program=program, **row) for row in rows)
    _touch(program)
    _record(program=program, user=user, summary=f"Skill gaps: {len(rows)} entries (before: {before})")


@transaction.atomic
def skill_gap_record_assessment(
    *, program_skill: ProgramSkill, segment: str, baseline_proficiency: int, user=None
):
    """Set a segment's baseline on a skill from a pre-assessment (for other apps to call).

    Creates the gap entry if the segment has none; keeps any strengths and limiters typed in.
    """
    if not 1 <= baseline_proficiency <= 5:
        raise ValidationError("A baseline proficiency runs from 1 to 5.")
    gap, created = SkillGap.objects.update_or_create(
        program_skill=program_skill,
        segment=segment,
        defaults={
            "program": program_skill.program,
            "baseline_proficiency": baseline_proficiency,
            "source": SkillGap.Source.PRE_ASSESSMENT,
        },
    )
    _touch(program_skill.program)
    _record(
        program=program_skill.program,
        user=user,
        summary=f"Pre-assessment: {segment} starts at {baseline_proficiency} of 5 on {program_skill.skill}",
    )
    return gap


@transaction.atomic
def reinforcement_plan_save(*, program: Program, user, data: dict) -> ReinforcementPlan:
    fields = [
        "methods",
        "coaching_cadence",
        "coaching_sessions_per_rep",
        "owner",
        "leading_indicators",
        "lagging_indicators",
        "notes",
    ]
    plan, created = ReinforcementPlan.objects.get_or_create(program=program)
    details = _diff(plan, data, fields)
    for change in details:
        setattr(plan, change["field"], data[change["field"]])
    plan.save()
    if created or details:
        _touch(program)
        names = ", ".join(field_label(c["field"]).lower() for c in details)
        _record(
            program=program,
            user=user,
            summary="Reinforcement plan " + ("written" if created else f"edited: {names}"),
            details=details,
        )
    return plan


def capacity_save(*, program: Program, user, data: dict) -> Program:
    """Save the capacity-for-change check; it feeds the rollout recommendations."""
    fields = ["capacity_recent_changes", "capacity_competing_initiatives", "capacity_manager_bandwidth"]
    details = _diff(program, data, fields)
    if not details:
        return program
    for change in details:
        setattr(program, change["field"], data[change["field"]])
    program.save(update_fields=[*fields, "updated_at"])
    _record(program=program, user=user, summary="Capacity for change checked", details=details)
    return program


# ---------------------------------------------------------------- rollout design


@transaction.atomic
def design_decision_record(*, program: Program, user, kind: str, values: dict, rationale: str = ""):
    """Record the lead's choice for one decision next to the current recommendation.

    `values` holds the program fields of that decision (see DECISION_FIELDS), the first being
    the chosen option. Refused until the readiness gate is open; an override (a choice other
    than the top recommendation) needs a rationale.
    """
    program = _reload(program)
    readiness = readiness_of(program)
    if not readiness.gate_open:
        raise ValidationError("The readiness questions are not all answered yet.")
    fields = DECISION_FIELDS[kind]
    chosen = values[fields[0]]
    recommendation = recommend(program)[kind]
    top = recommendation.top
    if chosen != top.option and not rationale.strip():
        raise ValidationError(f"You chose something other than {top.label}: say why.")
    full = {f: values.get(f, FIELD_DEFAULTS.get(f, str)()) for f in fields}
    details = _diff(program, full, fields)
    for f, v in full.items():
        setattr(program, f, v)
    program.save(update_fields=[*fields, "updated_at"])
    DesignDecision.objects.update_or_create(
        program=program,
        kind=kind,
        defaults={
            "chosen": chosen,
            "recommended": top.option,
            "recommendation_summary": recommendation.summary,
            "rationale": rationale.strip(),
            "decided_by": user,
            "decided_at": timezone.now(),
        },
    )
    label = next(r.label for r in recommendation.ranked if r.option == chosen)
    verb = "accepted the recommendation" if chosen == top.option else f"overrode {top.label}"
    _record(
        program=program,
        user=user,
        summary=f"{DesignDecision.Kind(kind).label}: {label} ({verb})",
        details=details
        + ([{"field": "rationale", "old": "", "new": rationale.strip()}] if rationale else []),
    )
    return program


@transaction.atomic
def buy_in_save(
    *,
    program: Program,
    user,
    plan: dict,
    touchpoints: list[dict],
    managers: list[dict],
    expectations: list[dict] | None = None,
):
    """Replace the buy-in plan, the communication schedule, the manager list and (when given)
    the expectations in one go."""
    buy_in, created = BuyInPlan.objects.get_or_create(program=program)
    fields = ["why_message", "status_quo_risk", "leadership_actions", "expectations"]
    details = _diff(buy_in, plan, fields)
    for f in fields:
        setattr(buy_in, f, plan[f])
    buy_in.save()
    program.touchpoints.all().delete()
    Touchpoint.objects.bulk_create(Touchpoint(program=program, **row) for row in touchpoints)
    program.manager_engagements.all().delete()
    ManagerEngagement.objects.bulk_create(ManagerEngagement(program=program, **row) for row in managers)
    if expectations is not None:
        program.expectations.all().delete()
        Expectation.objects.bulk_create(Expectation(program=program, **row) for row in expectations)
    _touch(program)
    _record(
        program=program,
        user=user,
        summary=f"Buy-in plan saved: {len(touchpoints)} touchpoint(s), {len(managers)} manager(s)",
        details=details,
    )
    return buy_in


# ---------------------------------------------------------------- change coalition


@transaction.atomic
def stakeholder_add(*, program: Program, user, name, role, kind, level, next_step="", next_step_due=None):
    """Add someone to the coalition with today's support level as the first check."""
    stakeholder = Stakeholder.objects.create(
        program=program, name=name, role=role, kind=kind, next_step=next_step, next_step_due=next_step_due
    )
    SupportCheck.objects.create(stakeholder=stakeholder, level=level, noted_on=timezone.localdate())
    _record(program=program, user=user, summary=f"Coalition: {name} added ({stakeholder.get_kind_display()})")
    return stakeholder


@transaction.atomic
def support_record(*, stakeholder: Stakeholder, user, level, note="", next_step="", next_step_due=None):
    """Note a stakeholder's support today and, when given, the next step with them."""
    check = SupportCheck.objects.create(
        stakeholder=stakeholder, level=level, noted_on=timezone.localdate(), note=note
    )
    if next_step:
        stakeholder.next_step, stakeholder.next_step_due = next_step, next_step_due
        stakeholder.save(update_fields=["next_step", "next_step_due"])
    _record(
        program=stakeholder.program,
        user=user,
        summary=f"Coalition: {stakeholder.name} now {check.get_level_display().lower()}",
    )
    return check
