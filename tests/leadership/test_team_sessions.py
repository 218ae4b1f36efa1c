"""Team reinforcement sessions: scheduled from a kit with an .ics invitation, attendance
recorded, held vs expected by the plan's cadence."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reinforcement.leadership.models import TeamSession
from reinforcement.leadership.rules import expected_sessions
from reinforcement.leadership.selectors import sessions_accountability

pytestmark = pytest.mark.django_db


def schedule(client, ps, people, days_ahead=2, **extra):
    day = timezone.localdate() + timedelta(days=days_ahead)
    data = {
        "day": day.isoformat(),
        "start": "09:30",
        "minutes": 30,
        "time_zone": "Europe/Berlin",
        "where": "Room 4",
        "invitees": [p.pk for p in people],
        **extra,
    }
    return client.post(reverse("leadership:session_new", args=[ps.pk]), data)


def test_the_cadence_sets_how_many_sessions_are_expected():
    launch = date(2026, 11, 2)
    assert expected_sessions(launch, date(2026, 11, 15), "fortnightly") == 1
    assert expected_sessions(launch, date(2026, 11, 14), "fortnightly") == 0
    assert expected_sessions(launch, date(2026, 11, 29), "weekly") == 4
    assert expected_sessions(launch, date(2026, 10, 1), "weekly") == 0
    assert expected_sessions(None, date(2026, 11, 29), "weekly") == 0


def test_a_manager_schedules_a_session_and_the_team_gets_an_ics_invitation(client, org, qualifying):
    client.force_login(org.manager)
    form = client.get(reverse("leadership:session_new", args=[qualifying.pk])).content.decode()
    assert org.people["seller"].full_name in form and org.people["other_seller"].full_name not in form
    team = [org.people["seller"], org.people["seller_b"]]
    response = schedule(client, qualifying, team)
    session = TeamSession.objects.get()
    assert response.url == reverse("leadership:session", args=[session.pk])
    assert session.starts_at.hour == 8  # 09:30 in Berlin is 08:30 UTC
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in team)
    message = mail.outbox[0]
    name, ics, mimetype = message.attachments[0]
    assert mimetype.startswith("text/calendar")
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "BEGIN:VEVENT" in ics and "Team reinforcement: Qualifying" in ics and "Room 4" in ics
    assert message.alternatives[0][1] == "text/html"


def test_only_the_managers_own_people_can_be_invited(client, org, qualifying):
    client.force_login(org.manager)
    response = schedule(client, qualifying, [org.people["other_seller"]])
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not TeamSession.objects.exists() and not mail.outbox


def test_recording_who_came_makes_the_session_count_as_held(client, org, qualifying):
    client.force_login(org.manager)
    schedule(client, qualifying, [org.people["seller"], org.people["seller_b"]], days_ahead=1)
    session = TeamSession.objects.get()
    url = reverse("leadership:session", args=[session.pk])
    early = client.post(url, {"attendees": [org.people["seller"].pk]})
    assert "once the session has started" in early.content.decode()
    TeamSession.objects.update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    client.force_login(org.other_manager)
    assert client.get(url).status_code == 404
    assert client.post(url, {"attendees": [org.people["seller"].pk], "note": "x"}).status_code == 404
    client.force_login(org.executive)
    assert client.get(url).status_code == 200
    assert client.post(url, {"note": "x"}).status_code == 403
    client.force_login(org.manager)
    client.post(url, {"attendees": [org.people["seller"].pk], "note": "Good energy; two real examples."})
    session.refresh_from_db()
    assert session.is_held and list(session.attendees.all()) == [org.people["seller"]]
    ics = client.get(reverse("leadership:session_ics", args=[session.pk]))
    assert ics["Content-Type"].startswith("text/calendar")


def test_the_accountability_list_counts_held_against_expected(client, org, launched, qualifying):
    # Launched 28 days ago with a fortnightly cadence: two sessions expected per manager.
    client.force_login(org.manager)
    schedule(client, qualifying, [org.people["seller"]], days_ahead=-1)
    session = TeamSession.objects.get()
    client.post(reverse("leadership:session", args=[session.pk]), {"attendees": [org.people["seller"].pk]})
    data = sessions_accountability(launched)
    [row] = data["rows"]
    assert (row["manager"], row["held"], row["expected"], row["behind"]) == (org.people["manager"], 1, 2, 1)
    client.force_login(org.executive)
    page = client.get(reverse("leadership:sessions")).content.decode()
    assert "1 behind" in page and org.people["manager"].full_name in page
    client.force_login(org.seller)
    assert client.get(reverse("leadership:sessions")).status_code == 403


def test_the_managers_home_card_has_a_constant_query_count(
    client, org, launched, django_assert_max_num_queries
):
    from tests.factories import PersonFactory

    client.force_login(org.manager)
    client.get(reverse("home"))
    with django_assert_max_num_queries(16) as small:
        client.get(reverse("home"))
    PersonFactory.create_batch(20, manager=org.people["manager"], team=org.teams["a"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(reverse("home")).content.decode()
    assert "of 2 expected team sessions held" in page


def test_the_dashboards_accountability_table_shows_sessions_held_against_expected(
    client, org, launched, qualifying
):
    client.force_login(org.manager)
    schedule(client, qualifying, [org.people["seller"]], days_ahead=-1)
    session = TeamSession.objects.get()
    client.post(reverse("leadership:session", args=[session.pk]), {"attendees": [org.people["seller"].pk]})
    client.force_login(org.executive)
    page = client.get(reverse("measurement:dashboard"), {"program": launched.pk}).content.decode()
    table = page[page.index('id="table-managers"') :]
    assert "Team sessions held / expected" in table and "1 / 2" in table


def test_a_refused_invitation_keeps_the_session_and_can_be_sent_again(client, org, qualifying, settings):
    from unittest import mock

    client.force_login(org.manager)
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("down")
    ):
        response = schedule(client, qualifying, [org.people["seller"]])
    session = TeamSession.objects.get()
    assert session.invited_at is None and not mail.outbox
    page = client.get(response.url).content.decode()
    assert "could not be sent" in page and "Send the invitations" in page
    client.force_login(org.other_manager)
    assert client.post(reverse("leadership:session_invite", args=[session.pk])).status_code == 404
    client.force_login(org.manager)
    client.post(reverse("leadership:session_invite", args=[session.pk]))
    client.post(reverse("leadership:session_invite", args=[session.pk]))  # a second click sends nothing
    assert [m.to for m in mail.outbox] == [[org.people["seller"].email]]
