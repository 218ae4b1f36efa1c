"""The spacing policy: when to ask a seller a question again, and when to stop asking.

One pure module (standard library, `fsrs` and `fsrs_rs_python` only), so the app, the
simulation and anyone evaluating the policy run the same code. Daily caps, quiet hours, leave and
resends belong to the dispatcher, not here.

The memory model is FSRS-6 (21 weights; the `fsrs` package's defaults unless fitted):

- The training itself is not a review. A new seller x question is first asked
  `first_interval_days` after training; that first answer sets the initial stability and
  difficulty, exactly as in the data the weights are fitted on.
- A right answer is Good, or Hard when the seller tapped "unsure"/"low" and Easy when they
  tapped "sure"/"high"; a wrong answer is Again whatever the tap.
- The next question comes when predicted recall falls to the memory's retention, in whole
  days, never sooner than `minimum_interval_days` (2: the same question two days running
  teaches little and tires sellers) nor later than `maximum_interval_days`, with FSRS's usual
  fuzz of a few percent so a cohort's questions spread out. The fuzz is drawn once per answer
  from Python's `random` and kept in the memory, so `next_due` always gives the same answer
  for the same memory.
- The memory's retention is the desired retention for a memory of `retention_reference_days`
  (10) of stability, raised by `retention_slope` (0.03) for every e-fold (x 2.7) of stability
  above that and lowered by as much below, within 0.70-0.97. Keeping a strong memory's recall
  high costs few questions per day of recall and a weak one's many. The schedule that buys the
  most recall-days per question on the FSRS model (`simulation.recall_days_schedule`, value
  iteration over stability and difficulty) raises retention by about 0.02 per e-fold on the
  default weights; in the replay (`make simulate`) a slope of 0.03 saved 1-4 points against
  fixed 12/24 and the ladder under every ground truth, and did better than 0.02 (power law)
  and 0.05 (ACT-R).
- `fitted` learns the 21 weights from a program's own answers (fsrs-rs) and picks the desired
  retention by cost: the cheapest, within `retention_bounds`, whose predicted recall averaged
  over 180 days reaches `recall_target` (see `retention_by_cost`).

Retirement (a question stops being asked for that seller) needs both:

1. the memory is durable: stability (days until predicted recall falls to 90 %) has reached
   `retire_stability_days`, and
2. it is not still being forgotten: the last `retire_after_right` answers were all right.

A wrong answer resets the run of right answers, so a question that is still being forgotten
keeps coming back however high its stability once was.

A memory is a small JSON-serialisable dict. Any policy accepts a memory made by another one
(a program that switches to fitted weights keeps its live cards); `Spacing.replay` rebuilds a
memory from the answers when the exact weights should apply to the whole history.
"""

import math
import random
from datetime import UTC, datetime, timedelta

import fsrs_rs_python
from fsrs.scheduler import DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

DAY = 86400.0
MIN_STABILITY = 0.001
# Below this many reviews (answers that came a day or more after the previous one) a fit is
# noise; `fitted` keeps the base policy.
MIN_REVIEWS_TO_FIT = 400
MEMORY_VERSION = 1
WEIGHT_BOUNDS = (LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS)

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RETENTION_FLOOR, RETENTION_CEILING = 0.70, 0.97
UNSURE_TAPS = frozenset({"unsure", "low"})
SURE_TAPS = frozenset({"sure", "high"})


def rating(correct, confidence=""):
    """FSRS rating of an answer: wrong is Again; right is Good, Hard if unsure, Easy if sure."""
    if not correct:
        return AGAIN
    if confidence in UNSURE_TAPS:
        return HARD
    if confidence in SURE_TAPS:
        return EASY
    return GOOD


def _iso(value):
    if value.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return value.astimezone(UTC).isoformat()


def _parse(value):
    return datetime.fromisoformat(value) if value else None


def _days(later, earlier):
    return (later - earlier).total_seconds() / DAY


