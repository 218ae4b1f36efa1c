"""Stage rows: create them for a program's audience and recompute them from evidence."""

import json
import logging
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone

from cohorts.models import Enrollment
from programs.models import ProgramSkill
from rolloutplanner.jobs import failure_note

from ..evidence import Evidence, stage_for
from ..models import (
    ActionPlan,
    AssessmentResult,
    Card,
    CoachingRating,
    CoachingSession,
    Question,
    ReinforcementRules,
    ReviewLog,
    SkillStage,
    Stage,
    StageEvent,
)

CHUNK = 5000
logger = logging.getLogger(__name__)


def stages_ensure(*, program, person_ids):
    """Give each person a stage row for every skill of `program` (existing rows untouched)."""
    program_skill_ids = list(ProgramSkill.objects.filter(program=program).values_list("id", flat=True))
    rows = [SkillStage(person_id=p, program_skill_id=ps) for p in person_ids for ps in program_skill_ids]
    SkillStage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)
    return len(rows)


def stages_ensure_for_audiences():
    """Stage rows for everyone confirmed in a launched program's audience (cohorts' membership)."""
    from cohorts.selectors import people_in_scope
    from programs.models import Program

    created = 0
    for program in Program.objects.filter(status=Program.Status.LAUNCHED):
        created += stages_ensure(
            program=program, person_ids=list(people_in_scope(program).values_list("pk", flat=True))
        )
    return created


def cards_ensure(*, pairs, now=None):
    """Create cards, due now, for every active question of each (person, program_skill) pair.

    `pairs` is an iterable of (person_id, program_id, skill_id). Existing cards are kept.
    """
    now = now or timezone.now()
    by_skill = defaultdict(list)
    for person_id, program_id, skill_id in pairs:
        by_skill[skill_id].append((person_id, program_id))
    if not by_skill:
        return 0
    questions = defaultdict(list)
    for qid, skill_id in Question.objects.filter(skill_id__in=by_skill, is_active=True).values_list(
        "id", "skill_id"
    ):
        questions[skill_id].append(qid)
    cards = [
        Card(person_id=person_id, program_id=program_id, question_id=qid, due_at=now, step=0)
        for skill_id, members in by_skill.items()
        for person_id, program_id in members
        for qid in questions[skill_id]
    ]
    Card.objects.bulk_create(cards, ignore_conflicts=True, batch_size=5000)
    return len(cards)


