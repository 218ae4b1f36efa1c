"""The scoring table, checked directly with snapshots of different program contexts."""

from decimal import Decimal

import pytest

from programs.models import DesignDecision, Program
from programs.recommendations import (
    FACTS_BY_KEY,
    RULES,
    TRADE_OFFS,
    Snapshot,
    explain,
    facts_of,
    rank,
    recommend,
    table,
)
from tests.factories import ProgramFactory, make_ready_program

Kind = DesignDecision.Kind


def test_compliance_and_foundational_put_mandatory_first_and_name_both_reasons():
    snapshot = Snapshot(compliance_required=True, is_foundational=True)
    rec = rank(Kind.PARTICIPATION, snapshot)
    assert rec.top.option == Program.Participation.MANDATORY
    assert "compliance is required" in rec.summary
    assert "foundational" in rec.summary
    assert rec.summary.startswith("Mandatory ranks first because")


def test_an_autonomous_culture_is_named_as_the_cost_of_mandatory():
    snapshot = Snapshot(compliance_required=True, is_foundational=True, culture_autonomy=5)
    rec = rank(Kind.PARTICIPATION, snapshot)
    assert rec.top.option == Program.Participation.MANDATORY
    assert "costs engagement" in rec.summary
    assert [r.fact for r in rec.top.cons] == ["autonomy_high"]


def test_an_autonomous_culture_without_compliance_prefers_optional_attendance():
    snapshot = Snapshot(culture_autonomy=5, learning_maturity=5, is_foundational=False)
    rec = rank(Kind.PARTICIPATION, snapshot)
    assert rec.top.option == Program.Participation.OPTIONAL
    assert rec.top.score == 3


def test_compliance_pushes_optional_and_selected_to_the_bottom():
    rec = rank(Kind.PARTICIPATION, Snapshot(compliance_required=True))
    assert {r.option for r in rec.ranked[-2:]} == {
        Program.Participation.OPTIONAL,
        Program.Participation.SELECTED,
    }


def test_uneven_gaps_in_an_advanced_program_favour_suggested_participation():
    snapshot = Snapshot(is_foundational=False, gap_spread=3, manager_coaching_capacity=4)
    rec = rank(Kind.PARTICIPATION, snapshot)
    assert rec.top.option == Program.Participation.SUGGESTED
    assert rec.top.score == 4


def test_a_large_audience_in_a_mature_organisation_pilots_first():
    snapshot = Snapshot(audience_size=400, learning_maturity=5, urgency=Program.Urgency.LOW)
    rec = rank(Kind.ROLLOUT, snapshot)
    assert rec.top.option == Program.Rollout.PILOT
    assert rec.top.score == 5


def test_urgency_counts_against_a_pilot():
    relaxed = rank(Kind.ROLLOUT, Snapshot(audience_size=400))
    urgent = rank(Kind.ROLLOUT, Snapshot(audience_size=400, urgency=Program.Urgency.HIGH))
    pilot = lambda rec: next(r for r in rec.ranked if r.option == Program.Rollout.PILOT)  # noqa: E731
    assert pilot(urgent).score == pilot(relaxed).score - 2
    assert any("wait" in r.text for r in pilot(urgent).cons)


def test_many_sites_on_a_tight_budget_roll_out_by_location():
    snapshot = Snapshot(location_count=8, budget_per_head=Decimal("300"))
    rec = rank(Kind.ROLLOUT, snapshot)
    assert rec.top.option == Program.Rollout.BY_LOCATION


def test_account_metrics_and_skills_favour_groups_and_intact_teams():
    snapshot = Snapshot(metric_names=frozenset({"revenue"}), skill_names=frozenset({"account planning"}))
    assert rank(Kind.ROLLOUT, snapshot).top.option == Program.Rollout.BY_GROUP
    mix = rank(Kind.PARTICIPANT_MIX, snapshot)
    assert mix.top.option == Program.ParticipantMix.INTACT_TEAMS
    assert "own accounts" in mix.summary


def test_cross_functional_skills_favour_a_mixed_group():
    snapshot = Snapshot(skill_names=frozenset({"business acumen"}), learning_maturity=4)
    rec = rank(Kind.PARTICIPANT_MIX, snapshot)
    assert rec.top.option == Program.ParticipantMix.CROSS_FUNCTIONAL
    assert rec.top.score == 3


def test_with_no_signal_the_first_listed_option_wins_by_default():
    rec = rank(Kind.PARTICIPANT_MIX, Snapshot(learning_maturity=3))
    assert rec.top.option == Program.ParticipantMix.CROSS_FUNCTIONAL
    assert "by default" in explain(rec.top)


@pytest.mark.django_db
def test_the_snapshot_reads_metrics_skills_and_gaps_from_the_program():
    program = make_ready_program(audience_size=200)
    snapshot = Snapshot.of(program)
    assert snapshot.metric_names == {"win rate", "deal size"}
    assert snapshot.skill_names == {"qualifying", "negotiating"}
    assert snapshot.average_baseline == 3
    assert {"account_metrics", "account_skills", "large_audience"} <= facts_of(snapshot)


@pytest.mark.django_db
def test_recommend_returns_a_full_ranking_for_each_decision():
    result = recommend(ProgramFactory())
    assert set(result) == set(Kind.values)
    assert len(result[Kind.ROLLOUT].ranked) == len(Program.Rollout.values)
    assert result[Kind.PARTICIPATION].rank_of(result[Kind.PARTICIPATION].top.option) == 1


def test_every_rule_refers_to_a_known_fact_and_option_and_every_option_has_trade_offs():
    for rule in RULES:
        assert rule.fact in FACTS_BY_KEY
        assert rule.points != 0
    options = {*Program.Participation.values, *Program.Rollout.values, *Program.ParticipantMix.values}
    assert {rule.option for rule in RULES} == options
    assert set(TRADE_OFFS) == options


def test_the_help_table_lists_every_rule_once():
    rendered = [rule for decision in table() for option in decision["options"] for rule in option["rules"]]
    assert len(rendered) == len(RULES)


@pytest.mark.django_db
def test_a_reinforcement_plan_built_on_manager_coaching_counts_for_top_down_and_intact_teams():
    program = make_ready_program()
    assert Snapshot.of(program).coaching_planned
    with_coaching = recommend(program)
    program.reinforcement_plan.methods = ["gamification"]
    program.reinforcement_plan.save()
    program.refresh_from_db()
    without = recommend(program)

    def score(rec, option):
        return next(r.score for r in rec.ranked if r.option == option)

    assert score(with_coaching[Kind.ROLLOUT], Program.Rollout.TOP_DOWN) == (
        score(without[Kind.ROLLOUT], Program.Rollout.TOP_DOWN) + 1
    )
    assert score(with_coaching[Kind.PARTICIPANT_MIX], Program.ParticipantMix.INTACT_TEAMS) == (
        score(without[Kind.PARTICIPANT_MIX], Program.ParticipantMix.INTACT_TEAMS) + 1
    )