class Spacing:
    """One program's spacing policy.

    `Spacing()` is the default policy; `Spacing(**policy.params)` rebuilds an equal policy
    (`params` is JSON-serialisable).
    """

    DEFAULTS = {
        "weights": list(DEFAULT_PARAMETERS),
        "desired_retention": 0.86,
        # Bounds for the retention `fitted` may choose (a lead can narrow or widen them).
        "retention_bounds": [0.84, 0.86],
        # How the retention used for a memory follows its stability (see the module docstring).
        "retention_slope": 0.03,
        "retention_reference_days": 10.0,
        # What `fitted` aims for: predicted recall averaged over 180 days (see `retention_by_cost`).
        "recall_target": 0.94,
        # The first question two days after training, later ones never the day after an answer.
        # In the replay a two-day minimum (against three) saved 10-15 points against the ladder
        # under half-life regression, where early answers count most, and moved the other
        # ground truths by 1-2 points either way.
        "first_interval_days": 2,
        "minimum_interval_days": 2,
        "maximum_interval_days": 180,
        "retire_stability_days": 90,
        "retire_after_right": 2,
        "fuzz": True,
        # Filled in by `fitted`: when, on how many reviews, and how well (see `evaluate`).
        "fit": None,
    }

    def __init__(self, **params):
        unknown = set(params) - set(self.DEFAULTS)
        if unknown:
            raise ValueError(f"Unknown spacing parameters: {', '.join(sorted(unknown))}.")
        merged = {**self.DEFAULTS, **params}
        weights = [float(w) for w in merged["weights"]]
        if len(weights) != len(DEFAULT_PARAMETERS):
            raise ValueError(f"FSRS-6 needs {len(DEFAULT_PARAMETERS)} weights, got {len(weights)}.")
        bad = [
            i
            for i, (w, low, high) in enumerate(
                zip(weights, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
            )
            if not low <= w <= high
        ]
        if bad:
            raise ValueError(f"FSRS weights out of bounds at positions {bad}.")
        low, high = (float(b) for b in merged["retention_bounds"])
        retention = float(merged["desired_retention"])
        if not 0.5 <= low <= high < 1 or not 0.5 <= retention < 1:
            raise ValueError("Desired retention and its bounds must lie between 0.5 and 1.")
        retention = min(max(retention, low), high)  # the lead's bounds always hold
        self.params = {
            "weights": weights,
            "desired_retention": retention,
            "retention_bounds": [low, high],
            "recall_target": float(merged["recall_target"]),
            "retention_slope": float(merged["retention_slope"]),
            "retention_reference_days": float(merged["retention_reference_days"]),
            "first_interval_days": int(merged["first_interval_days"]),
            "minimum_interval_days": int(merged["minimum_interval_days"]),
            "maximum_interval_days": int(merged["maximum_interval_days"]),
            "retire_stability_days": float(merged["retire_stability_days"]),
            "retire_after_right": int(merged["retire_after_right"]),
            "fuzz": bool(merged["fuzz"]),
            "fit": dict(merged["fit"]) if merged["fit"] else None,
        }
        if self.params["retention_reference_days"] <= 0 or not 0 <= self.params["retention_slope"] < 0.2:
            raise ValueError(
                "The retention slope must lie in [0, 0.2) and its reference stability be positive."
            )
        self.w = weights
        self.decay = weights[20]
        self.factor = 0.9 ** (-1 / self.decay) - 1

    def __eq__(self, other):
        return isinstance(other, Spacing) and self.params == other.params

    def __hash__(self):
        return hash(repr(self.params))

    def __repr__(self):
        return f"Spacing(desired_retention={self.params['desired_retention']}, fit={self.params['fit']})"

    @property
    def retention(self):
        return self.params["desired_retention"]

    # The four calls the app and the simulation make.

    def start(self, trained_at):
        """Memory of a new seller x question right after training (no answer yet)."""
        return {
            "version": MEMORY_VERSION,
            "trained_at": _iso(trained_at),
            "last_review": None,
            "stability": None,
            "difficulty": None,
            "reviews": 0,
            "lapses": 0,
            "streak": 0,
            "fuzz": random.random(),
        }

    def review(self, memory, *, correct, at, confidence=""):
        """The memory after an answer given at `at` (a new dict; `memory` is not changed)."""
        grade = rating(correct, confidence)
        last = _parse(memory["last_review"])
        stability, difficulty = memory["stability"], memory["difficulty"]
        if last is None or stability is None or difficulty is None:
            stability = max(self.w[grade - 1], MIN_STABILITY)
            difficulty = self._clamp_difficulty(self._initial_difficulty(grade))
        else:
            elapsed = max(0.0, _days(at, last))
            if elapsed < 1:
                stability = self._short_term_stability(stability, grade)
            else:
                recall = self._recall(stability, elapsed)
                stability = (
                    self._forget_stability(difficulty, stability, recall)
                    if grade == AGAIN
                    else self._recall_stability(difficulty, stability, recall, grade)
                )
            difficulty = self._next_difficulty(difficulty, grade)
        return {
            **memory,
            "version": MEMORY_VERSION,
            "last_review": _iso(at),
            "stability": max(stability, MIN_STABILITY),
            "difficulty": difficulty,
            "reviews": memory.get("reviews", 0) + 1,
            "lapses": memory.get("lapses", 0) + (0 if correct or last is None else 1),
            "streak": memory.get("streak", 0) + 1 if correct else 0,
            "fuzz": random.random(),
        }

    def next_due(self, memory):
        """When to ask next; None once the question is retired."""
        last = _parse(memory["last_review"])
        if last is None:
            return _parse(memory["trained_at"]) + timedelta(days=self.params["first_interval_days"])
        if self.is_retired(memory):
            return None
        return last + timedelta(days=self.interval_days(memory))

    def recall(self, memory, at):
        """Predicted probability of a right answer at `at`; None before the first answer."""
        last = _parse(memory["last_review"])
        if last is None or not memory["stability"]:
            return None
        return self._recall(memory["stability"], max(0.0, _days(at, last)))

    # Helpers the app and the simulation share.

    def is_retired(self, memory):
        """Durable (stability past the threshold) and not being forgotten (last answers right)."""
        return (
            memory["stability"] is not None
            and memory["stability"] >= self.params["retire_stability_days"]
            and memory.get("streak", 0) >= self.params["retire_after_right"]
        )

    def retention_for(self, stability):
        """The recall at which a memory of `stability` days is asked again (see the docstring)."""
        shift = self.params["retention_slope"] * math.log(stability / self.params["retention_reference_days"])
        return min(max(self.retention + shift, RETENTION_FLOOR), RETENTION_CEILING)

    def interval_per_stability(self, stability):
        """Days from the last answer until recall falls to its retention, per day of stability."""
        return (self.retention_for(stability) ** (-1 / self.decay) - 1) / self.factor

    def interval_days(self, memory):
        """Whole days from the last answer to the next question (fuzzed as the memory says)."""
        minimum, maximum = self.params["minimum_interval_days"], self.params["maximum_interval_days"]
        stability = memory["stability"]
        ideal = min(max(stability * self.interval_per_stability(stability), minimum), maximum)
        days = max(minimum, round(ideal))
        if self.params["fuzz"] and ideal >= 2.5:
            low, high = _fuzz_range(ideal, maximum)
            days = min(high, low + int(memory.get("fuzz", 0.5) * (high - low + 1)))
        return max(minimum, days)

    def replay(self, trained_at, answers):
        """Memory after `answers`, an iterable of (answered_at, correct[, confidence]) in order."""
        memory = self.start(trained_at)
        for answer in answers:
            memory = self.review(memory, correct=answer[1], at=answer[0], confidence=_tap(answer))
        return memory

    # FSRS-6, as in the `fsrs` package (its defaults and bounds are used above).

    def _recall(self, stability, elapsed_days):
        return (1 + self.factor * elapsed_days / stability) ** -self.decay

    def _initial_difficulty(self, grade):
        return self.w[4] - math.exp(self.w[5] * (grade - 1)) + 1

    @staticmethod
    def _clamp_difficulty(difficulty):
        return min(max(difficulty, 1.0), 10.0)

    def _next_difficulty(self, difficulty, grade):
        delta = -self.w[6] * (grade - 3)
        damped = difficulty + (10.0 - difficulty) * delta / 9.0
        reverted = self.w[7] * self._initial_difficulty(EASY) + (1 - self.w[7]) * damped
        return self._clamp_difficulty(reverted)

    def _short_term_stability(self, stability, grade):
        increase = math.exp(self.w[17] * (grade - 3 + self.w[18])) * stability ** -self.w[19]
        if grade > AGAIN:
            increase = max(increase, 1.0)
        return stability * increase

    def _forget_stability(self, difficulty, stability, recall):
        w = self.w
        long_term = (
            w[11] * difficulty ** -w[12] * ((stability + 1) ** w[13] - 1) * math.exp((1 - recall) * w[14])
        )
        return min(long_term, stability / math.exp(w[17] * w[18]))

    def _recall_stability(self, difficulty, stability, recall, grade):
        w = self.w
        hard = w[15] if grade == HARD else 1.0
        easy = w[16] if grade == EASY else 1.0
        growth = (
            math.exp(w[8]) * (11 - difficulty) * stability ** -w[9] * (math.exp((1 - recall) * w[10]) - 1)
        )
        return stability * (1 + growth * hard * easy)


def _tap(answer):
    return answer[2] if len(answer) > 2 and answer[2] else ""


def _fuzz_range(interval, maximum):
    """FSRS's fuzz: a few percent either side, wider in days for longer intervals."""
    delta = 1.0
    for start, end, share in ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, math.inf, 0.05)):
        delta += share * max(min(interval, end) - start, 0.0)
    low = max(2, round(interval - delta))
    high = min(round(interval + delta), maximum)
    return min(low, high), high


