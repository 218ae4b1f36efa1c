"""Rescheduling a program's cards from their history when its spacing policy changes.

A change of policy (the nightly fit, *Go back to the default weights*, new retention bounds or
intervals) only raises `ProgramSpacing.policy_version` and records a `RescheduleJob` for that
version; the job is queued once the transaction commits (in-process when no broker is set up,
like every task of the app). The job replays each answered card's answers under the policy,
batch by batch, and records its progress. The newest policy wins: every batch first locks the
program's `ProgramSpacing` row and checks the version, so a job whose policy was replaced stops
as superseded before writing anything under the old policy, while the newer job reschedules
every card.
"""

import json
import logging
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from cohorts.services.queue import enqueue_or_background
from rolloutplanner.jobs import failure_note

from ..models import Card, ProgramSpacing, ReinforcementRules, RescheduleJob, ReviewLog
from ..scheduling import apply_memory, policy_from

logger = logging.getLogger(__name__)
BATCH = 2000
RESCHEDULED_FIELDS = [
    "memory",
    "stability",
    "difficulty",
    "last_review_at",
    "lapses",
    "state",
    "step",
    "due_at",
    "retired_at",
]
ACTIVE = (RescheduleJob.Status.QUEUED, RescheduleJob.Status.RUNNING)
SUPERSEDED_NOTE = (
    "The policy changed again while this job waited or ran; a newer job reschedules every question."
)


def program_histories(program, *, card_ids=None):
    """{card id: [(answered_at, correct, confidence), ...]} in order, for every answered card
    of `program` (or only `card_ids`)."""
    histories = defaultdict(list)
    logs = ReviewLog.objects.filter(card__program=program)
    if card_ids is not None:
        logs = logs.filter(card_id__in=card_ids)
    rows = logs.order_by("card_id", "reviewed_at", "id").values_list(
        "card_id", "reviewed_at", "is_correct", "confidence"
    )
    for card_id, at, correct, confidence in rows.iterator(chunk_size=5000):
        histories[card_id].append((at, correct, confidence))
    return histories


# ---------------------------------------------------------------- starting a job
def policy_changed(*, row, trigger, user=None):
    """`row` (the program's ProgramSpacing, locked by the caller's transaction) now describes a
    new policy: raise its version and start the job that reschedules the cards under it."""
    row.policy_version = F("policy_version") + 1
    row.save(update_fields=["policy_version", "updated_at"])
    row.refresh_from_db(fields=["policy_version"])
    return _job_start(row=row, trigger=trigger, user=user)


@transaction.atomic
def reschedule_again(*, program, user=None):
    """Start a job for the current policy (after a failed one). Returns (job, started): while a
    job for the current policy is queued or running, that one is returned and nothing starts."""
    row, _ = ProgramSpacing.objects.select_for_update().get_or_create(program=program)
    current = RescheduleJob.objects.filter(
        program=program, policy_version=row.policy_version, status__in=ACTIVE
    ).first()
    if current is not None:
        return current, False
    return _job_start(row=row, trigger=RescheduleJob.Trigger.RETRY, user=user), True


def _job_start(*, row, trigger, user):
    # Older jobs still waiting will never run: say so now rather than when their task arrives.
    RescheduleJob.objects.filter(program_id=row.program_id, status=RescheduleJob.Status.QUEUED).update(
        status=RescheduleJob.Status.SUPERSEDED, finished_at=timezone.now(), note=SUPERSEDED_NOTE
    )
    job = RescheduleJob.objects.create(
        program_id=row.program_id, policy_version=row.policy_version, trigger=trigger, created_by=user
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id):
    from ..tasks import reschedule_cards

    def note():
        RescheduleJob.objects.filter(pk=job_id).update(
            note="The task queue was unreachable, so the web server reschedules in its background."
        )

    if enqueue_or_background(reschedule_cards, job_id, before_thread=note) == "full":
        RescheduleJob.objects.filter(pk=job_id, status=RescheduleJob.Status.QUEUED).update(
            status=RescheduleJob.Status.FAILED,
            finished_at=timezone.now(),
            note="The task queue is unreachable and other background jobs are waiting; "
            "start it again shortly.",
        )


