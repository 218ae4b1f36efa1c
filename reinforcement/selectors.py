"""Reads that several reinforcement pages (and the digest e-mail) share."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from cohorts.models import Person
from cohorts.selectors import people_under
from programs.models import Program, ProgramSkill, ReinforcementPlan

from .models import (
    ActionPlan,
    Card,
    CoachingRating,
    CoachingSession,
    ReinforcementRules,
    SkillStage,
    Stage,
    StageEvent,
)
from .scheduling import recall_of, scheduler_for_rules

STAGE_COLOURS = {
    Stage.NOT_STARTED: "secondary",
    Stage.LEARN: "info",
    Stage.REMEMBER: "primary",
    Stage.PRACTICE: "warning",
    Stage.APPLY: "success",
    Stage.MASTER: "dark",
}


def programs_with_stages():
    # EXISTS stops at the first stage row; a join + DISTINCT reads every stage of every program.
    has_stage = SkillStage.objects.filter(program_skill__program=OuterRef("pk"))
    return (
        Program.objects.filter(Exists(has_stage))
        .select_related("reinforcement_plan")  # the coaching cadence is read from it
        .order_by("-updated_at", "-id")
    )


def sellers_of(people):
    return people.filter(level=Person.Level.INDIVIDUAL, is_active=True)


def _recall_by_person_skill(person_ids, skill_ids, rules, now):
    scheduler = scheduler_for_rules(rules)
    values = defaultdict(list)
    cards = Card.objects.filter(
        person_id__in=person_ids, question__skill_id__in=skill_ids, last_review_at__isnull=False
    ).only(
        "person_id",
        "question__skill_id",
        "state",
        "step",
        "stability",
        "difficulty",
        "due_at",
        "last_review_at",
    )
    for card in cards.values(
        "person_id", "question__skill_id", "state", "stability", "difficulty", "due_at", "last_review_at"
    ):
        shim = Card(
            state=card["state"],
            stability=card["stability"],
            difficulty=card["difficulty"],
            due_at=card["due_at"],
            last_review_at=card["last_review_at"],
        )
        values[(card["person_id"], card["question__skill_id"])].append(recall_of(shim, now, scheduler))
    return {key: sum(v) / len(v) for key, v in values.items()}


def team_matrix(*, people, program, now=None):
    """Rows of seller × program skill with stage, average recall and last coaching date.

    A fixed number of queries whatever the team size.
    """
    now = now or timezone.now()
    rules = ReinforcementRules.for_program(program)
    program_skills = list(ProgramSkill.objects.filter(program=program).select_related("skill"))
    sellers = list(sellers_of(people).select_related("team").order_by("last_name", "first_name"))
    ids = [p.pk for p in sellers]
    skill_ids = [ps.skill_id for ps in program_skills]
    stages = {
        (s.person_id, s.program_skill_id): s
        for s in SkillStage.objects.filter(person_id__in=ids, program_skill__in=program_skills)
    }
    recall = _recall_by_person_skill(ids, skill_ids, rules, now)
    last_rated = {
        (r["seller_id"], r["skill_id"]): r["last"]
        for r in CoachingRating.objects.filter(seller_id__in=ids, skill_id__in=skill_ids)
        .values("seller_id", "skill_id")
        .annotate(last=Max("session__occurred_on"))
        .order_by()
    }
    last_session = dict(
        CoachingSession.sellers.through.objects.filter(person_id__in=ids)
        .values("person_id")
        .annotate(last=Max("coachingsession__occurred_on"))
        .values_list("person_id", "last")
        .order_by()
    )
    overdue_before = now.date() - timedelta(days=rules.coaching_cadence_days)
    rows = []
    for person in sellers:
        cells = []
        for ps in program_skills:
            stage = stages.get((person.pk, ps.pk))
            value = stage.stage if stage else Stage.NOT_STARTED
            cells.append(
                {
                    "program_skill": ps,
                    "stage": value,
                    "label": Stage(value).label,
                    "colour": STAGE_COLOURS[value],
                    "recall": recall.get((person.pk, ps.skill_id)),
                    "last_coached": last_rated.get((person.pk, ps.skill_id)),
                }
            )
        last = last_session.get(person.pk)
        rows.append(
            {
                "person": person,
                "cells": cells,
                "last_coaching": last,
                "coaching_overdue": last is None or last < overdue_before,
            }
        )
    return {"program_skills": program_skills, "rows": rows, "rules": rules}


def coaching_cadence_days():
    """The tightest coaching cadence the reinforcement plan of any program in reinforcement
    asks for (two weeks when none sets one)."""
    plans = ReinforcementPlan.objects.filter(program__in=programs_with_stages()).exclude(coaching_cadence="")
    days = [
        plan.coaching_interval_days() for plan in plans.only("coaching_cadence", "coaching_sessions_per_rep")
    ]
    return min(days, default=ReinforcementRules.DEFAULT_COACHING_CADENCE_DAYS)


def overdue_for(people, *, now=None, cadence_days=None):
    """Overdue coaching, action plans and next steps, and recent fall-backs, for `people`."""
    now = now or timezone.now()
    today = now.date()
    cadence_days = cadence_days or coaching_cadence_days()
    sellers = list(sellers_of(people).select_related("manager", "team").order_by("last_name", "first_name"))
    ids = [p.pk for p in sellers]
    last_session = dict(
        CoachingSession.sellers.through.objects.filter(person_id__in=ids)
        .values("person_id")
        .annotate(last=Max("coachingsession__occurred_on"))
        .values_list("person_id", "last")
        .order_by()
    )
    due_before = today - timedelta(days=cadence_days)
    coaching = [
        {"person": p, "last": last_session.get(p.pk)}
        for p in sellers
        if last_session.get(p.pk) is None or last_session[p.pk] < due_before
    ]
    plans = list(
        ActionPlan.objects.filter(person_id__in=ids, status=ActionPlan.Status.OPEN, due_on__lt=today)
        .select_related("person", "skill")
        .order_by("due_on")
    )
    next_steps = list(
        CoachingSession.objects.filter(sellers__in=ids, next_step_due__lt=today, next_step_done=False)
        .exclude(next_step="")
        .select_related("manager")
        .distinct()
        .order_by("next_step_due")
    )
    slipping = list(
        StageEvent.objects.filter(skill_stage__person_id__in=ids, created_at__gte=now - timedelta(days=14))
        .select_related("skill_stage__person", "skill_stage__program_skill__skill")
        .order_by("-created_at")
    )
    slipping = [e for e in slipping if e.is_fall_back]
    return {
        "coaching_overdue": coaching,
        "plans_overdue": plans,
        "next_steps_overdue": next_steps,
        "slipping": slipping,
        "cadence_days": cadence_days,
        "seller_count": len(sellers),
    }


def overdue_counts(manager):
    data = overdue_for(people_under(manager))
    return {
        "coaching": len(data["coaching_overdue"]),
        "plans": len(data["plans_overdue"]),
        "next_steps": len(data["next_steps_overdue"]),
        "slipping": len(data["slipping"]),
    }


def digest_for_manager(manager):
    """Context for the weekly manager digest e-mail."""
    return overdue_for(people_under(manager))


def seller_progress(person, *, now=None):
    """A seller's stage rows with their recent events, and the recall per skill."""
    now = now or timezone.now()
    stages = list(
        SkillStage.objects.filter(person=person)
        .select_related("program_skill__skill", "program_skill__program")
        .order_by("program_skill__program_id", "program_skill_id")
    )
    events = defaultdict(list)
    for event in StageEvent.objects.filter(skill_stage__person=person).select_related("actor")[:200]:
        events[event.skill_stage_id].append(event)
    recall = _recall_by_person_skill(
        [person.pk], [s.program_skill.skill_id for s in stages], ReinforcementRules(), now
    )
    for stage in stages:
        stage.recent_events = events.get(stage.pk, [])[:5]
        stage.recall = recall.get((person.pk, stage.program_skill.skill_id))
        stage.colour = STAGE_COLOURS[stage.stage]
    card_counts = Card.objects.filter(person=person).aggregate(
        total=Count("id"),
        due=Count("id", filter=Q(due_at__lte=now, retired_at__isnull=True)),
        retired=Count("id", filter=Q(retired_at__isnull=False)),
    )
    return {"stages": stages, "cards": card_counts}