# Fitting and evaluation.


def training_items(histories):
    """fsrs-rs training data: one item per answer given a day or more after the previous one."""
    items = []
    for history in histories:
        reviews, previous = [], None
        for answer in history:
            at = answer[0]
            delta = 0 if previous is None else max(0, int(_days(at, previous)))
            reviews.append(fsrs_rs_python.FSRSReview(rating(answer[1], _tap(answer)), delta))
            if previous is not None and delta >= 1:
                items.append(fsrs_rs_python.FSRSItem(list(reviews)))
            previous = at
    return items


def predictions(policy, histories):
    """(predicted recall, 1 if right else 0) for every answer after a seller x question's first."""
    pairs = []
    for history in histories:
        memory = None
        for answer in history:
            at, correct = answer[0], answer[1]
            if memory is None:
                memory = policy.start(at)
            else:
                pairs.append((policy.recall(memory, at), 1 if correct else 0))
            memory = policy.review(memory, correct=correct, at=at, confidence=_tap(answer))
    return pairs


def _log_loss(pairs, clip=1e-6):
    total = 0.0
    for p, y in pairs:
        p = min(max(p, clip), 1 - clip)
        total -= math.log(p) if y else math.log(1 - p)
    return total / len(pairs)


def _rmse(pairs):
    return math.sqrt(sum((p - y) ** 2 for p, y in pairs) / len(pairs))


