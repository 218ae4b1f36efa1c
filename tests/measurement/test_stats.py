"""The impact estimate and the adherence rule on hand-made numbers."""

import pytest

from reinforcement.measurement.stats import MIN_GROUP_SIZE, coaching_adherence, did_estimate


def test_the_estimate_is_the_difference_of_the_mean_changes():
    impact = did_estimate([2.0, 4.0] * 10, [1.0, 1.0] * 10)
    assert impact.treated_change == pytest.approx(3.0)
    assert impact.control_change == pytest.approx(1.0)
    assert impact.estimate == pytest.approx(2.0)
    assert (impact.treated_n, impact.control_n) == (20, 20)


def test_the_bootstrap_interval_surrounds_the_estimate_and_is_repeatable():
    treated = [float(v) for v in range(10, 40)]
    control = [float(v) for v in range(0, 30)]
    first = did_estimate(treated, control, seed=7)
    again = did_estimate(treated, control, seed=7)
    assert first.method == "bootstrap"
    assert first.estimate == pytest.approx(10.0)
    assert first.ci_low < first.estimate < first.ci_high
    assert (first.ci_low, first.ci_high) == (again.ci_low, again.ci_high)
    # The standard error of each mean is about 8.8 / sqrt(30); the interval is a few points wide.
    assert 3 < first.ci_high - first.ci_low < 15
    assert "improved more" in first.verdict


def test_small_groups_are_called_inconclusive_whatever_the_estimate():
    impact = did_estimate([10.0] * (MIN_GROUP_SIZE - 1), [0.0] * 30)
    assert impact.estimate == pytest.approx(10.0)
    assert impact.verdict.startswith("Too few people")


def test_an_interval_that_includes_zero_is_reported_as_noise():
    treated = [1.0, -1.0] * 15
    control = [0.5, -0.5] * 15
    impact = did_estimate(treated, control)
    assert impact.ci_low < 0 < impact.ci_high
    assert "noise" in impact.verdict


def test_a_lower_is_better_metric_reads_a_drop_as_improvement():
    impact = did_estimate([-5.0, -6.0] * 10, [0.0, 1.0] * 10, direction="down")
    assert impact.estimate < 0
    assert "improved more" in impact.verdict


def test_large_groups_use_the_normal_limit_of_the_bootstrap():
    treated = [float(i % 7) for i in range(3000)]
    control = [float(i % 5) for i in range(3000)]
    impact = did_estimate(treated, control)
    assert impact.method == "normal"
    assert impact.ci_low < impact.estimate < impact.ci_high


def test_an_empty_group_gives_no_estimate():
    impact = did_estimate([1.0, 2.0], [])
    assert impact.estimate is None
    assert "empty" in impact.verdict


def test_adherence_expects_one_conversation_per_trained_seller_per_cadence_and_caps_at_one():
    # Two sellers trained 28 days ago, cadence 14 days: 56 seller-days, 4 conversations expected.
    assert coaching_adherence(3, 56, 14) == (4, 0.75)
    assert coaching_adherence(9, 56, 14) == (4, 1.0)
    assert coaching_adherence(1, 20, 14) == (1, 1.0)
    assert coaching_adherence(1, 13, 14) == (0, None)