def _evidence_for(rows, person_ids):
    """Evidence per (person_id, program_skill_id) for the stage `rows` (dicts), in a few queries."""
    program_skill_ids = {r["program_skill_id"] for r in rows}
    skill_ids = {r["program_skill__skill_id"] for r in rows}
    program_ids = {r["program_skill__program_id"] for r in rows}
    person_filter = {"person_id__in": person_ids} if person_ids is not None else {}

    post_scores = {
        (p, ps): score
        for p, ps, score in AssessmentResult.objects.filter(
            kind=AssessmentResult.Kind.POST, program_skill_id__in=program_skill_ids, **person_filter
        ).values_list("person_id", "program_skill_id", "score")
    }
    attended = set(
        Enrollment.objects.filter(
            attendance=Enrollment.Attendance.ATTENDED,
            session__cohort__program_id__in=program_ids,
            **person_filter,
        )
        .values_list("person_id", "session__cohort__program_id")
        .distinct()
    )
    # Evidence belongs to a program: cards, ratings, plans and practice count only in their own.
    recall = {
        (c["person_id"], c["program_id"], c["question__skill_id"]): c
        for c in Card.objects.filter(
            last_review_at__isnull=False,
            program_id__in=program_ids,
            question__skill_id__in=skill_ids,
            **person_filter,
        )
        .values("person_id", "program_id", "question__skill_id")
        .annotate(
            n=Count("id"),
            avg=Avg("stability"),
            relearning=Count("id", filter=Q(last_rating=ReviewLog.Rating.AGAIN)),
        )
        .order_by()
    }
    seller_filter = {"seller_id__in": person_ids} if person_ids is not None else {}
    ratings = defaultdict(lambda: {"practice": [], "applied": [], "high": 0, "signed": False})
    for seller_id, program_id, skill_id, kind, rating, signed in CoachingRating.objects.filter(
        skill_id__in=skill_ids, session__program_id__in=program_ids, **seller_filter
    ).values_list(
        "seller_id", "session__program_id", "skill_id", "session__kind", "rating", "signs_off_mastery"
    ):
        entry = ratings[(seller_id, program_id, skill_id)]
        if kind in CoachingSession.APPLICATION_KINDS:
            entry["applied"].append(rating)
        else:
            entry["practice"].append(rating)
        entry["high"] += rating >= 4
        entry["signed"] |= signed
    plans = {
        (p["person_id"], p["program_id"], p["skill_id"]): p
        for p in ActionPlan.objects.filter(
            skill_id__in=skill_ids, program_id__in=program_ids, **person_filter
        )
        .values("person_id", "program_id", "skill_id")
        .annotate(n=Count("id"), observed=Count("id", filter=Q(observed_at__isnull=False)))
        .order_by()
    }

    from ..practice.selectors import practice_evidence

    practice = practice_evidence(
        skill_ids=skill_ids,
        program_ids=program_ids,
        program_skill_ids=program_skill_ids,
        person_ids=person_ids,
    )
    evidence = {}
    for r in rows:
        key = (r["person_id"], r["program_skill__program_id"], r["program_skill__skill_id"])
        person_id = r["person_id"]
        card, rated, plan = recall.get(key), ratings.get(key), plans.get(key)
        evidence[r["id"]] = Evidence(
            attended=(person_id, r["program_skill__program_id"]) in attended,
            post_score=post_scores.get((person_id, r["program_skill_id"])),
            reviewed_cards=card["n"] if card else 0,
            avg_stability=card["avg"] if card else None,
            relearning_cards=card["relearning"] if card else 0,
            practice_ratings=sorted(rated["practice"]) if rated else [],
            application_ratings=sorted(rated["applied"]) if rated else [],
            action_plans=plan["n"] if plan else 0,
            observed_plans=plan["observed"] if plan else 0,
            high_ratings=rated["high"] if rated else 0,
            signed_off=rated["signed"] if rated else False,
            practice_scores=practice.scores.get(key, []),
            certification_required=r["program_skill_id"] in practice.required,
            certified=(person_id, r["program_skill_id"]) in practice.certified,
        )
    return evidence


def _write_evidence(rows):
    """Store each moved row's evidence; on PostgreSQL one UPDATE ... FROM (VALUES ...) per batch."""
    if connection.vendor != "postgresql":
        objs = [SkillStage(id=pk, evidence=evidence) for pk, evidence in rows]
        SkillStage.objects.bulk_update(objs, ["evidence"], batch_size=500)
        return
    table = SkillStage._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            batch = rows[start : start + 2000]
            values = ", ".join(["(%s, %s::jsonb)"] * len(batch))
            params = [p for pk, evidence in batch for p in (pk, json.dumps(evidence))]
            cursor.execute(
                f"UPDATE {table} AS s SET evidence = v.evidence FROM (VALUES {values}) AS v(id, evidence)"
                " WHERE s.id = v.id",
                params,
            )


def _recompute_rows(rows, person_ids, *, actor, now, rules_by_program, reason_prefix):
    evidence = _evidence_for(rows, person_ids)
    moved, events, learned, evidence_rows = defaultdict(list), [], [], []
    for r in rows:
        rules = rules_by_program[r["program_skill__program_id"]]
        ev = evidence[r["id"]]
        new_stage, reason = stage_for(ev, rules, current=r["stage"])
        if new_stage != r["stage"]:
            ev_json = ev.as_json()
            moved[new_stage].append(r["id"])
            evidence_rows.append((r["id"], ev_json))
            events.append(
                StageEvent(
                    skill_stage_id=r["id"],
                    from_stage=r["stage"],
                    to_stage=new_stage,
                    reason=(f"{reason_prefix}: {reason}" if reason_prefix else reason)[:300],
                    evidence=ev_json,
                    actor=actor,
                    created_at=now,
                )
            )
            if Stage.rank(r["stage"]) < Stage.rank(Stage.LEARN) <= Stage.rank(new_stage):
                learned.append((r["person_id"], r["program_skill__program_id"], r["program_skill__skill_id"]))
    # One UPDATE per target stage instead of a per-row CASE: cheap even for 100,000s of rows.
    for stage, ids in moved.items():
        for start in range(0, len(ids), 5000):
            SkillStage.objects.filter(id__in=ids[start : start + 5000]).update(stage=stage, updated_at=now)
    _write_evidence(evidence_rows)
    StageEvent.objects.bulk_create(events, batch_size=2000)
    cards_ensure(pairs=learned, now=now)
    return len(events)