# ---------------------------------------------------------------- running a job
def reschedule_job_run(*, job_id, now=None, batch_size=BATCH):
    """Run one job: replay every answered card of its program under the policy of its version.

    Idempotent: only a queued job is claimed, so a second delivery of the task does nothing.
    Always ends: SUCCEEDED, SUPERSEDED (the policy changed again) or FAILED with the reason in
    `note`. Returns the job, or None when it no longer exists (its program was deleted).
    """
    now = now or timezone.now()
    if not RescheduleJob.objects.filter(pk=job_id, status=RescheduleJob.Status.QUEUED).update(
        status=RescheduleJob.Status.RUNNING, started_at=timezone.now()
    ):
        return RescheduleJob.objects.filter(pk=job_id).first()
    job = RescheduleJob.objects.select_related("program").get(pk=job_id)
    status, note = RescheduleJob.Status.SUCCEEDED, ""
    try:
        ids = answered_card_ids(job.program)
        RescheduleJob.objects.filter(pk=job_id).update(total=len(ids))
        for start in range(0, len(ids), batch_size):
            if not _batch(job, ids[start : start + batch_size], done=start, now=now):
                status, note = RescheduleJob.Status.SUPERSEDED, SUPERSEDED_NOTE
                break
    except Exception as exc:
        logger.exception("Rescheduling job %s failed", job_id)
        status, note = RescheduleJob.Status.FAILED, _failure_note(exc)
    RescheduleJob.objects.filter(pk=job_id).update(status=status, note=note, finished_at=timezone.now())
    logger.info("spacing: rescheduling job %s of program %s ended %s", job_id, job.program_id, status)
    return RescheduleJob.objects.filter(pk=job_id).first()


def answered_card_ids(program):
    answered = ReviewLog.objects.filter(card__program=program).values_list("card_id", flat=True)
    return sorted(answered.distinct().order_by())


@transaction.atomic
def _batch(job, card_ids, *, done, now):
    """Reschedule one batch; False (nothing written) when the job's policy is no longer current.

    The ProgramSpacing row stays locked until the batch commits, so a change of policy waits
    for it and the next batch sees the new version; the cards are locked and their histories
    read under the lock, so an answer given meanwhile is in the replay or waits for it."""
    row = ProgramSpacing.objects.select_for_update().filter(program_id=job.program_id).first()
    if row is None or row.policy_version != job.policy_version:
        return False
    rules = ReinforcementRules.objects.filter(program_id=job.program_id).first()
    policy = policy_from(row.params, rules or ReinforcementRules(program_id=job.program_id))
    cards = list(Card.objects.select_for_update().filter(pk__in=card_ids).order_by("pk"))
    histories = program_histories(job.program, card_ids=card_ids)
    for card in cards:
        memory = policy.start(card.created_at)
        for at, correct, confidence in histories[card.pk]:
            memory = policy.review(memory, correct=correct, at=at, confidence=confidence)
        apply_memory(card, memory, policy, now)
    write_cards(cards)
    RescheduleJob.objects.filter(pk=job.pk).update(processed=done + len(card_ids))
    return True


def _failure_note(exc):
    advice = " Questions not reached keep their earlier schedule; start it again."
    return failure_note(exc, model=RescheduleJob, advice=advice)


def write_cards(cards):
    """Store the rescheduled columns with one UPDATE ... FROM a list of values per few hundred
    cards (Django's bulk_update builds a CASE per column and row: minutes for 20,000 cards on
    SQLite, far slower on PostgreSQL too); other databases use bulk_update."""
    if not cards:
        return
    if connection.vendor == "postgresql":
        _update_from_values(cards, rows_per_statement=len(cards), casts=POSTGRESQL_CASTS)
    elif connection.vendor == "sqlite":
        # 10 parameters a card, under SQLite's 32,766 host parameters
        _update_from_values(cards, rows_per_statement=500, casts=None)
    else:
        Card.objects.bulk_update(cards, RESCHEDULED_FIELDS, batch_size=500)


POSTGRESQL_CASTS = {
    "memory": "jsonb",
    "stability": "float8",
    "difficulty": "float8",
    "last_review_at": "timestamptz",
    "lapses": "integer",
    "state": "smallint",
    "step": "smallint",
    "due_at": "timestamptz",
    "retired_at": "timestamptz",
}


def _update_from_values(cards, *, rows_per_statement, casts):
    fields = [Card._meta.get_field(name) for name in RESCHEDULED_FIELDS]
    cast = (lambda name: f"::{casts[name]}") if casts else (lambda name: "")
    row = "(%s, " + ", ".join(f"%s{cast(name)}" for name in RESCHEDULED_FIELDS) + ")"
    columns = ", ".join(RESCHEDULED_FIELDS)
    assignments = ", ".join(f"{name} = v.{name}" for name in RESCHEDULED_FIELDS)
    table = connection.ops.quote_name(Card._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(cards), rows_per_statement):
            some = cards[start : start + rows_per_statement]
            params = []
            for card in some:
                params.append(card.pk)
                params.extend(
                    json.dumps(card.memory)
                    if field.name == "memory"
                    else field.get_db_prep_value(getattr(card, field.attname), connection)
                    for field in fields
                )
            cursor.execute(
                f"WITH v(id, {columns}) AS (VALUES {', '.join([row] * len(some))}) "
                f"UPDATE {table} SET {assignments} FROM v WHERE {table}.id = v.id",
                params,
            )
