"""Data that arrives after a decision (a pre-assessment import) never silently re-locks a program."""

from datetime import date

import pytest
from django.urls import reverse

from programs import services
from programs.models import DesignDecision, Program
from programs.readiness import readiness_of
from programs.recommendations import recommend
from programs.selectors import program_queryset
from reinforcement.services.coaching import assessment_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(org, ready):
    """The ready program with its three decisions taken as recommended and marked Ready."""
    for kind, fields in services.DECISION_FIELDS.items():
        program = program_queryset().get(pk=ready.pk)
        top = recommend(program)[kind].top.option
        values = {fields[0]: top}
        if top == Program.Participation.SUGGESTED:
            values["participation_criteria"] = {"levels": ["individual"]}
        if top == Program.Rollout.PILOT:
            values.update(pilot_scope={"teams": ["Team A"]}, holdout_scope={"teams": ["Team B"]})
        if top in (Program.Rollout.BY_LOCATION, Program.Rollout.BY_GROUP):
            values.update(wave_order=["Team A", "Team B"], rollout_group_kind="team")
        services.design_decision_record(program=program, user=org.lead, kind=kind, values=values)
    services.program_set_status(program=ready, user=org.lead, status=Program.Status.READY)
    return Program.objects.get(pk=ready.pk)


def test_a_pre_assessment_baseline_answers_a_skill_gap_and_keeps_a_ready_program_open(client, org, decided):
    skill = decided.skills.first()
    for person in (org.people["seller"], org.people["other_seller"]):
        assessment_record(
            person=person, program_skill=skill, kind="pre", score=40, taken_on=date(2026, 11, 1)
        )
    program = program_queryset().get(pk=decided.pk)
    assert program.skill_gaps.filter(source="pre_assessment").count() >= 2  # per region and overall
    assert readiness_of(program).complete
    client.force_login(org.lead)
    for name in ("programs:design", "programs:buy_in"):
        response = client.get(reverse(name, args=[decided.pk]))
        assert response.status_code == 200
        assert b"readiness-reopened" not in response.content
    assert Program.objects.get(pk=decided.pk).status == Program.Status.READY


def test_a_decided_program_that_loses_a_readiness_answer_warns_instead_of_locking(client, org, decided):
    decided.metrics.update(target=1)  # every target now moves its metric the wrong way
    client.force_login(org.lead)
    for name in ("programs:design", "programs:buy_in", "programs:detail"):
        response = client.get(reverse(name, args=[decided.pk]))
        assert response.status_code == 200, name
        page = response.content.decode()
        assert "Readiness changed after the design was decided" in page and "Fix the target of" in page
    assert DesignDecision.objects.filter(program=decided).count() == 3


def test_an_undecided_draft_stays_locked_until_readiness_is_complete(client, org, ready):
    ready.metrics.update(target=1)
    client.force_login(org.lead)
    assert client.get(reverse("programs:design", args=[ready.pk])).status_code == 403