def stages_recompute(*, program_ids=None, person_ids=None, skill_ids=None, actor=None, reason_prefix=""):
    """Recompute stage rows in scope from the evidence; write an event for every move.

    Scope narrows by programs, people and skills (None = all). People are processed in
    chunks so a program of 100,000 sellers stays within memory. Returns the number of moves.
    """
    now = timezone.now()
    qs = SkillStage.objects.all()
    if program_ids is not None:
        qs = qs.filter(program_skill__program_id__in=program_ids)
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    if skill_ids is not None:
        qs = qs.filter(program_skill__skill_id__in=skill_ids)
    from programs.models import Program

    programs = Program.objects.filter(id__in=qs.values("program_skill__program_id")).select_related(
        "reinforcement_rules"
    )
    rules_by_program = {p.id: ReinforcementRules.for_program(p) for p in programs}
    all_people = sorted(set(qs.values_list("person_id", flat=True)))
    moves = 0
    fields = ("id", "person_id", "program_skill_id", "stage")
    fields += ("program_skill__skill_id", "program_skill__program_id")
    for start in range(0, len(all_people), CHUNK):
        chunk = all_people[start : start + CHUNK]
        with transaction.atomic():
            rows = list(qs.filter(person_id__in=chunk).values(*fields))
            moves += _recompute_rows(
                rows,
                chunk,
                actor=actor,
                now=now,
                rules_by_program=rules_by_program,
                reason_prefix=reason_prefix,
            )
    return moves


def stage_recompute_for(*, person, skill, actor=None, reason_prefix=""):
    """Recompute one seller's stage rows for one skill (every program that trains it)."""
    return stages_recompute(
        person_ids=[person.pk], skill_ids=[skill.pk], actor=actor, reason_prefix=reason_prefix
    )


# ---------------------------------------------------------------- after the rules change
RULES_CHANGED = "Program rules changed"


def stages_recompute_later(*, rules):
    """Mark `rules` (about to be saved by the caller's transaction) as waiting for its program's
    stages, and queue the recompute once the transaction commits, like the rescheduling job:
    in-process when no broker is set up, in a background thread when the broker is down."""
    rules.stages_queued_at = timezone.now()
    rules.stages_note = ""
    program_id = rules.program_id
    transaction.on_commit(lambda: _enqueue(program_id))


def _enqueue(program_id):
    from cohorts.services.queue import enqueue_or_background

    from ..tasks import recompute_stages

    if enqueue_or_background(recompute_stages, program_id) == "full":
        ReinforcementRules.objects.filter(program_id=program_id).update(
            stages_note="The task queue is unreachable and other background jobs are waiting; "
            "the nightly recompute applies the new rules."
        )


def stages_recompute_program(*, program_id):
    """The recompute queued by saved rules. Idempotent: when a recompute started after the
    latest save (a redelivery, or a newer save's task ran first), nothing is done again.
    Returns the number of moves, or None when skipped."""
    rules = ReinforcementRules.objects.filter(program_id=program_id).first()
    if rules is None:
        return None  # the program was deleted
    if rules.stages_recomputed_at and (
        rules.stages_queued_at is None or rules.stages_recomputed_at >= rules.stages_queued_at
    ):
        return None
    started = timezone.now()
    try:
        moves = stages_recompute(program_ids=[program_id], reason_prefix=RULES_CHANGED)
    except Exception as exc:
        logger.exception("Recomputing the stages of program %s failed", program_id)
        note = failure_note(
            exc, model=ReinforcementRules, field="stages_note", advice=" The nightly recompute tries again."
        )
        ReinforcementRules.objects.filter(program_id=program_id).update(stages_note=note)
        return None
    ReinforcementRules.objects.filter(program_id=program_id).update(
        stages_recomputed_at=started, stages_note=""
    )
    return moves


def stages_recompute_nightly():
    """Every launched program's audience gets its stage rows, then every stage is recomputed;
    the rules saved before it started count as recomputed now."""
    started = timezone.now()
    stages_ensure_for_audiences()
    moves = stages_recompute(reason_prefix="Nightly recompute")
    ReinforcementRules.objects.filter(
        Q(stages_queued_at__isnull=True) | Q(stages_queued_at__lte=started)
    ).update(stages_recomputed_at=started, stages_note="")
    return moves
