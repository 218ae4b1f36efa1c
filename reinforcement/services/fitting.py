"""Per-program spacing policies: fit them from the program's review logs, go back to the
defaults, and reschedule the program's cards from their history when the policy changes.

The fitting itself is `reinforcement.spacing.fitted` (FSRS weights with fsrs-rs); this module
only feeds it the program's histories and stores what it returns.
"""

import json
import logging
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from programs.models import Program

from .. import spacing
from ..models import Card, ProgramSpacing, ReinforcementRules, ReviewLog
from ..scheduling import apply_memory, policy_for, policy_from

logger = logging.getLogger(__name__)
CHUNK = 2000
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


def programs_to_fit():
    """Launched programs with enough review logs and fitting not switched off by the lead."""
    return (
        Program.objects.filter(status=Program.Status.LAUNCHED)
        .exclude(spacing__fitting_enabled=False)
        .filter(pk__in=ReviewLog.objects.values("card__program_id"))
        .order_by("pk")
    )


def program_spacing_fit(*, program, now=None):
    """Fit `program`'s policy from its review logs; reschedule its cards when it changes.

    Idempotent: nothing is done while no review was logged since the last run, or when the
    lead went back to the defaults. With too little data (`spacing.fitted` returns the base
    policy) the stored policy stays. Returns the ProgramSpacing row, or None when there is none.
    """
    now = now or timezone.now()
    current = ProgramSpacing.objects.filter(program=program).first()
    if current is not None and not current.fitting_enabled:
        return current
    count = ReviewLog.objects.filter(card__program=program).count()
    if count < spacing.MIN_REVIEWS_TO_FIT or (current is not None and current.review_count == count):
        return current
    rules = ReinforcementRules.for_program(program)
    base = policy_from(current.params if current else {}, rules)
    histories = program_histories(program)
    policy = spacing.fitted(histories.values(), base=base)
    with transaction.atomic():
        row, _ = ProgramSpacing.objects.select_for_update().get_or_create(program=program)
        row.review_count = count
        if policy == base or not policy.params.get("fit"):
            row.save(update_fields=["review_count", "updated_at"])
            logger.info("spacing: %s keeps its policy (%s reviews, nothing to fit)", program.pk, count)
            return row
        row.params = policy.params
        row.fitted_at = now
        row.save()
        program.spacing = row
        moved = cards_reschedule(program=program, now=now)
    logger.info("spacing: fitted %s on %s reviews; %s cards rescheduled", program.pk, count, moved)
    return row


@transaction.atomic
def program_spacing_reset(*, program, now=None):
    """Go back to the default policy and stop fitting until the lead turns it on again."""
    row, _ = ProgramSpacing.objects.select_for_update().get_or_create(program=program)
    row.params, row.fitted_at, row.review_count, row.fitting_enabled = {}, None, 0, False
    row.save()
    program.spacing = row
    return cards_reschedule(program=program, now=now)


@transaction.atomic
def program_spacing_resume(*, program):
    """Let the periodic task fit the program's policy again (at its next run)."""
    row, _ = ProgramSpacing.objects.select_for_update().get_or_create(program=program)
    row.fitting_enabled, row.review_count = True, 0
    row.save(update_fields=["fitting_enabled", "review_count", "updated_at"])
    return row


def cards_reschedule(*, program, now=None):
    """Rebuild every answered card's memory of `program` by replaying its answers under the
    program's current policy, and move its next question (or retire it) accordingly.

    Chunk by chunk, the cards are locked and their histories read under the lock, so an
    answer given meanwhile is either in the replay or waits for it (PostgreSQL)."""
    now = now or timezone.now()
    policy = policy_for(program)
    ids = sorted(
        ReviewLog.objects.filter(card__program=program)
        .values_list("card_id", flat=True)
        .distinct()
        .order_by()
    )
    moved = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic():
            cards = list(Card.objects.select_for_update().filter(pk__in=chunk).order_by("pk"))
            histories = program_histories(program, card_ids=chunk)
            for card in cards:
                memory = policy.start(card.created_at)
                for at, correct, confidence in histories[card.pk]:
                    memory = policy.review(memory, correct=correct, at=at, confidence=confidence)
                apply_memory(card, memory, policy, now)
            _write_cards(cards)
        moved += len(cards)
    return moved


def _write_cards(cards):
    """Store the rescheduled columns; on PostgreSQL one UPDATE ... FROM (VALUES ...) per chunk
    (Django's bulk_update builds a CASE per column, far slower for thousands of rows)."""
    if connection.vendor != "postgresql":
        Card.objects.bulk_update(cards, RESCHEDULED_FIELDS, batch_size=500)
        return
    table = Card._meta.db_table
    casts = {
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
    row = "(%s, " + ", ".join(f"%s::{casts[f]}" for f in RESCHEDULED_FIELDS) + ")"
    assignments = ", ".join(f"{f} = v.{f}" for f in RESCHEDULED_FIELDS)
    with connection.cursor() as cursor:
        values = ", ".join([row] * len(cards))
        params = []
        for card in cards:
            params.append(card.pk)
            params.extend(
                json.dumps(card.memory) if f == "memory" else getattr(card, f) for f in RESCHEDULED_FIELDS
            )
        cursor.execute(
            f"UPDATE {table} AS c SET {assignments} FROM (VALUES {values}) "
            f"AS v(id, {', '.join(RESCHEDULED_FIELDS)}) WHERE c.id = v.id",
            params,
        )
