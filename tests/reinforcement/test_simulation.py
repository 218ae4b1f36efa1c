"""The spacing replay: ground truths behave as published, baselines as specified, the report holds."""

import math
import random
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from reinforcement import simulation
from reinforcement.simulation import (
    GRID,
    ActR,
    Cohort,
    FixedPolicy,
    Fsrs,
    HalfLifeRegression,
    OraclePolicy,
    Outcome,
    PowerLaw,
    PowerLawAdditive,
    ShippedPolicy,
    TruthResult,
    expanding_ladder,
    leitner,
    recall_days_schedule,
    replay,
    report,
    run,
)
from reinforcement.spacing import Spacing

TRUTHS = (ActR, HalfLifeRegression, PowerLaw, Fsrs, PowerLawAdditive)


def average_memory(truth_class):
    truth = truth_class()
    rng = random.Random(1)
    return truth, truth.seller(rng), truth.question(rng)


def after(truth_class, study_days, probe):
    truth, seller, question = average_memory(truth_class)
    memory = truth.memory(seller, question)
    for day in study_days:
        memory.study(day, True)
    return memory.recall(probe)


@pytest.mark.parametrize("truth_class", TRUTHS)
def test_every_ground_truth_forgets_with_time_and_a_review_restores_recall(truth_class):
    truth, seller, question = average_memory(truth_class)
    memory = truth.memory(seller, question)
    curve = [memory.recall(day) for day in (1, 3, 10, 30, 90)]
    assert all(0 < later < earlier < 1 for earlier, later in zip(curve, curve[1:], strict=False))
    memory.study(30, True)
    assert memory.recall(31) > curve[2]
    # The sum over the grid agrees with recall point by point, studies included.
    memory.study(45, False)
    grid = GRID[:120]
    pointwise = 0.0
    for day in grid:
        probe = truth.memory(seller, question)
        for studied in (30, 45):
            if studied < day:
                probe.study(studied, studied == 30)
        pointwise += probe.recall(day)
    assert memory.recall_sum(grid) == pytest.approx(pointwise, rel=1e-9)


@pytest.mark.parametrize("truth_class", [ActR, PowerLaw, Fsrs])
def test_spaced_reviews_beat_massed_ones_in_the_models_with_a_spacing_effect(truth_class):
    massed = after(truth_class, [2, 3], probe=60)
    spaced = after(truth_class, [7, 21], probe=60)
    assert spaced > massed


def test_act_r_decays_faster_after_massed_presentations():
    truth, seller, question = average_memory(ActR)
    massed, spaced = truth.memory(seller, question), truth.memory(seller, question)
    massed.study(1, True)
    spaced.study(20, True)
    assert massed.decays[-1] > spaced.decays[-1] > ActR.A


def test_half_life_regression_counts_answers_and_ignores_spacing():
    assert after(HalfLifeRegression, [2, 3], probe=60 + 3) == pytest.approx(
        after(HalfLifeRegression, [7, 60], probe=60 + 60)
    )
    truth, seller, question = average_memory(HalfLifeRegression)
    right, wrong = truth.memory(seller, question), truth.memory(seller, question)
    right.study(5, True)
    wrong.study(5, False)
    assert right.half_life() > truth.memory(seller, question).half_life() > wrong.half_life()


def test_the_baselines_follow_their_intervals():
    fixed = FixedPolicy()
    state = fixed.first()
    assert fixed.due(state) == simulation.FIRST_QUESTION_DAY
    state = fixed.answer(state, 3, True)
    assert fixed.due(state) == 27
    assert fixed.due(fixed.answer(state, 27, False)) == 39

    retiring = FixedPolicy(retire_after=2, scale=0.5)
    state = retiring.answer(retiring.answer(retiring.first(), 3, True), 15, True)
    assert retiring.due(state) is None and retiring.name == "Fixed 6/12, retire after 2 right"

    ladder, state, gaps = expanding_ladder(), expanding_ladder().first(), []
    for day, correct in [(3, True), (6, True), (13, True), (34, True), (94, True), (154, False)]:
        state = ladder.answer(state, day, correct)
        gaps.append(ladder.due(state) - day)
    assert gaps == [3, 7, 21, 60, 60, 3]

    boxes, state = leitner(), leitner().first()
    gaps = []
    for correct in (True, True, True, False):
        state = boxes.answer(state, 0, correct)
        gaps.append(boxes.due(state))
    assert gaps == [2, 7, 7, 1]


def test_under_the_power_law_more_answers_make_a_stronger_memory_but_not_with_the_additive_gain():
    # Both schedules end with a right answer on day 60. With the saturating gain, four answers
    # leave a stronger memory than one; with the additive gain strength depends only on that
    # last date, which is why no schedule can do much better than another there (reference only).
    many, once = after(PowerLaw, [5, 15, 35, 60], probe=120), after(PowerLaw, [60], probe=120)
    assert many > once + 0.05
    many, once = after(PowerLawAdditive, [5, 15, 35, 60], probe=120), after(PowerLawAdditive, [60], probe=120)
    assert many == pytest.approx(once)
    assert not PowerLawAdditive.judged and getattr(PowerLaw, "judged", True)