def evaluate(policy, histories):
    """How well the policy predicts the answers in `histories` (see `scores`).

    The figures are None when there is nothing to predict.
    """
    pairs = predictions(policy, histories)
    keys = ("log_loss", "rmse", "baseline_log_loss", "baseline_rmse", "predicted", "observed")
    return scores(pairs) or {"reviews": 0, **dict.fromkeys(keys)}


def scores(pairs):
    """Log loss and RMSE of (predicted, outcome) pairs, against a constant baseline; None if empty.

    The baseline predicts the observed share of right answers for every review. Returns the
    number of reviews, log loss and RMSE of both, and the mean predicted and observed recall.
    """
    if not pairs:
        return None
    observed = sum(y for _, y in pairs) / len(pairs)
    baseline = [(observed, y) for _, y in pairs]
    return {
        "reviews": len(pairs),
        "log_loss": _log_loss(pairs),
        "rmse": _rmse(pairs),
        "baseline_log_loss": _log_loss(baseline),
        "baseline_rmse": _rmse(baseline),
        "predicted": sum(p for p, _ in pairs) / len(pairs),
        "observed": observed,
    }


def reliability(pairs, bins=10):
    """Predicted vs observed recall per bin of predicted recall (empty bins left out).

    `pairs` are (predicted, outcome) with outcome 1/0 or True/False. Each bin gives its bounds,
    the mean predicted and observed recall in it, and how many answers fell into it.
    """
    sums = [[0.0, 0.0, 0] for _ in range(bins)]
    for predicted, outcome in pairs:
        index = min(int(predicted * bins), bins - 1)
        sums[index][0] += predicted
        sums[index][1] += 1 if outcome else 0
        sums[index][2] += 1
    return [
        {
            "low": i / bins,
            "high": (i + 1) / bins,
            "predicted": p / n,
            "observed": o / n,
            "count": n,
        }
        for i, (p, o, n) in enumerate(sums)
        if n
    ]


