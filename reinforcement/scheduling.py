"""The bridge between `Card` rows and the pure spacing policy (`reinforcement.spacing`).

The policy decides; this module only builds a program's policy (its stored params, with the
lead's bounds from ReinforcementRules on top), reads a card's memory and writes the memory
back with its mirror columns. A card that has no memory yet (created in bulk, or before
memories were stored) gets one from its columns, so memory from any policy is accepted.
"""

import logging
from datetime import UTC, datetime

from .models import Card, ProgramSpacing, ReinforcementRules, ReviewLog
from .spacing import Spacing, rating

AGAIN = 1
logger = logging.getLogger(__name__)


def _iso(value):
    return value.astimezone(UTC).isoformat() if value is not None else None


def policy_from(stored, rules):
    """The policy for stored `Spacing.params` (may be empty: the defaults) under `rules`.

    Stored params a newer spacing module no longer knows, or no longer accepts, fall back to
    its defaults rather than break every page that asks when a question is due.
    """
    stored = {key: value for key, value in stored.items() if key in Spacing.DEFAULTS}
    low, high = sorted((rules.retention_min, rules.retention_max))
    retention = stored.get("desired_retention", Spacing.DEFAULTS["desired_retention"])
    lead = {
        "retention_bounds": [low, high],
        "desired_retention": min(max(retention, low), high),
        "maximum_interval_days": rules.maximum_interval_days,
        "retire_stability_days": rules.retire_stability_days,
    }
    try:
        return Spacing(**{**stored, **lead})
    except ValueError:
        logger.warning("Stored spacing params no longer valid; using the defaults", exc_info=True)
        return Spacing(**lead)


def policy_for(program, rules=None):
    """The spacing policy `program` uses now."""
    rules = rules or ReinforcementRules.for_program(program)
    try:
        stored = program.spacing.params
    except ProgramSpacing.DoesNotExist:
        stored = {}
    return policy_from(stored, rules)


def memory_of(card):
    """The card's memory; built from its columns when none is stored yet."""
    if card.memory:
        return card.memory
    reviewed = card.last_review_at is not None and bool(card.stability)
    return {
        "version": 1,
        "trained_at": _iso(card.created_at or card.due_at),
        "last_review": _iso(card.last_review_at) if reviewed else None,
        "stability": card.stability if reviewed else None,
        "difficulty": card.difficulty if reviewed else None,
        "reviews": card.reviews,
        "lapses": card.lapses,
        "streak": 1 if reviewed and (card.last_rating or 0) > AGAIN else 0,
        "fuzz": 0.5,
    }


def apply_memory(card, memory, policy, now):
    """Write `memory` and its mirror columns onto the card (not saved).

    The next question comes at the policy's `next_due`; when it says None the card retires.
    """
    card.memory = memory
    card.stability = memory.get("stability")
    card.difficulty = memory.get("difficulty")
    if memory.get("last_review"):
        card.last_review_at = datetime.fromisoformat(memory["last_review"])
    card.lapses = memory.get("lapses", card.lapses)
    card.state = Card.State.REVIEW if memory.get("streak") else Card.State.RELEARNING
    card.step = None
    due = policy.next_due(memory)
    if due is None:
        card.retired_at = card.retired_at or now
    else:
        card.retired_at = None
        card.due_at = due


def answer_applied(card, policy, *, chosen_index, correct, at, confidence="", nudge=None):
    """Apply an answer to the card (not saved) and return its ReviewLog (not saved either).

    The card takes the policy's new memory and next question, its next review number and its
    rating; the log records what was predicted before the answer. The answer service and the
    demo's history both go through here.
    """
    memory = memory_of(card)
    predicted = policy.recall(memory, at)
    apply_memory(card, policy.review(memory, correct=correct, at=at, confidence=confidence), policy, at)
    card.reviews += 1
    card.last_rating = rating(correct, confidence)
    return ReviewLog(
        card=card,
        nudge=nudge,
        chosen_index=chosen_index,
        is_correct=correct,
        confidence=confidence,
        rating=card.last_rating,
        predicted_recall=predicted,
        stability_after=card.stability,
        due_after=card.due_at,
        reviewed_at=at,
        sequence=card.reviews,
    )


def recall_from(*, stability, last_review_at, now, policy):
    """The same from the two mirror columns (for list pages that read values, not rows)."""
    if last_review_at is None or not stability:
        return None
    return policy.recall({"stability": stability, "last_review": _iso(last_review_at)}, now)
