"""The enablement lead's program health page."""

from datetime import timedelta

import pytest
from django.urls import reverse

from cohorts.models import Cohort, CohortMember, Enrollment, Session, Wave
from programs.models import Touchpoint

from .conftest import TODAY, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def waves(org, measured):
    program = measured["program"]
    pilot = Wave.objects.create(program=program, number=1, name="Pilot", kind=Wave.Kind.PILOT)
    main = Wave.objects.create(program=program, number=2, name="Everyone else", kind=Wave.Kind.MAIN)
    first = Cohort.objects.create(program=program, wave=pilot, name="Pilot cohort")
    second = Cohort.objects.create(program=program, wave=main, name="Main cohort")
    people = org.people
    CohortMember.objects.filter(person__in=[people["seller"], people["seller_b"], people["manager"]]).update(
        cohort=first
    )
    CohortMember.objects.filter(person__in=[people["other_seller"], people["other_manager"]]).update(
        cohort=second
    )
    session = Session.objects.create(
        cohort=first,
        title="Day 1",
        starts_at=at(TODAY - timedelta(days=20)),
        ends_at=at(TODAY - timedelta(days=20), 17),
    )
    for key in ("seller", "seller_b"):
        Enrollment.objects.create(
            session=session, person=people[key], attendance=Enrollment.Attendance.ATTENDED
        )
    Enrollment.objects.create(
        session=session, person=people["manager"], attendance=Enrollment.Attendance.NO_SHOW
    )
    Touchpoint.objects.create(
        program=program, date=TODAY - timedelta(days=40), channel="email", messenger="VP"
    )
    Touchpoint.objects.create(
        program=program, date=TODAY + timedelta(days=5), channel="town_hall", messenger="VP"
    )
    return pilot, main


def test_health_shows_trained_against_in_scope_per_wave(client, org, measured, waves):
    client.force_login(org.lead)
    response = client.get(reverse("measurement:health", args=[measured["program"].pk]))
    assert response.status_code == 200
    progress = {w["wave"].name: (w["trained"], w["in_scope"]) for w in response.context["progress"]["waves"]}
    assert progress == {"Pilot": (2, 3), "Everyone else": (0, 2)}
    assert response.context["touchpoints_done"] == 1
    assert response.context["touchpoints_total"] == 2


def test_health_flags_managers_who_do_not_coach(client, org, measured, waves):
    client.force_login(org.lead)
    response = client.get(reverse("measurement:health", args=[measured["program"].pk]))
    flagged = [t["manager_id"] for t in response.context["not_coaching"]]
    assert flagged == [org.people["other_manager"].pk]
    assert "Managers not coaching" in response.content.decode()


def test_the_health_nav_entry_opens_the_first_program(client, org, measured):
    client.force_login(org.lead)
    response = client.get(reverse("measurement:health_default"))
    assert response["Location"] == reverse("measurement:health", args=[measured["program"].pk])


@pytest.mark.parametrize(("who", "status"), [("executive", 200), ("manager", 403), ("seller", 403)])
def test_health_is_for_leads_and_executives(client, org, measured, who, status):
    client.force_login(getattr(org, who))
    assert client.get(reverse("measurement:health", args=[measured["program"].pk])).status_code == status


def test_the_health_page_query_count_does_not_grow_with_the_data(
    client, org, measured, waves, django_assert_max_num_queries
):
    from tests.factories import PersonFactory

    client.force_login(org.lead)
    url = reverse("measurement:health", args=[measured["program"].pk])
    with django_assert_max_num_queries(50) as before:
        client.get(url)
    pilot, _ = waves
    cohort = pilot.cohorts.first()
    for _ in range(10):
        person = PersonFactory(manager=org.people["manager"], team=org.teams["a"])
        CohortMember.objects.create(program=measured["program"], person=person, cohort=cohort)
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert response.context["progress"]["in_scope"] == 15


def test_a_big_program_without_snapshots_shows_the_page_without_team_risks(
    client, org, measured, monkeypatch
):
    from reinforcement.measurement import selectors

    monkeypatch.setattr(selectors, "LIVE_LIMIT", 2)
    client.force_login(org.lead)
    response = client.get(reverse("measurement:health", args=[measured["program"].pk]))
    assert response.status_code == 200
    assert response.context["team_figures_pending"] is True
    assert "appear once the dashboard figures are computed" in response.content.decode()
