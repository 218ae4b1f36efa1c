"""Reads that several reinforcement pages (and the digest e-mail) share."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Case, Count, Exists, Max, Min, OuterRef, Q, Value, When
from django.utils import timezone

from cohorts.models import Person
from cohorts.selectors import people_under
from programs.models import Program, ProgramSkill, ReinforcementPlan

from .models import (
    ActionPlan,
    Card,
    CoachingRating,
    CoachingSession,
    ProgramSpacing,
    ReinforcementRules,
    RescheduleJob,
    ReviewLog,
    SkillStage,
    Stage,
    StageEvent,
)
from .scheduling import policy_for, policy_from, recall_from
from .spacing import MIN_REVIEWS_TO_FIT, reliability, scores

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
    not_launched = Case(When(status=Program.Status.LAUNCHED, then=Value(0)), default=Value(1))
    return (
        Program.objects.filter(Exists(has_stage))
        # rules, spacing and the plan (whose coaching cadence the rules read) in one query
        .select_related("reinforcement_rules", "spacing", "reinforcement_plan")
        .order_by(not_launched, "-updated_at", "-id")  # launched programs first: they show progress
    )


def sellers_of(people):
    return people.filter(level=Person.Level.INDIVIDUAL, is_active=True)


def _recall_by(person_ids, policies, skill_ids, now):
    """Average predicted recall per (person, program, skill), from each program's own cards.

    `policies` maps program id to its spacing policy (`scheduling.policy_for`)."""
    values = defaultdict(list)
    cards = Card.objects.filter(
        person_id__in=person_ids,
        program_id__in=list(policies),
        question__skill_id__in=skill_ids,
        last_review_at__isnull=False,
    )
    for person_id, program_id, skill_id, stability, last_review_at in cards.values_list(
        "person_id", "program_id", "question__skill_id", "stability", "last_review_at"
    ):
        recall = recall_from(
            stability=stability, last_review_at=last_review_at, now=now, policy=policies[program_id]
        )
        if recall is not None:
            values[(person_id, program_id, skill_id)].append(recall)
    return {key: sum(v) / len(v) for key, v in values.items()}


PROGRESS_SHOWN = (Program.Status.LAUNCHED, Program.Status.CLOSED)


def shows_progress(program):
    """A program that has not launched shows nobody's progress."""
    return program.status in PROGRESS_SHOWN


