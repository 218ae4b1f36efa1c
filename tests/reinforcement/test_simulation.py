"""The scheduler simulation runs the three policies on the same cohort and reports each."""

from io import StringIO

from django.core.management import call_command

from reinforcement.simulation import FixedPolicy, LeitnerPolicy, report, run


def test_the_simulation_compares_three_schedulers_deterministically():
    first = run(learners=12, questions=3, days=120, seed=3)
    again = run(learners=12, questions=3, days=120, seed=3)
    assert [r.row() for r in first] == [r.row() for r in again]
    assert [r.name for r in first] == ["FSRS (retention 0.9)", "Fixed 12/24 days", "Leitner [1, 2, 7]"]
    for result in first:
        assert result.items == 36
        assert result.nudges >= result.items
        assert all(0 < recall <= 1 for recall in result.recall_at_review)
        assert len(result.recall_over_time) == result.items
        assert all(0 < held <= 1 for held in result.recall_over_time)
    assert "nudges to mastery" in report(first, 120)


def test_the_baselines_follow_their_published_intervals():
    fixed, leitner = FixedPolicy(), LeitnerPolicy()
    assert (fixed.next_interval({}, 0, True), fixed.next_interval({}, 0, False)) == (24.0, 12.0)
    state = leitner.start()
    assert [leitner.next_interval(state, 0, ok) for ok in (True, True, True, False)] == [2.0, 7.0, 7.0, 1.0]


def test_the_command_prints_a_row_per_scheduler():
    out = StringIO()
    call_command("simulate_reinforcement", "--learners", "5", "--questions", "2", "--days", "60", stdout=out)
    text = out.getvalue()
    assert "FSRS" in text and "Fixed 12/24 days" in text and "Leitner" in text
