"""The bridge between `Card` rows and the `fsrs` package (the algorithm is not ours).

Learning and relearning steps are empty, so every interval is whole days; a right answer is
Good (Hard when the seller said they were unsure, Easy when sure), a wrong one is Again.
"""

from datetime import UTC
from functools import lru_cache

import fsrs

from .models import Card

CONFIDENCE_RATINGS = {"unsure": fsrs.Rating.Hard, "sure": fsrs.Rating.Easy}


@lru_cache(maxsize=32)
def scheduler_for(desired_retention=0.9, maximum_interval_days=180, fuzz=True):
    return fsrs.Scheduler(
        desired_retention=desired_retention,
        learning_steps=(),
        relearning_steps=(),
        maximum_interval=maximum_interval_days,
        enable_fuzzing=fuzz,
    )


def scheduler_for_rules(rules):
    return scheduler_for(rules.desired_retention, rules.maximum_interval_days)


def _utc(value):
    return value.astimezone(UTC) if value is not None else None


def to_fsrs(card):
    return fsrs.Card(
        card_id=card.pk or 0,
        state=fsrs.State(card.state),
        step=(card.step or 0) if card.state == Card.State.LEARNING else None,
        stability=card.stability,
        difficulty=card.difficulty,
        due=_utc(card.due_at),
        last_review=_utc(card.last_review_at),
    )


def apply_fsrs(card, fsrs_card):
    """Copy the scheduler's new state onto the Card row (not saved)."""
    card.state = int(fsrs_card.state)
    card.step = fsrs_card.step
    card.stability = fsrs_card.stability
    card.difficulty = fsrs_card.difficulty
    card.due_at = fsrs_card.due
    card.last_review_at = fsrs_card.last_review


def rating_for(*, is_correct, confidence=""):
    if not is_correct:
        return fsrs.Rating.Again
    return CONFIDENCE_RATINGS.get(confidence, fsrs.Rating.Good)


def recall_of(card, now, scheduler=None):
    """Predicted probability (0–1) that the seller recalls the answer now; None before any review."""
    if card.last_review_at is None or not card.stability:
        return None
    scheduler = scheduler or scheduler_for()
    return scheduler.get_card_retrievability(to_fsrs(card), _utc(now))


def review(card, *, rating, now, scheduler):
    """Review `card` with `rating` at `now`; returns (predicted recall before, fsrs card after)."""
    before = to_fsrs(card)
    predicted = scheduler.get_card_retrievability(before, _utc(now)) if card.last_review_at else None
    after, _ = scheduler.review_card(before, rating, review_datetime=_utc(now))
    return predicted, after
