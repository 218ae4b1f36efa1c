"""Issue 11.8: invitations show the session's local time in its zone; subjects are not escaped."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from cohorts.models import Session
from cohorts.services.planning import plan_build, plan_save
from cohorts.services.sessions import enrollment_add, invitations_send
from programs.models import Program
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture
def chicago_session(org):
    program = ProgramFactory(
        owner=org.lead,
        participation=Program.Participation.MANDATORY,
        rollout=Program.Rollout.PILOT,
        participant_mix=Program.ParticipantMix.INTACT_TEAMS,
        pilot_scope={"teams": ["Team A"]},
    )
    plan_save(program=program, plan=plan_build(program))
    session = Session.objects.create(
        cohort=program.cohorts.first(),
        title="Sam's <discovery> kick-off",
        starts_at=datetime(2027, 3, 2, 9, 0, tzinfo=CHICAGO),
        ends_at=datetime(2027, 3, 2, 12, 0, tzinfo=CHICAGO),
        time_zone="America/Chicago",
        meeting_url="https://meet.example.com/s",
        capacity=10,
    )
    enrollment_add(session=session, person=org.people["seller"])
    return session


def test_the_invitation_shows_the_local_time_in_the_sessions_zone(chicago_session, settings):
    settings.TIME_ZONE = "UTC"
    invitations_send(session=chicago_session)
    (message,) = mail.outbox
    assert "09:00 to 12:00 (America/Chicago)" in message.body
    html = message.alternatives[0][0]
    assert "09:00 to 12:00 (America/Chicago)" in html
    assert "15:00" not in message.body and "15:00" not in html


def test_the_subject_is_plain_text_not_html_escaped(chicago_session):
    invitations_send(session=chicago_session)
    (message,) = mail.outbox
    assert message.subject == "Invitation: Sam's <discovery> kick-off on Tue 2 Mar"
    assert "&lt;discovery&gt;" in message.alternatives[0][0]  # the HTML body still escapes
