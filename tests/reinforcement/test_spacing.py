"""The spacing policy module: FSRS-6 as the `fsrs` package computes it, pure, JSON in and out."""

import ast
import json
import math
import random
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs
import pytest

from reinforcement import spacing
from reinforcement.spacing import Spacing, evaluate, fitted, reliability

TRAINED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
ALLOWED_THIRD_PARTY = {"fsrs", "fsrs_rs_python", "numpy"}


def days(n):
    return TRAINED + timedelta(days=n)


def answered(policy, pattern, start=3):
    """Memory after answering `pattern` (booleans), each on the day it is due."""
    memory, at = policy.start(TRAINED), days(start)
    for correct in pattern:
        memory = policy.review(memory, correct=correct, at=at)
        at = policy.next_due(memory) or at
    return memory


def synthetic_histories(sellers, *, seed, truth_weights=None):
    """Histories answered by an FSRS memory with other weights, asked on the default schedule."""
    rng = random.Random(seed)
    truth = Spacing(weights=truth_weights or _slow_forgetting(), fuzz=False)
    policy = Spacing(desired_retention=0.85)
    histories = []
    for _ in range(sellers):
        true_memory, memory, history = truth.start(TRAINED), policy.start(TRAINED), []
        at = days(3)
        while at is not None and at < days(240):
            recall = truth.recall(true_memory, at)
            correct = rng.random() < (recall if recall is not None else 0.8)
            history.append((at, correct))
            true_memory = truth.review(true_memory, correct=correct, at=at)
            memory = policy.review(memory, correct=correct, at=at)
            at = policy.next_due(memory)
        histories.append(history)
    return histories


def _slow_forgetting():
    weights = list(fsrs.scheduler.DEFAULT_PARAMETERS)
    weights[0:4] = [1.0, 4.0, 9.0, 20.0]  # initial stabilities well above the defaults
    weights[8] = 2.2  # and stability grows faster on a right answer
    return weights


def test_the_module_imports_only_the_standard_library_fsrs_and_numpy():
    source = Path(spacing.__file__).read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports of project modules"
            imported.add(node.module.split(".")[0])
    assert imported - sys.stdlib_module_names <= ALLOWED_THIRD_PARTY
    # And loading it on its own pulls in neither Django nor any other project module.
    check = (
        "import sys, reinforcement.spacing as s; "
        "s.Spacing().review(s.Spacing().start(__import__('datetime').datetime.now(s.UTC)), "
        "correct=True, at=__import__('datetime').datetime.now(s.UTC)); "
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "{'django', 'rolloutplanner', 'programs', 'cohorts', 'tests'} "
        "or (m.startswith('reinforcement.') and m != 'reinforcement.spacing')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    root = Path(spacing.__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", check], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_params_and_memory_survive_a_json_round_trip():
    policy = Spacing(desired_retention=0.87, retire_stability_days=120)
    again = Spacing(**json.loads(json.dumps(policy.params)))
    assert again == policy and again.params == policy.params
    assert Spacing(**Spacing().params) == Spacing()
    assert Spacing(desired_retention=0.8) != Spacing()

    memory = answered(policy, [True, False, True])
    restored = json.loads(json.dumps(memory))
    assert restored == memory
    assert policy.next_due(restored) == policy.next_due(memory)
    assert policy.recall(restored, days(40)) == policy.recall(memory, days(40))
    random.seed(5)
    one = policy.review(memory, correct=True, at=days(60))
    random.seed(5)
    assert policy.review(restored, correct=True, at=days(60)) == one


def test_unknown_or_out_of_bounds_params_are_refused():
    with pytest.raises(ValueError, match="Unknown spacing parameters: colour"):
        Spacing(colour="red")
    with pytest.raises(ValueError, match="21 weights"):
        Spacing(weights=[1.0] * 19)
    with pytest.raises(ValueError, match="positions \\[20\\]"):
        Spacing(weights=[*fsrs.scheduler.DEFAULT_PARAMETERS[:20], 2.0])
    with pytest.raises(ValueError, match="retention"):
        Spacing(desired_retention=1.2)
    # A retention outside the lead's bounds is brought within them.
    assert Spacing(desired_retention=0.7, retention_bounds=[0.8, 0.85]).retention == 0.8


