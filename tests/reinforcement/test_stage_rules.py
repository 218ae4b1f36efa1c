"""The pure stage rules: evidence in, stage and reason out."""

from reinforcement.evidence import Evidence, stage_for
from reinforcement.models import ReinforcementRules, Stage

RULES = ReinforcementRules()


def evidence(**overrides):
    base = {
        "attended": True,
        "post_score": 80,
        "reviewed_cards": 3,
        "avg_stability": 12.0,
        "practice_ratings": [3, 4],
        "application_ratings": [],
        "action_plans": 1,
        "observed_plans": 1,
        "high_ratings": 1,
    }
    return Evidence(**{**base, **overrides})


def test_no_evidence_is_not_started():
    assert stage_for(Evidence(), RULES)[0] == Stage.NOT_STARTED


def test_a_failed_post_assessment_keeps_the_seller_out_of_learn_and_says_why():
    stage, reason = stage_for(evidence(post_score=50), RULES)
    assert stage == Stage.NOT_STARTED
    assert "below the pass mark of 70" in reason


def test_learn_needs_attendance_unless_the_program_waives_it():
    assert stage_for(evidence(attended=False), RULES)[0] == Stage.NOT_STARTED
    assert (
        stage_for(evidence(attended=False, reviewed_cards=0), ReinforcementRules(require_attendance=False))[0]
        == Stage.LEARN
    )


def test_remember_needs_stability_above_the_threshold():
    assert stage_for(evidence(avg_stability=3.0), RULES)[0] == Stage.LEARN
    assert stage_for(evidence(avg_stability=7.5, practice_ratings=[]), RULES)[0] == Stage.REMEMBER


def test_practice_needs_two_ratings_of_three_or_more():
    assert stage_for(evidence(practice_ratings=[2, 5]), RULES)[0] == Stage.REMEMBER
    assert stage_for(evidence(practice_ratings=[3, 3], action_plans=0), RULES)[0] == Stage.PRACTICE


def test_apply_needs_a_plan_and_an_observation_or_a_field_rating():
    assert stage_for(evidence(observed_plans=0), RULES)[0] == Stage.PRACTICE
    assert stage_for(evidence(observed_plans=0, application_ratings=[4]), RULES)[0] == Stage.APPLY


def test_master_needs_long_stability_high_ratings_and_sign_off():
    almost = evidence(avg_stability=70.0, high_ratings=3, signed_off=False)
    assert stage_for(almost, RULES, current=Stage.APPLY) == (
        Stage.APPLY,
        "Waiting for the manager's sign-off.",
    )
    assert stage_for(evidence(avg_stability=70.0, high_ratings=3, signed_off=True), RULES)[0] == Stage.MASTER


def test_a_recall_lapse_falls_back_and_the_reason_names_the_lapse():
    stage, reason = stage_for(evidence(relearning_cards=1), RULES, current=Stage.APPLY)
    assert stage == Stage.LEARN
    assert reason.startswith("Recall lapsed")


def test_moving_up_gives_the_reason_of_the_stage_reached():
    stage, reason = stage_for(evidence(practice_ratings=[]), RULES, current=Stage.LEARN)
    assert stage == Stage.REMEMBER
    assert reason.startswith("Recall is holding")
