"""Bench figures of the spacing policy (`reinforcement.spacing`); no database needed.

- Fitting: `fitted` on 20,000 review logs (answers of simulated sellers whose memory follows the
  power-law ground truth of `reinforcement.simulation`, asked on the default policy), weights,
  retention by cost and the fit's evaluation included.
- Review: one `Spacing.review` call, on average.
"""

import random
import time

from .simulation import Cohort, PowerLaw, ShippedPolicy, replay
from .spacing import Spacing, fitted

REVIEW_LOGS = 20_000


def review_logs(count=REVIEW_LOGS, *, seed=1):
    """Histories holding exactly `count` answers in all."""
    truth = PowerLaw()
    cohort, _ = Cohort.draw(truth, sellers=count // 60, questions=10, rng=random.Random(seed))
    histories, left = [], count
    for history in replay(ShippedPolicy(Spacing()), cohort, family="", keep_histories=True).histories:
        histories.append(history[:left])
        left -= len(histories[-1])
        if not left:
            return histories
    raise ValueError(f"The cohort gave {count - left} answers, fewer than {count}.")


def bench(out, **_):
    from rolloutplanner.management.commands.bench import Figure, stopwatch

    histories = review_logs()
    with stopwatch() as timing:
        policy = fitted(histories)
    fit = policy.params["fit"] or {}
    out.write(
        f"  fitted {REVIEW_LOGS:,} review logs ({fit.get('items', 0):,} training items) in"
        f" {timing['seconds']:.2f} s: retention {policy.retention:.2f}, log loss {fit.get('log_loss', 0):.3f}"
        f" vs {fit.get('baseline_log_loss', 0):.3f} for a constant\n"
    )
    figures = [Figure(f"spacing fit, {REVIEW_LOGS:,} review logs", timing["seconds"], "s", 30)]

    memory = policy.replay(histories[0][0][0], histories[0][:3])
    at = policy.next_due(memory) or histories[0][-1][0]
    calls = 20_000
    started = time.perf_counter()
    for _ in range(calls):
        policy.review(memory, correct=True, at=at)
    micros = (time.perf_counter() - started) / calls * 1e6
    figures.append(Figure("spacing review, one answer", micros, "µs", 100))
    return figures