def retention_by_cost(policy, *, first_right=0.8, horizon_days=180, cards=300, seed=0):
    """The cheapest desired retention, within the policy's bounds, that meets its recall target.

    Simulates `cards` questions on the policy's own memory model for `horizon_days` after the
    first answer (right with probability `first_right`) at each retention from the lower bound
    to the upper one in steps of 0.01. Returns the one with the fewest answers whose predicted
    recall, averaged over the horizon, reaches `recall_target`; the upper bound when none does.
    (Answers per unit of recall alone always favour the lowest retention, so the target is what
    says how much recall is worth buying.) Same seed, same answer.
    """
    low, high = policy.params["retention_bounds"]
    target = policy.params["recall_target"]
    candidates = [round(low + i / 100, 2) for i in range(int(round((high - low) * 100)) + 1)]
    best, best_answers = high, math.inf
    for retention in candidates:
        trial = Spacing(**{**policy.params, "desired_retention": retention, "fuzz": False})
        answers, recall = _simulate_own_model(trial, first_right, horizon_days, cards, random.Random(seed))
        if recall >= target and answers < best_answers:
            best, best_answers = retention, answers
    return best


def _simulate_own_model(policy, first_right, horizon_days, cards, rng):
    """(answers per card, mean predicted recall over the horizon) with the model as the truth.

    `policy` must not fuzz. A card that retires keeps forgetting, unasked, to the horizon.
    """
    answers = area = 0.0
    for _ in range(cards):
        grade = GOOD if rng.random() < first_right else AGAIN
        stability = max(policy.w[grade - 1], MIN_STABILITY)
        difficulty = policy._clamp_difficulty(policy._initial_difficulty(grade))
        day, streak = 0.0, int(grade == GOOD)
        answers += 1
        while True:
            memory = {"stability": stability, "streak": streak}
            if policy.is_retired(memory):
                area += _mean_recall(policy, stability, horizon_days - day) * (horizon_days - day)
                break
            gap = policy.interval_days(memory)
            if day + gap >= horizon_days:
                area += _mean_recall(policy, stability, horizon_days - day) * (horizon_days - day)
                break
            area += _mean_recall(policy, stability, gap) * gap
            day += gap
            recall = policy._recall(stability, gap)
            right = rng.random() < recall
            answers += 1
            if right:
                stability = policy._recall_stability(difficulty, stability, recall, GOOD)
            else:
                stability = policy._forget_stability(difficulty, stability, recall)
            difficulty = policy._next_difficulty(difficulty, GOOD if right else AGAIN)
            streak = streak + 1 if right else 0
    return answers / cards, area / (cards * horizon_days)


def _mean_recall(policy, stability, span):
    """Mean of the forgetting curve over the first `span` days after a review (closed form)."""
    if span <= 0:
        return 1.0
    f, d = policy.factor / stability, policy.decay
    return ((1 + f * span) ** (1 - d) - 1) / (f * (1 - d) * span)


def fitted(histories, *, base=None, now=None):
    """The policy a program should use next, from its review histories.

    `histories` holds one chronological list of (answered_at, correct[, confidence]) per seller x
    question answered at least once. The weights come from fsrs-rs (`compute_parameters`); the
    desired retention from `retention_by_cost` within the base policy's bounds. Returns `base`
    (or the defaults) when there are fewer than MIN_REVIEWS_TO_FIT reviews a day or more apart,
    or when fsrs-rs cannot fit them. The fit's figures (`evaluate`) are in-sample.
    """
    base = base or Spacing()
    histories = [list(h) for h in histories]
    items = training_items(histories)
    if len(items) < MIN_REVIEWS_TO_FIT:
        return base
    try:
        weights = fsrs_rs_python.FSRS(base.params["weights"]).compute_parameters(items)
    except Exception:  # fsrs-rs raises on data it cannot fit; keep what works
        return base
    weights = [
        min(max(float(w), low), high)
        for w, low, high in zip(weights, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
    ]
    if not all(math.isfinite(w) for w in weights):
        return base
    policy = Spacing(**{**base.params, "weights": weights, "fit": None})
    first_right = sum(1 for h in histories if h and h[0][1]) / max(1, sum(1 for h in histories if h))
    retention = retention_by_cost(policy, first_right=first_right)
    policy = Spacing(**{**policy.params, "desired_retention": retention})
    fit = evaluate(policy, histories)
    fit.update(fitted_at=_iso(now or datetime.now(UTC)), items=len(items))
    return Spacing(**{**policy.params, "fit": fit})