def test_a_stronger_memory_is_asked_again_at_a_higher_recall():
    policy = Spacing(desired_retention=0.86, fuzz=False)
    assert policy.retention_for(10) == pytest.approx(0.86)
    assert policy.retention_for(10 * math.e) == pytest.approx(0.89)
    assert policy.retention_for(10 / math.e) == pytest.approx(0.83)
    assert policy.retention_for(1e6) == spacing.RETENTION_CEILING
    assert policy.retention_for(1e-3) == spacing.RETENTION_FLOOR
    # The interval still grows with stability, only less than in proportion.
    weak, strong = {"stability": 5.0}, {"stability": 60.0}
    assert policy.interval_days(weak) < policy.interval_days(strong) < 12 * policy.interval_days(weak)
    # Recall when asked is the memory's retention, within a day's rounding.
    for memory in (weak, strong):
        asked_at = policy.interval_days(memory)
        assert policy._recall(memory["stability"], asked_at) == pytest.approx(
            policy.retention_for(memory["stability"]), abs=0.02
        )
    flat = Spacing(desired_retention=0.86, retention_slope=0, fuzz=False)
    assert flat.retention_for(60) == flat.retention_for(5) == 0.86
    with pytest.raises(ValueError, match="slope"):
        Spacing(retention_slope=-0.1)


def test_reviews_match_the_fsrs_package_on_its_default_weights():
    # With no retention slope the policy is plain FSRS at a constant desired retention.
    policy = Spacing(
        desired_retention=0.85, retention_slope=0, fuzz=False, first_interval_days=1, minimum_interval_days=1
    )
    scheduler = fsrs.Scheduler(
        desired_retention=0.85,
        learning_steps=(),
        relearning_steps=(),
        maximum_interval=180,
        enable_fuzzing=False,
    )
    memory, card, at = policy.start(TRAINED), fsrs.Card(), days(1)
    assert policy.next_due(memory) == at
    for correct, tap in [
        (True, ""),
        (True, "sure"),
        (False, "sure"),
        (True, "unsure"),
        (True, ""),
        (True, ""),
    ]:
        memory = policy.review(memory, correct=correct, at=at, confidence=tap)
        grade = fsrs.Rating(spacing.rating(correct, tap))
        card, _ = scheduler.review_card(card, grade, review_datetime=at)
        assert memory["stability"] == pytest.approx(card.stability, rel=1e-9)
        assert memory["difficulty"] == pytest.approx(card.difficulty, rel=1e-9)
        due = policy.next_due(memory)
        if due is None:  # retired: stability past the threshold after right answers
            assert card.stability >= 90 and memory["streak"] >= 2
            break
        assert due == card.due
        at = due
    assert memory["reviews"] >= 5 and memory["lapses"] == 1


def test_confidence_taps_follow_the_ratings_the_app_uses():
    assert spacing.rating(False, "sure") == spacing.AGAIN
    assert spacing.rating(True, "") == spacing.GOOD
    assert spacing.rating(True, "unsure") == spacing.rating(True, "low") == spacing.HARD
    assert spacing.rating(True, "sure") == spacing.rating(True, "high") == spacing.EASY
    policy = Spacing()
    base = answered(policy, [True, True])
    at = policy.next_due(base)
    stabilities = [
        policy.review(base, correct=True, at=at, confidence=tap)["stability"]
        for tap in ("unsure", "", "sure")
    ]
    assert stabilities == sorted(stabilities) and len(set(stabilities)) == 3


def test_recall_is_unknown_before_the_first_answer_then_falls_with_time():
    policy = Spacing()
    memory = policy.start(TRAINED)
    assert policy.recall(memory, days(3)) is None
    memory = policy.review(memory, correct=True, at=days(1))
    curve = [policy.recall(memory, days(1 + d)) for d in (0, 1, 5, 30, 180)]
    assert curve[0] == 1.0
    assert all(later < earlier for earlier, later in zip(curve, curve[1:], strict=False))
    # Stability is the number of days until recall falls to 90 %.
    assert policy.recall(memory, days(1 + memory["stability"])) == pytest.approx(0.9)


