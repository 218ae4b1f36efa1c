"""The readiness checklist and gate, computed from a program's answers."""

from decimal import Decimal

import pytest

from programs.models import Metric, ProgramMetric, ReinforcementPlan
from programs.readiness import readiness_of
from programs.selectors import program_queryset

pytestmark = pytest.mark.django_db


def _fresh(program):
    return program_queryset().get(pk=program.pk)


def test_a_new_program_has_every_question_open_and_says_what_to_do(draft):
    readiness = readiness_of(_fresh(draft))
    assert not readiness.complete
    assert readiness.answered == 0
    assert [q.key for q in readiness] == ["metrics", "skills", "gaps", "reinforcement"]
    assert "Pick the one or two metrics to move." in readiness.questions[0].missing
    assert readiness.next_question.key == "metrics"


def test_a_new_program_scores_nothing_and_ticks_nothing_before_a_metric_is_chosen(client, org, draft):
    readiness = readiness_of(_fresh(draft))
    assert [q.score for q in readiness] == [0, 0, 0, 0]
    client.force_login(org.lead)
    page = client.get(f"/programs/{draft.pk}/").content.decode()
    assert "67%" not in page and "bi-check-circle-fill" not in page


def test_a_fully_answered_program_opens_the_gate(ready):
    readiness = readiness_of(_fresh(ready))
    assert readiness.complete
    assert readiness.score == 100
    assert readiness.next_question is None


def test_a_third_metric_without_a_reason_fails_the_critical_few_check(ready):
    ProgramMetric.objects.create(
        program=ready,
        metric=Metric.objects.get(name="Margin"),
        baseline=30,
        target=32,
        unit="%",
        direction="up",
        horizon_months=6,
        data_source="Finance",
    )
    question = readiness_of(_fresh(ready)).questions[0]
    assert not question.complete
    assert question.missing == ["Drop to two metrics or say why more are needed."]
    ready.metrics_reason = "Margin is the board's condition for the budget."
    ready.save()
    assert readiness_of(_fresh(ready)).questions[0].complete


def test_a_target_that_moves_the_wrong_way_is_flagged(ready):
    ready.metrics.filter(metric__name="Win rate").update(target=Decimal("15"))
    question = readiness_of(_fresh(ready)).questions[0]
    assert question.missing == ["Fix the target of Win rate."]


def test_a_skill_without_a_metric_and_a_skill_without_a_gap_are_named(ready):
    qualifying = ready.skills.get(skill__name="Qualifying")
    qualifying.moves_metrics.clear()
    qualifying.gaps.all().delete()
    readiness = readiness_of(_fresh(ready))
    assert readiness.questions[1].missing == ["Link Qualifying to a metric."]
    assert readiness.questions[2].missing == ["Describe the gap for Qualifying."]
    assert readiness.answered == 2


def test_more_than_five_skills_warns_but_does_not_block(ready):
    from programs.models import ProgramSkill, Skill

    metric = ready.metrics.first()
    for skill in Skill.objects.exclude(program_skills__program=ready)[:4]:
        ps = ProgramSkill.objects.create(program=ready, skill=skill)
        ps.moves_metrics.set([metric])
    question = readiness_of(_fresh(ready)).questions[1]
    assert question.complete
    assert "more than five" in question.warnings[0]


def test_each_missing_part_of_the_reinforcement_plan_is_listed(ready):
    ReinforcementPlan.objects.filter(program=ready).update(
        owner="", lagging_indicators="", methods=["role_play"]
    )
    question = readiness_of(_fresh(ready)).questions[3]
    assert question.missing == ["Name who owns reinforcement.", "Say how the results will be measured."]
    assert question.score == 60
    assert "Manager coaching" in question.warnings[0]


def test_a_pre_assessment_sets_the_baseline_and_keeps_the_typed_limiters(ready):
    from django.core.exceptions import ValidationError

    from programs.models import ProgramChange, SkillGap
    from programs.services import skill_gap_record_assessment

    qualifying = ready.skills.get(skill__name="Qualifying")
    skill_gap_record_assessment(
        program_skill=qualifying, segment="Account executives", baseline_proficiency=1
    )
    gap = SkillGap.objects.get(program_skill=qualifying, segment="Account executives")
    assert (gap.baseline_proficiency, gap.source, gap.limiters) == (1, "pre_assessment", "Too eager")
    assert ProgramChange.objects.filter(program=ready, summary__startswith="Pre-assessment: ").exists()
    with pytest.raises(ValidationError):
        skill_gap_record_assessment(program_skill=qualifying, segment="X", baseline_proficiency=7)