def team_matrix(*, people, program, now=None):
    """Rows of seller × program skill with stage, average recall and last coaching date.

    Only the program's own evidence: its cards, and coaching logged for it. Before launch
    every cell is empty. A fixed number of queries whatever the team size.
    """
    now = now or timezone.now()
    rules = ReinforcementRules.for_program(program)
    program_skills = list(ProgramSkill.objects.filter(program=program).select_related("skill"))
    sellers = list(sellers_of(people).select_related("team").order_by("last_name", "first_name"))
    ids = [p.pk for p in sellers] if shows_progress(program) else []
    skill_ids = [ps.skill_id for ps in program_skills]
    stages = {
        (s.person_id, s.program_skill_id): s
        for s in SkillStage.objects.filter(person_id__in=ids, program_skill__in=program_skills)
    }
    recall = _recall_by(ids, {program.pk: policy_for(program, rules)}, skill_ids, now)
    last_rated = {
        (r["seller_id"], r["skill_id"]): r["last"]
        for r in CoachingRating.objects.filter(
            seller_id__in=ids, skill_id__in=skill_ids, session__program=program
        )
        .values("seller_id", "skill_id")
        .annotate(last=Max("session__occurred_on"))
        .order_by()
    }
    last_session = dict(
        CoachingSession.sellers.through.objects.filter(person_id__in=ids, coachingsession__program=program)
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
                    "recall": recall.get((person.pk, program.pk, ps.skill_id)),
                    "last_coached": last_rated.get((person.pk, ps.skill_id)),
                }
            )
        last = last_session.get(person.pk)
        rows.append(
            {
                "person": person,
                "cells": cells,
                "last_coaching": last,
                "coaching_overdue": bool(ids) and (last is None or last < overdue_before),
            }
        )
    return {
        "program_skills": program_skills,
        "rows": rows,
        "rules": rules,
        "shows_progress": shows_progress(program),
    }


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
    # Each fall-back names its program; one that has not launched shows nobody's progress.
    slipping = list(
        StageEvent.objects.filter(
            skill_stage__person_id__in=ids,
            created_at__gte=now - timedelta(days=14),
            skill_stage__program_skill__program__status__in=PROGRESS_SHOWN,
        )
        .select_related(
            "skill_stage__person", "skill_stage__program_skill__skill", "skill_stage__program_skill__program"
        )
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
    from .practice.selectors import overdue_reviews_for

    data = overdue_for(people_under(manager))
    return {
        "practice_reviews": len(overdue_reviews_for(people_under(manager))),
        "coaching": len(data["coaching_overdue"]),
        "plans": len(data["plans_overdue"]),
        "next_steps": len(data["next_steps_overdue"]),
        "slipping": len(data["slipping"]),
    }


def digest_for_manager(manager):
    """Context for the weekly manager digest e-mail (with the practice waiting for their review)."""
    from .practice.selectors import review_requests

    return {**overdue_for(people_under(manager)), "practice_reviews": review_requests(manager)}


def seller_progress(person, *, now=None):
    """A seller's stage rows with their recent events, and the recall per skill."""
    now = now or timezone.now()
    stages = list(
        SkillStage.objects.filter(person=person, program_skill__program__status__in=PROGRESS_SHOWN)
        .select_related("program_skill__skill", "program_skill__program")
        .order_by("program_skill__program_id", "program_skill_id")
    )
    events = defaultdict(list)
    for event in StageEvent.objects.filter(skill_stage__person=person).select_related("actor")[:200]:
        events[event.skill_stage_id].append(event)
    programs = Program.objects.filter(pk__in={s.program_skill.program_id for s in stages})
    policies = {p.pk: policy_for(p) for p in programs.select_related("reinforcement_rules", "spacing")}
    recall = _recall_by([person.pk], policies, {s.program_skill.skill_id for s in stages}, now)
    for stage in stages:
        stage.recent_events = events.get(stage.pk, [])[:5]
        stage.recall = recall.get((person.pk, stage.program_skill.program_id, stage.program_skill.skill_id))
        stage.colour = STAGE_COLOURS[stage.stage]
    return {"stages": stages, "cards": seller_questions(person, now=now)}


def seller_questions(person, *, now=None):
    """The seller's review questions: the one source for the inbox, *My progress* and the home card.

    `waiting` are the cards that accept an answer now (`Card.objects.waiting`), oldest due
    first; `next_on` is when the next one comes once nothing waits; `total` and `retired`
    count every card of the seller.
    """
    now = now or timezone.now()
    cards = Card.objects.filter(person=person)
    waiting = list(cards.waiting(now).select_related("question__skill", "program").order_by("due_at", "id"))
    counts = cards.aggregate(
        total=Count("id"),
        retired=Count("id", filter=Q(retired_at__isnull=False)),
        next_on=Min(
            "due_at",
            filter=Q(
                retired_at__isnull=True,
                question__is_active=True,
                due_at__gt=now,
                program__status=Program.Status.LAUNCHED,
            ),
        ),
    )
    return {"waiting": waiting, "count": len(waiting), **counts}


def program_spacing(program, rules):
    """What the rules page says about the program's spacing policy: in use, fitted when and how well."""
    row = ProgramSpacing.objects.filter(program=program).first()
    policy = policy_from(row.params if row else {}, rules)
    return {
        "row": row,
        "policy": policy,
        "weights": [round(w, 4) for w in policy.params["weights"]],
        "retention": policy.params["desired_retention"],
        "reference_days": policy.params["retention_reference_days"],
        "fit": policy.params.get("fit") if row and row.fitted_at else None,
        "fitted_at": row.fitted_at if row else None,
        "fitting_enabled": row.fitting_enabled if row else True,
        "min_reviews": MIN_REVIEWS_TO_FIT,
        "reviews": ReviewLog.objects.filter(card__program=program).count(),
    }


def reschedule_job_latest(program):
    """The program's latest rescheduling job (ended as failed first if its worker was lost), or None."""
    from rolloutplanner.jobs import job_reap_if_stale

    job = RescheduleJob.objects.filter(program=program).order_by("-id").first()
    return job_reap_if_stale(job) if job and not job.is_finished else job


CHART = 200  # the reliability chart's plot area, in SVG units
CALIBRATION_ANSWERS = 20_000


def calibration(program, *, bins=10):
    """Predicted recall at each review (as the policy predicted it then) against the answer.

    A reliability table per bin of predicted recall, SVG points for its chart, and log loss
    and RMSE against a constant that always predicts the observed share of right answers, over
    the latest CALIBRATION_ANSWERS answers (so the page costs the same for any program size).
    """
    logs = ReviewLog.objects.filter(card__program=program, predicted_recall__isnull=False)
    latest = logs.order_by("-reviewed_at").values_list("predicted_recall", "is_correct")[:CALIBRATION_ANSWERS]
    pairs = [(p, int(correct)) for p, correct in latest]
    table = reliability(pairs, bins)
    most = max((row["count"] for row in table), default=1)
    for row in table:
        row["x"] = round(row["predicted"] * CHART, 1)
        row["y"] = round((1 - row["observed"]) * CHART, 1)
        row["r"] = round(3 + 6 * (row["count"] / most) ** 0.5, 1)
    return {"table": table, "scores": scores(pairs), "size": CHART, "limit": CALIBRATION_ANSWERS}


def stages_recompute_state(rules):
    """Where the recompute asked for by the program's last saved rules stands, for the rules
    page: ("waiting" | "failed" | "lost" | "done" | None, the time or note to show)."""
    from django.conf import settings

    queued, done = rules.stages_queued_at, rules.stages_recomputed_at
    if queued and (done is None or done < queued):
        if rules.stages_note:
            return "failed", rules.stages_note
        if timezone.now() - queued > timedelta(seconds=settings.JOB_TIMEOUT_SECONDS):
            return "lost", queued  # like the job reaper: a recompute this late was lost
        return "waiting", queued
    return ("done", done) if done else (None, None)
