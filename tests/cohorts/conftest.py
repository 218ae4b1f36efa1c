import pytest

from programs.models import Program
from tests.factories import UserFactory


@pytest.fixture
def make_program(db):
    """Build a Program with a rollout design; keyword arguments override the defaults."""

    def make(**fields):
        values = {
            "name": "Value selling",
            "participation": Program.Participation.MANDATORY,
            "rollout": Program.Rollout.PILOT,
            "participant_mix": Program.ParticipantMix.INTACT_TEAMS,
        }
        values.update(fields)
        if "owner" not in values:
            values["owner"] = UserFactory()
        return Program.objects.create(**values)

    return make


@pytest.fixture
def planned(org, make_program):
    """A pilot program for Team A (manager first), saved as a plan, in the `org` fixture's org."""
    from cohorts.services.planning import plan_build, plan_save

    program = make_program(pilot_scope={"teams": ["Team A"]}, holdout_scope={"teams": ["Team B"]})
    plan_save(program=program, plan=plan_build(program))
    return program
