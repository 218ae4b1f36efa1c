"""Changing the design of a running program adds the newly in-scope people and moves nobody."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort, CohortMember, Enrollment, Session, Wave
from cohorts.services import org_paths_rebuild
from cohorts.services.planning import plan_build, plan_save
from cohorts.services.sessions import attendance_mark, sessions_schedule
from programs.models import Program
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(org, make_program):
    """Team A's program by team: its managers' session has been held and attended."""
    program = make_program(
        participation_criteria={"teams": ["Team A"]},
        rollout=Program.Rollout.BY_GROUP,
        rollout_group_kind=Program.GroupKind.TEAM,
        wave_order=["Team A"],
    )
    plan_save(program=program, plan=plan_build(program))
    sessions_schedule(program=program, first_day=date.today() + timedelta(days=30))
    held = Session.objects.get(cohort__program=program, cohort__is_leaders=True)
    held.starts_at = timezone.now() - timedelta(days=1)
    held.ends_at = held.starts_at + timedelta(hours=3)
    held.save()
    trained = held.enrollments.get()
    attendance_mark(enrollment=trained, attendance=Enrollment.Attendance.ATTENDED, user=org.lead)
    return program


def test_a_running_program_previews_and_adds_newcomers_without_moving_anyone(client, org, running):
    newcomer = PersonFactory(manager=org.people["manager"], team=org.teams["a"])
    org_paths_rebuild()
    running.participation_criteria = {"teams": ["Team A", "Team B"]}
    running.wave_order = ["Team A", "Team B"]
    running.save()
    before = dict(CohortMember.objects.filter(program=running).values_list("person_id", "cohort_id"))
    attended = list(Enrollment.objects.filter(attendance="attended").values_list("pk", "session_id"))
    team_a = Cohort.objects.get(program=running, name="Team A · Team A")

    client.force_login(org.lead)
    url = reverse("cohorts:plan_generate", args=[running.pk])
    page = client.get(url).content.decode()
    assert "This program is running" in page and "Save this plan" not in page
    assert "1 join" in page and "Team A · Team A" in page
    assert "2 in a new wave" in page and "Add 3 people" in page
    assert CohortMember.objects.filter(program=running).count() == len(before)  # a preview writes nothing

    response = client.post(url, {"cohort_size": 12}, follow=True)
    assert "3 newly in-scope people added" in response.content.decode()
    after = dict(CohortMember.objects.filter(program=running).values_list("person_id", "cohort_id"))
    assert {k: after[k] for k in before} == before  # nobody already in the program moved
    assert after[newcomer.pk] == team_a.pk
    assert team_a.sessions.get().enrollments.filter(person=newcomer, status="enrolled").exists()
    added = Wave.objects.get(program=running, number=2)
    assert {c.name for c in added.cohorts.all()} == {
        "Added · Managers",
        "Added · Team B",
    }
    assert list(Enrollment.objects.filter(attendance="attended").values_list("pk", "session_id")) == attended


def test_a_running_program_with_nobody_new_offers_nothing_to_add(client, org, running):
    client.force_login(org.lead)
    url = reverse("cohorts:plan_generate", args=[running.pk])
    page = client.get(url).content.decode()
    assert "Nobody new is in scope" in page and "Add " not in page
    count = CohortMember.objects.filter(program=running).count()
    client.post(url, {"cohort_size": 12})
    assert CohortMember.objects.filter(program=running).count() == count
