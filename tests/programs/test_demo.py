"""Demo programs: one complete, one half-finished; loading twice changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from programs.models import DesignDecision, Program, ProgramChange, ProgramSkill, SkillGap, Touchpoint
from programs.readiness import readiness_of
from programs.selectors import program_queryset

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug_on(settings):
    settings.DEBUG = True


def _snapshot():
    return (
        sorted(
            Program.objects.values_list("pk", "name", "status", "participation", "rollout", "participant_mix")
        ),
        sorted(ProgramSkill.objects.values_list("pk", "program_id", "skill__name")),
        SkillGap.objects.count(),
        Touchpoint.objects.count(),
        sorted(DesignDecision.objects.values_list("pk", "chosen", "recommended", "decided_at")),
        sorted(ProgramChange.objects.values_list("pk", "summary", "at")),
    )


def test_the_demo_has_a_complete_program_and_a_half_finished_one(roles):
    call_command("seed_demo", stdout=StringIO())
    complete = program_queryset().get(name="Value selling for enterprise accounts")
    assert complete.owner.username == "lead"
    assert readiness_of(complete).complete
    assert complete.participation == Program.Participation.MANDATORY
    assert complete.rollout == Program.Rollout.PILOT
    assert complete.pilot_scope == {"teams": ["Enterprise East", "DACH"]}
    assert complete.holdout_scope
    assert complete.participation_criteria == {}
    assert complete.participant_mix == Program.ParticipantMix.INTACT_TEAMS
    assert complete.decisions.count() == 3
    assert complete.buy_in.why_message
    assert complete.touchpoints.count() >= 3
    half = program_queryset().get(name="Pipeline discipline for inside sales")
    readiness = readiness_of(half)
    assert not readiness.complete
    assert readiness.answered == 2


def test_seeding_twice_keeps_the_same_rows(roles):
    call_command("seed_demo", stdout=StringIO())
    before = _snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert _snapshot() == before