def test_the_schedule_with_the_most_recall_days_per_question_raises_retention_with_stability():
    policy = Spacing(fuzz=False)
    stabilities, difficulties, intervals = recall_days_schedule(policy, cost=2.0)
    j = int(np.argmin(abs(difficulties - 5)))
    recall_when_asked = {}
    for target in (10, 30, 90):
        i = int(np.argmin(abs(np.log(stabilities / target))))
        recall_when_asked[target] = policy._recall(stabilities[i], intervals[i, j])
    assert recall_when_asked[10] < recall_when_asked[30] < recall_when_asked[90]
    slope = (recall_when_asked[90] - recall_when_asked[10]) / math.log(9)
    assert 0.01 < slope < 0.05  # the spacing module's retention_slope is 0.03


def test_the_oracle_asks_on_the_first_day_true_recall_reaches_its_threshold():
    truth, seller, question = average_memory(PowerLaw)
    memory = truth.memory(seller, question)
    oracle = OraclePolicy(0.7)
    state = oracle.first(memory)
    assert oracle.due(state) == simulation.FIRST_QUESTION_DAY
    memory.study(3, True)
    due = oracle.due(oracle.answer(state, 3, True))
    assert memory.recall(due) <= 0.7 < memory.recall(due - 1)


def test_the_shipped_policy_is_the_spacing_module_on_simulated_days():
    policy = ShippedPolicy(Spacing(fuzz=False))
    memory = policy.first()
    first = Spacing.DEFAULTS["first_interval_days"]
    assert policy.due(memory) == first
    memory = policy.answer(memory, first, True)
    assert policy.due(memory) == first + Spacing(fuzz=False).interval_days(memory)


def test_a_replay_counts_resends_and_measures_true_recall():
    truth = PowerLaw()
    cohort, _ = Cohort.draw(truth, sellers=6, questions=4, rng=random.Random(3))
    outcome = replay(FixedPolicy(), cohort, family="Fixed 12/24", keep_histories=True)
    assert outcome.nudges > outcome.answers > 0  # some nudges went unanswered and were resent
    assert 0 < outcome.probe < 1 and 0 < outcome.recall < 1
    assert sum(len(h) for h in outcome.histories) == pytest.approx(outcome.answers * 24)
    again = replay(FixedPolicy(), cohort, family="Fixed 12/24")
    assert (again.nudges, again.recall) == (outcome.nudges, outcome.recall)
    # Everyone answering at once asks exactly one nudge per answer.
    prompt = Cohort(truth, [(s, q, 1.0, seed) for s, q, _, seed in cohort.pairs])
    always = replay(FixedPolicy(), prompt, family="Fixed 12/24")
    assert always.nudges == always.answers


def test_savings_are_read_off_the_fixed_frontier_at_equal_recall():
    def outcome(family, recall, nudges):
        return Outcome(family, family, nudges, nudges, recall, recall, 0.0)

    shipped = outcome("Shipped", 0.80, 8.0)
    fixed = [outcome("Fixed 12/24", r, n) for r, n in [(0.70, 6.0), (0.78, 9.0), (0.82, 11.0), (0.75, 12.0)]]
    result = TruthResult("Test", shipped, {}, [shipped, *fixed])
    nudges, inside = result.nudges_at("Fixed 12/24", 0.80)
    assert inside and nudges == pytest.approx(10.0)  # (0.75, 12) is dominated and left out
    saving, _ = result.saving("Fixed 12/24")
    assert saving == pytest.approx(0.2)
    nudges, inside = result.nudges_at("Fixed 12/24", 0.90)
    assert not inside and nudges == pytest.approx(15.0)
    # The shipped policy's own frontier: each of its points against fixed at that point's recall.
    own = [outcome("FSRS", 0.78, 6.3), outcome("FSRS", 0.82, 7.7), outcome("FSRS", 0.95, 30.0)]
    result = TruthResult("Test", shipped, {}, [shipped, *fixed, *own])
    saving, inside = result.frontier_saving("Fixed 12/24")
    assert inside and saving == pytest.approx(0.3)  # median of 30 %, 20 %, 30 %; 0.95 is outside


def test_a_small_replay_fits_the_shipped_policy_and_reports_every_family():
    results = run(sellers=12, questions=6, seed=3, truths=(PowerLaw,), scales=(0.5, 1.0, 2.0))
    (result,) = results
    assert result.fitted_params["fit"]["items"] >= 400  # the second cohort ran on fitted weights
    families = {o.family for o in result.outcomes}
    assert families == {
        "Shipped",
        "FSRS",
        "Fixed 12/24",
        "Fixed 12/24, retire after 2 right",
        "Ladder 3/7/21/60",
        "Leitner 1/2/7",
        "Oracle",
    }
    assert [o.recall for o in result.family("Fixed 12/24")] == sorted(
        o.recall for o in result.family("Fixed 12/24")
    )
    text = report(results)
    assert "Power law" in text and "vs 12/24" in text and "Shipped (fitted)" in text
    again = run(sellers=12, questions=6, seed=3, truths=(PowerLaw,), scales=(0.5, 1.0, 2.0))
    assert again[0].shipped == result.shipped


def test_the_command_prints_the_table_and_draws_the_plot(tmp_path):
    out, path = StringIO(), tmp_path / "frontiers.png"
    call_command(
        "simulate_reinforcement",
        "--sellers=4",
        "--questions=3",
        "--truth=ACT-R",
        "--workers=1",
        f"--plot={path}",
        stdout=out,
    )
    text = out.getvalue()
    assert "ACT-R" in text and "Fixed 12/24" in text and "Ladder" in text and "Leitner" in text
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_bench_fits_on_exactly_the_number_of_review_logs_it_names():
    from reinforcement.spacing_bench import review_logs

    histories = review_logs(700)
    assert sum(len(h) for h in histories) == 700
    assert all(h == sorted(h) for h in histories)
