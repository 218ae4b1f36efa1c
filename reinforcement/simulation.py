"""Replay a synthetic cohort against three schedulers, so the choice of FSRS is shown.

Ground truth: each learner forgets by the DSR memory model (the family FSRS belongs to),
but with their own parameters: FSRS's published defaults, each scaled by random noise, so the
scheduler's defaults never match anyone exactly. Some questions are harder from the start.
Each scheduler only sees right/wrong answers, as in production:

- FSRS (the `fsrs` package, desired retention 0.9, intervals in days, 180 days maximum);
- fixed intervals as in spaced-education trials: 12 days after a wrong answer, 24 after a right one;
- Leitner boxes with intervals [1, 2, 7] days.

A question counts as mastered once its true stability reaches 60 days (the Master threshold).
Some nudges get no reply; they are resent the next day and count as nudges, not as answers.
"""

import random
import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import fsrs
from fsrs.scheduler import DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
MASTERY_DAYS = 60.0
HELD_DAYS = 180.0
REPLY_RATE = 0.85
NOISE = 0.35  # spread of each learner's memory parameters around the defaults


def at(day):
    return EPOCH + timedelta(days=day)


def learner_memory(rng):
    """A learner's true memory model: FSRS defaults, each parameter scaled and kept in bounds."""
    params = [
        min(high, max(low, value * rng.lognormvariate(0, NOISE)))
        for value, low, high in zip(
            DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True
        )
    ]
    return fsrs.Scheduler(parameters=params, learning_steps=(), relearning_steps=(), enable_fuzzing=False)


@dataclass
class Item:
    """One learner's memory of one question (the truth the schedulers never see)."""

    memory: fsrs.Scheduler
    card: fsrs.Card

    @classmethod
    def trained(cls, memory, hard):
        card, _ = memory.review_card(fsrs.Card(), fsrs.Rating.Hard if hard else fsrs.Rating.Good, at(0))
        return cls(memory, card)

    @property
    def stability(self):
        return self.card.stability

    def mean_recall(self, start, end):
        """Average true recall from day `start` to `end` without a review in between (closed form)."""
        if end <= start:
            return 0.0
        decay = -self.memory.parameters[20]
        factor = 0.9 ** (1 / decay) - 1
        stability, span = self.card.stability, end - start
        elapsed = start - (self.card.last_review - EPOCH).total_seconds() / 86400

        def area(t):
            return stability / factor * (1 + factor * t / stability) ** (decay + 1) / (decay + 1)

        return (area(elapsed + span) - area(elapsed)) / span

    def answer(self, day, rng):
        recall = self.memory.get_card_retrievability(self.card, at(day))
        correct = rng.random() < recall
        rating = fsrs.Rating.Good if correct else fsrs.Rating.Again
        self.card, _ = self.memory.review_card(self.card, rating, at(day))
        return correct, recall


class FsrsPolicy:
    name = "FSRS (retention 0.9)"

    def __init__(self):
        self.scheduler = fsrs.Scheduler(
            desired_retention=0.9,
            learning_steps=(),
            relearning_steps=(),
            maximum_interval=180,
            enable_fuzzing=False,
        )

    def start(self):
        return {"card": fsrs.Card()}

    def next_interval(self, state, now, correct):
        when = at(now)
        rating = fsrs.Rating.Good if correct else fsrs.Rating.Again
        state["card"], _ = self.scheduler.review_card(state["card"], rating, review_datetime=when)
        return max(1.0, (state["card"].due - when).total_seconds() / 86400)


class FixedPolicy:
    name = "Fixed 12/24 days"

    def start(self):
        return {}

    def next_interval(self, state, now, correct):
        return 24.0 if correct else 12.0


class LeitnerPolicy:
    name = "Leitner [1, 2, 7]"
    boxes = (1.0, 2.0, 7.0)

    def start(self):
        return {"box": 0}

    def next_interval(self, state, now, correct):
        state["box"] = min(state["box"] + 1, len(self.boxes) - 1) if correct else 0
        return self.boxes[state["box"]]


@dataclass
class Result:
    name: str
    items: int
    mastered: int = 0
    nudges_to_mastery: list = field(default_factory=list)
    recall_at_review: list = field(default_factory=list)
    recall_over_time: list = field(default_factory=list)
    nudges: int = 0

    def row(self):
        share = 100 * self.mastered / self.items
        mean = statistics.fmean(self.nudges_to_mastery) if self.nudges_to_mastery else float("nan")
        median = statistics.median(self.nudges_to_mastery) if self.nudges_to_mastery else float("nan")
        recall = 100 * statistics.fmean(self.recall_at_review) if self.recall_at_review else float("nan")
        held = 100 * statistics.fmean(self.recall_over_time) if self.recall_over_time else float("nan")
        return share, mean, median, recall, held, self.nudges / self.items


def cohort(rng, learners, questions):
    """(memory model, hard question?) per learner × question, fixed by the seed."""
    items = []
    for _ in range(learners):
        memory = learner_memory(rng)
        items += [(memory, rng.random() < 0.3) for _ in range(questions)]
    return items


def simulate(policy, population, days, seed):
    rng = random.Random(seed)
    result = Result(policy.name, len(population))
    for memory, hard in population:
        item, state = Item.trained(memory, hard), policy.start()
        # The training day is the first exposure; the first question comes one day later.
        now, nudges = 1.0, 0
        # Time-weighted true recall over the first HELD_DAYS days after training.
        held, last = 0.0, 0.0
        while now <= days:
            nudges += 1
            result.nudges += 1
            if rng.random() > REPLY_RATE:
                now += 1.0  # no reply: resend tomorrow, no rating
                continue
            if last < HELD_DAYS:
                end = min(now, HELD_DAYS)
                held += item.mean_recall(last, end) * (end - last)
            last = now
            correct, recall = item.answer(now, rng)
            result.recall_at_review.append(recall)
            if item.stability >= MASTERY_DAYS:
                result.mastered += 1
                result.nudges_to_mastery.append(nudges)
                break
            now += policy.next_interval(state, now, correct)
        if last < HELD_DAYS:
            held += item.mean_recall(last, HELD_DAYS) * (HELD_DAYS - last)
        result.recall_over_time.append(held / HELD_DAYS)
    return result


def run(*, learners=300, questions=10, days=365, seed=7):
    population = cohort(random.Random(seed), learners, questions)
    return [simulate(p, population, days, seed + 1) for p in (FsrsPolicy(), FixedPolicy(), LeitnerPolicy())]


def report(results, days):
    lines = [
        f"{'scheduler':<22} {'mastered':>9} {'nudges to mastery':>18} {'median':>7} {'recall at review':>17}"
        f" {'recall 0-180 d':>15} {'nudges/question':>16}",
    ]
    for r in results:
        share, mean, median, recall, held, per_item = r.row()
        lines.append(
            f"{r.name:<22} {share:>8.1f}% {mean:>18.1f} {median:>7.0f} {recall:>16.1f}% {held:>14.1f}%"
            f" {per_item:>16.1f}"
        )
    lines += [
        f"Mastered: true stability reached {MASTERY_DAYS:.0f} days within {days} days.",
        f"Recall 0-180 d: true recall averaged over the first {HELD_DAYS:.0f} days after training.",
        f"Nudges include resends after no reply ({100 - 100 * REPLY_RATE:.0f}% of nudges get none).",
    ]
    return "\n".join(lines)
