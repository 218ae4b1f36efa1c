"""Reads behind the leadership pages: kits, sessions held vs expected, briefs, reviews, alarms."""

from django.db.models import Count, Q
from django.utils import timezone

from cohorts.models import Person
from cohorts.selectors import people_in_scope, people_under
from programs.models import Program, ProgramSkill, ReinforcementPlan
from reinforcement.models import Question

from .kits import KitInput, kit_build
from .models import TeamSession
from .rules import cadence_days, expected_sessions


def kit_for(program_skill):
    """The kit of one program skill, from the program's own readiness answers and question bank."""
    ps = program_skill
    metrics = tuple(
        (pm.metric.name, f"{pm.baseline.normalize():f} → {pm.target.normalize():f} {pm.unit}".strip())
        for pm in ps.moves_metrics.select_related("metric").order_by("id")
    )
    gaps = list(ps.gaps.order_by("segment"))
    prompts = tuple(
        Question.objects.filter(skill_id=ps.skill_id, is_active=True)
        .order_by("id")
        .values_list("prompt", flat=True)[:3]
    )
    return kit_build(
        KitInput(
            program=ps.program.name,
            skill=ps.skill.name,
            purpose=ps.why_it_matters or ps.skill.description,
            metrics=metrics,
            questions=prompts,
            strengths=tuple(g.strengths for g in gaps if g.strengths.strip()),
            limiters=tuple(g.limiters for g in gaps if g.limiters.strip()),
            segment=gaps[0].segment if gaps else "",
        )
    )


def kit_programs(manager=None):
    """Programs with skills (launched and ready first), each with its program skills; for a manager
    only the programs some of their people are in."""
    programs = (
        Program.objects.filter(skills__isnull=False).distinct().order_by("status", "-start_date", "name")
    )
    if manager is not None:
        programs = programs.filter(
            members__person__in=people_under(manager), members__status="confirmed"
        ).distinct()
    programs = list(programs)
    skills = {}
    for ps in ProgramSkill.objects.filter(program__in=programs).select_related("skill").order_by("id"):
        skills.setdefault(ps.program_id, []).append(ps)
    return [(p, skills.get(p.pk, [])) for p in programs]


def team_for_session(manager, program):
    """Who a manager invites by default: active people under them confirmed for the program,
    else their active direct reports."""
    under = people_under(manager).filter(is_active=True)
    in_program = under.filter(pk__in=people_in_scope(program).values("pk"))
    return in_program if in_program.exists() else manager.direct_reports.filter(is_active=True)


def cadence_of(program):
    plan = ReinforcementPlan.objects.filter(program=program).only("coaching_cadence").first()
    return plan.coaching_cadence if plan else ""


def sessions_accountability(program, managers=None, *, today=None):
    """Per manager of the program's sellers: team sessions held, scheduled ahead and expected by
    the plan's cadence since launch. `managers` narrows to a queryset of people."""
    today = today or timezone.localdate()
    now = timezone.now()
    sellers = people_in_scope(program).filter(level=Person.Level.INDIVIDUAL, is_active=True)
    manager_ids = set(sellers.exclude(manager__isnull=True).values_list("manager_id", flat=True))
    people = (
        Person.objects.filter(pk__in=manager_ids).select_related("team").order_by("last_name", "first_name")
    )
    if managers is not None:
        people = people.filter(pk__in=managers.values("pk"))
    counts = {
        row["manager_id"]: row
        for row in TeamSession.objects.filter(program=program, manager__in=people)
        .values("manager_id")
        .annotate(
            held=Count("id", filter=Q(recorded_at__isnull=False)),
            ahead=Count("id", filter=Q(recorded_at__isnull=True, starts_at__gte=now)),
        )
        .order_by()
    }
    cadence = cadence_of(program)
    expected = expected_sessions(program.start_date, today, cadence)
    rows = []
    for person in people:
        row = counts.get(person.pk, {"held": 0, "ahead": 0})
        rows.append(
            {
                "manager": person,
                "held": row["held"],
                "ahead": row["ahead"],
                "expected": expected,
                "behind": max(0, expected - row["held"]),
            }
        )
    return {"rows": rows, "expected": expected, "cadence": cadence, "cadence_days": cadence_days(cadence)}
