"""Pure statistics for the dashboard: adoption shares, coaching adherence and the impact estimate.

No database access here, so the rules are easy to test on hand-made numbers.
"""

import math
import random
from dataclasses import asdict, dataclass
from statistics import fmean, pvariance

ADOPTION_GOAL = 0.75
ADOPTION_STRETCH = 0.90
# Below this many people in either group an estimate is shown but called inconclusive.
MIN_GROUP_SIZE = 10
BOOTSTRAP_RESAMPLES = 1000
# Above this group size the percentile bootstrap is replaced by its normal limit (same answer,
# a fraction of the time): the dashboard says which method was used.
BOOTSTRAP_MAX_N = 2000


def share(part, whole):
    """part / whole, or None when there is nobody to count."""
    return part / whole if whole else None


def coaching_adherence(logged, seller_days, cadence_days):
    """Coaching conversations logged against those expected: one per trained seller every
    `cadence_days` from the day they were trained.

    `seller_days` is the sum over trained sellers of the days since their training (within
    the period). Returns (expected, adherence), adherence being logged / expected capped at 1,
    or None when nothing was expected yet.
    """
    expected = seller_days // cadence_days if cadence_days else 0
    if not expected:
        return expected, None
    return expected, min(1.0, logged / expected)


@dataclass
class Impact:
    """A difference-in-differences estimate: (treated after − before) − (control after − before)."""

    treated_n: int
    control_n: int
    treated_change: float | None
    control_change: float | None
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    method: str
    verdict: str

    def as_json(self):
        return asdict(self)


def _percentile(sorted_values, q):
    if not sorted_values:
        return None
    position = q * (len(sorted_values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def did_estimate(
    treated,
    control,
    *,
    direction="up",
    seed=0,
    resamples=BOOTSTRAP_RESAMPLES,
    labels=("Trained people", "the comparison group"),
):
    """Difference in differences from each person's change (after − before) in both groups.

    The 95% interval comes from a percentile bootstrap that resamples people within each group
    (seeded, so the page shows the same interval on every visit); for groups above
    BOOTSTRAP_MAX_N the bootstrap's normal limit is used. `direction` ("up" or "down") only
    decides how the verdict reads.
    """
    nt, nc = len(treated), len(control)
    if not nt or not nc:
        return Impact(
            nt,
            nc,
            fmean(treated) if nt else None,
            fmean(control) if nc else None,
            None,
            None,
            None,
            "none",
            "No comparison possible: one of the groups is empty.",
        )
    mt, mc = fmean(treated), fmean(control)
    estimate = mt - mc
    if nt < 2 or nc < 2:
        low = high = None
        method = "none"
    elif max(nt, nc) > BOOTSTRAP_MAX_N:
        se = math.sqrt(pvariance(treated, mt) / nt + pvariance(control, mc) / nc)
        low, high = estimate - 1.96 * se, estimate + 1.96 * se
        method = "normal"
    else:
        rng = random.Random(seed)
        draws = sorted(
            fmean(rng.choices(treated, k=nt)) - fmean(rng.choices(control, k=nc)) for _ in range(resamples)
        )
        low, high = _percentile(draws, 0.025), _percentile(draws, 0.975)
        method = "bootstrap"
    verdict = _verdict(nt, nc, estimate, low, high, direction, labels)
    return Impact(nt, nc, mt, mc, estimate, low, high, method, verdict)


def _verdict(nt, nc, estimate, low, high, direction, labels):
    if min(nt, nc) < MIN_GROUP_SIZE:
        return (
            f"Too few people to conclude anything ({nt} vs {nc}; at least {MIN_GROUP_SIZE} "
            "in each group are needed)."
        )
    if low is None or high is None:
        return "No interval could be computed."
    if low <= 0 <= high:
        return "The difference is within the noise: the interval includes zero."
    better = (estimate > 0) == (direction == "up")
    treated, control = labels
    if better:
        return f"{treated} improved more than {control}, beyond the noise."
    return f"{treated} did worse than {control}, beyond the noise."