def test_next_due_moves_out_with_right_answers_and_in_after_a_wrong_one():
    policy = Spacing(fuzz=False, retire_stability_days=10_000)
    memory, at, gaps = policy.start(TRAINED), days(1), []
    for _ in range(6):
        memory = policy.review(memory, correct=True, at=at)
        due = policy.next_due(memory)
        gaps.append((due - at).days)
        at = due
    assert gaps == sorted(gaps) and gaps[-1] > gaps[0]
    assert gaps[-1] <= 180
    lapsed = policy.review(memory, correct=False, at=at)
    assert (policy.next_due(lapsed) - at).days < gaps[-1]
    # A lower desired retention asks later, never sooner.
    looser = Spacing(
        fuzz=False, retire_stability_days=10_000, desired_retention=0.8, retention_bounds=[0.8, 0.9]
    )
    assert looser.next_due(memory) >= policy.next_due(memory)


def test_fuzz_comes_from_pythons_random_and_stays_near_the_interval():
    policy, plain = Spacing(), Spacing(fuzz=False)
    memory = answered(plain, [True, True, True])
    ideal = plain.interval_days(memory)
    assert ideal > 10
    seen = set()
    for seed in range(40):
        random.seed(seed)
        after = policy.review(memory, correct=True, at=days(100))
        seen.add(policy.interval_days(after))
        assert policy.next_due(after) == policy.next_due(after)
    ideal_after = plain.interval_days(after)
    assert len(seen) > 3
    assert all(abs(d - ideal_after) <= 0.1 * ideal_after + 2 for d in seen)


def test_a_question_retires_only_when_durable_and_recently_right():
    policy = Spacing(retire_stability_days=30, retire_after_right=2, fuzz=False)
    durable = answered(policy, [True] * 8)
    assert durable["stability"] >= 30 and durable["streak"] >= 2
    assert policy.next_due(durable) is None and policy.is_retired(durable)

    # High stability but the last answer was wrong: still being forgotten, keep asking.
    forgot = {**durable, "streak": 0}
    assert policy.next_due(forgot) is not None
    # One right answer after a lapse is not enough either.
    assert policy.next_due({**durable, "streak": 1}) is not None
    # Right answers but stability below the threshold: keep asking.
    young = answered(policy, [True, True])
    assert young["stability"] < 30 and policy.next_due(young) is not None
    # A stricter policy keeps asking the same memory.
    assert Spacing(retire_stability_days=1000).next_due(durable) is not None


def test_a_memory_made_by_one_policy_is_accepted_by_another():
    default = Spacing()
    other = Spacing(weights=_slow_forgetting(), desired_retention=0.8, retire_stability_days=365)
    memory = answered(default, [True, False, True])
    due = other.next_due(memory)
    assert due is not None and due > datetime.fromisoformat(memory["last_review"])
    assert 0 < other.recall(memory, due) < 1
    after = other.review(memory, correct=True, at=due)
    assert after["reviews"] == memory["reviews"] + 1 and after["stability"] > memory["stability"]
    # Replaying the answers under the other policy rebuilds its own view of the same history.
    replayed = other.replay(TRAINED, [(days(1), True), (days(5), False, ""), (days(7), True, "sure")])
    assert replayed["reviews"] == 3 and replayed["lapses"] == 1 and replayed["streak"] == 1


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        Spacing().start(datetime(2026, 1, 1))


def test_a_review_takes_well_under_a_millisecond():
    policy = Spacing()
    memory = answered(policy, [True, False, True])
    at = policy.next_due(memory)
    started = time.perf_counter()
    for _ in range(2000):
        policy.review(memory, correct=True, at=at)
    assert (time.perf_counter() - started) / 2000 < 0.0005


def test_evaluate_compares_predictions_with_a_constant_baseline():
    histories = [
        [(days(1), True), (days(4), True), (days(30), False)],
        [(days(1), False), (days(2), True)],
        [(days(1), True)],
    ]
    result = evaluate(Spacing(), histories)
    assert result["reviews"] == 3  # the first answer of each history has no prediction
    assert result["observed"] == pytest.approx(2 / 3)
    assert result["baseline_rmse"] == pytest.approx((2 * (1 / 3) ** 2 / 3 + (2 / 3) ** 2 / 3) ** 0.5)
    assert result["log_loss"] > 0 and 0 < result["rmse"] < 1
    assert evaluate(Spacing(), [[(days(1), True)]])["log_loss"] is None


def test_reliability_bins_predictions_with_their_counts():
    pairs = [(0.95, 1), (0.91, 1), (0.93, 0), (0.55, 1), (0.52, 0), (1.0, 1)]
    table = reliability(pairs, bins=10)
    assert [(row["low"], row["count"]) for row in table] == [(0.5, 2), (0.9, 4)]
    top = table[-1]
    assert top["observed"] == pytest.approx(0.75)
    assert top["predicted"] == pytest.approx((0.95 + 0.91 + 0.93 + 1.0) / 4)


def test_the_first_question_comes_two_days_after_training_and_later_ones_wait_the_minimum():
    policy = Spacing(fuzz=False, retention_slope=0)
    memory = policy.start(TRAINED)
    assert policy.next_due(memory) == days(2)
    lapsed = policy.review(policy.review(memory, correct=True, at=days(3)), correct=False, at=days(9))
    assert (
        lapsed["stability"] * policy.interval_per_stability(lapsed["stability"]) < 2
    )  # FSRS alone would ask sooner
    assert policy.next_due(lapsed) == days(11)
    quick = Spacing(fuzz=False, retention_slope=0, first_interval_days=1, minimum_interval_days=1)
    assert quick.next_due(lapsed) - days(9) < timedelta(days=2)


def test_retention_is_the_cheapest_in_bounds_that_meets_the_recall_target():
    policy = Spacing(retention_bounds=[0.7, 0.95])
    easy, hard = (
        spacing.retention_by_cost(Spacing(**{**policy.params, "recall_target": target}))
        for target in (0.8, 0.9)
    )
    assert 0.7 <= easy < hard <= 0.95
    assert spacing.retention_by_cost(Spacing(**{**policy.params, "recall_target": 0.8})) == easy
    # Out of reach: the upper bound.
    assert spacing.retention_by_cost(Spacing(retention_bounds=[0.7, 0.8], recall_target=0.99)) == 0.8
    # Nothing to choose between.
    assert spacing.retention_by_cost(Spacing(retention_bounds=[0.82, 0.82])) == 0.82


def test_fitting_keeps_the_base_policy_when_there_is_too_little_data():
    base = Spacing(desired_retention=0.83)
    assert fitted([[(days(1), True), (days(3), True)]], base=base) is base
    assert fitted([]) == Spacing()


def test_fitting_learns_weights_that_predict_the_program_better_than_the_defaults():
    histories = synthetic_histories(400, seed=11)
    policy = fitted(histories, now=days(300))
    assert policy != Spacing()
    fit = policy.params["fit"]
    assert fit["items"] >= spacing.MIN_REVIEWS_TO_FIT and fit["fitted_at"] == days(300).isoformat()
    default = evaluate(Spacing(), histories)
    assert fit["log_loss"] < default["log_loss"]
    assert fit["log_loss"] < fit["baseline_log_loss"]
    assert Spacing(**json.loads(json.dumps(policy.params))) == policy
    low, high = policy.params["retention_bounds"]
    assert low <= policy.retention <= high


def test_the_mean_recall_behind_the_retention_choice_matches_the_curve():
    policy, stability, span = Spacing(), 12.0, 40.0
    steps = 4000
    numeric = sum(policy._recall(stability, (i + 0.5) * span / steps) for i in range(steps)) / steps
    assert spacing._mean_recall(policy, stability, span) == pytest.approx(numeric, rel=1e-6)


def test_training_items_follow_the_fsrs_rs_data_shape():
    history = [(days(3), True), (days(3.2), False, ""), (days(6), True, "sure"), (days(20), False)]
    items = spacing.training_items([history, [(days(3), True)]])
    # One item per answer a day or more after the previous one, holding the history up to it.
    assert [len(item.reviews) for item in items] == [3, 4]
    assert repr(items[-1]) == (
        "FSRSItem { reviews: [FSRSReview { rating: 3, delta_t: 0 }, FSRSReview { rating: 1, delta_t: 0 },"
        " FSRSReview { rating: 4, delta_t: 2 }, FSRSReview { rating: 1, delta_t: 14 }] }"
    )
    pairs = spacing.predictions(Spacing(), [history])
    assert [y for _, y in pairs] == [0, 1, 0] and all(0 < p <= 1 for p, _ in pairs)
