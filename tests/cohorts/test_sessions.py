from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cohorts.calendars import feed_token
from cohorts.models import Cohort, Enrollment, Session
from cohorts.services.sessions import enrollment_add, enrollment_cancel, invitations_send
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_session(cohort, *, days=10, capacity=12, trainer=None, **fields):
    start = timezone.now() + timedelta(days=days)
    return Session.objects.create(
        cohort=cohort,
        title=f"Session {cohort.name}",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        time_zone="Europe/Berlin",
        meeting_url="https://meet.example.com/s",
        capacity=capacity,
        trainer=trainer,
        **fields,
    )


@pytest.fixture
def team_session(planned, org):
    from cohorts.services.sessions import cohort_enroll

    session = make_session(Cohort.objects.get(program=planned, name="Pilot · Team A"))
    cohort_enroll(session=session)
    return session


@pytest.fixture
def held_session(team_session):
    """The team session, moved to this morning: it has started, so attendance can be marked."""
    team_session.starts_at = timezone.now() - timedelta(hours=1)
    team_session.ends_at = team_session.starts_at + timedelta(hours=2)
    team_session.save()
    return team_session


def test_a_full_session_puts_newcomers_on_the_waitlist_and_a_cancellation_promotes_them(planned, org):
    session = make_session(Cohort.objects.get(program=planned, name="Pilot · Team A"), capacity=1)
    first = enrollment_add(session=session, person=org.people["seller"])
    second = enrollment_add(session=session, person=org.people["seller_b"])
    assert (first.status, second.status) == (Enrollment.Status.ENROLLED, Enrollment.Status.WAITLISTED)
    enrollment_cancel(enrollment=first)
    second.refresh_from_db()
    assert second.status == Enrollment.Status.ENROLLED


def test_the_trainer_marks_attendance(client, held_session, org):
    held_session.trainer = org.manager
    held_session.save()
    enrollment = held_session.enrollments.get(person=org.people["seller"])
    client.force_login(org.manager)
    client.post(reverse("cohorts:attendance_mark", args=[enrollment.pk]), {"attendance": "attended"})
    enrollment.refresh_from_db()
    assert enrollment.attendance == Enrollment.Attendance.ATTENDED and enrollment.marked_by == org.manager


@pytest.mark.parametrize("persona", ["other_manager", "seller", "executive"])
def test_others_cannot_mark_attendance(client, team_session, org, persona):
    enrollment = team_session.enrollments.get(person=org.people["seller"])
    client.force_login(getattr(org, persona))
    response = client.post(
        reverse("cohorts:attendance_mark", args=[enrollment.pk]), {"attendance": "attended"}
    )
    assert response.status_code == 403
    enrollment.refresh_from_db()
    assert enrollment.attendance == Enrollment.Attendance.UNMARKED


def test_a_no_show_is_re_invited_to_a_later_session(
    client, held_session, org, django_capture_on_commit_callbacks
):
    other_cohort = Cohort.objects.filter(program=held_session.cohort.program).exclude(
        pk=held_session.cohort_id
    )
    later = make_session(other_cohort.first(), days=20)
    enrollment = held_session.enrollments.get(person=org.people["seller"])
    client.force_login(org.lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cohorts:attendance_mark", args=[enrollment.pk]), {"attendance": "no_show"})
    rebooked = later.enrollments.get(person=org.people["seller"])
    assert rebooked.status == Enrollment.Status.ENROLLED and rebooked.invited_at is not None
    assert [m.to for m in mail.outbox] == [[org.people["seller"].email]]


def test_invitations_carry_html_text_and_a_valid_ics_and_are_sent_once(team_session, org):
    assert invitations_send(session=team_session) == 2
    assert invitations_send(session=team_session) == 0
    message = next(m for m in mail.outbox if m.to == [org.people["seller"].email])
    assert "Invitation" in message.subject
    assert "You have a seat" in message.body
    html = message.alternatives[0]
    assert html[1] == "text/html" and "<table" in html[0]
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == ("session.ics", "text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == team_session.starts_at.replace(microsecond=0)


def test_a_seller_downloads_their_sessions_as_a_valid_calendar(client, team_session, org):
    client.force_login(org.seller)
    response = client.get(reverse("cohorts:my_calendar"))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [team_session.title]
    assert events[0].decoded("dtend") - events[0].decoded("dtstart") == timedelta(hours=2)
    assert str(events[0]["status"]) == "CONFIRMED"


def test_the_personal_feed_works_without_login_and_only_with_a_valid_token(client, team_session, org):
    token = feed_token(org.people["seller"])
    response = client.get(reverse("cohorts:calendar_feed", args=[token]))
    assert response.status_code == 200
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 1
    forged = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    assert client.get(reverse("cohorts:calendar_feed", args=[forged])).status_code == 404


def test_my_sessions_lists_only_my_own_seats(client, team_session, org):
    client.force_login(org.other_seller)
    page = client.get(reverse("cohorts:my_sessions")).content.decode()
    assert team_session.title not in page
    client.force_login(org.seller)
    page = client.get(reverse("cohorts:my_sessions")).content.decode()
    assert team_session.title in page and "Download my sessions" in page


def test_a_seller_signs_up_for_an_open_session_and_joins_the_waitlist_when_full(client, org, make_program):
    from cohorts.services.planning import plan_build, plan_save

    program = make_program(participation="optional", rollout="as_available")
    plan_save(program=program, plan=plan_build(program, cohort_size=5))
    session = make_session(Cohort.objects.filter(program=program).first(), capacity=1)
    client.force_login(org.seller)
    assert session.title in client.get(reverse("cohorts:my_sessions")).content.decode()
    client.post(reverse("cohorts:session_sign_up", args=[session.pk]))
    client.force_login(org.other_seller)
    client.post(reverse("cohorts:session_sign_up", args=[session.pk]))
    statuses = dict(session.enrollments.values_list("person_id", "status"))
    assert statuses == {org.people["seller"].pk: "enrolled", org.people["other_seller"].pk: "waitlisted"}
    assert program.members.filter(person=org.people["seller"], cohort=session.cohort).exists()


def test_session_times_are_typed_in_the_sessions_own_time_zone(client, planned, org):
    cohort = Cohort.objects.get(program=planned, name="Pilot · Team A")
    client.force_login(org.lead)
    data = {
        "title": "Kick-off",
        "starts_at": "2030-03-04T09:00",
        "ends_at": "2030-03-04T12:00",
        "time_zone": "America/New_York",
        "mode": "virtual",
        "meeting_url": "https://meet.example.com/k",
        "capacity": 10,
    }
    response = client.post(reverse("cohorts:session_create", args=[cohort.pk]), data)
    session = Session.objects.get(title="Kick-off")
    assert response["Location"] == reverse("cohorts:session", args=[session.pk])
    assert session.starts_at.astimezone(UTC).hour == 14  # 09:00 EST
    assert session.enrollments.count() == 2


def test_a_session_form_rejects_bad_times_and_missing_places(client, planned, org):
    cohort = Cohort.objects.get(program=planned, name="Pilot · Team A")
    client.force_login(org.lead)
    data = {
        "title": "Bad",
        "starts_at": "2030-03-04T12:00",
        "ends_at": "2030-03-04T09:00",
        "time_zone": "Mars/Base",
        "mode": "in_person",
        "capacity": 10,
    }
    page = client.post(reverse("cohorts:session_create", args=[cohort.pk]), data).content.decode()
    assert "Unknown time zone" in page and "In-person sessions need a location." in page
    data["time_zone"] = "Europe/Berlin"
    page = client.post(reverse("cohorts:session_create", args=[cohort.pk]), data).content.decode()
    assert "The session must end after it starts." in page
    assert not Session.objects.filter(title="Bad").exists()


def test_a_session_page_is_for_leads_executives_and_its_trainer(client, team_session, org):
    for persona, status in (("lead", 200), ("executive", 200), ("manager", 403), ("seller", 403)):
        client.force_login(getattr(org, persona))
        assert client.get(reverse("cohorts:session", args=[team_session.pk])).status_code == status
    trainer = UserFactory(username="trainer", role="manager")
    team_session.trainer = trainer
    team_session.save()
    client.force_login(trainer)
    assert client.get(reverse("cohorts:session", args=[team_session.pk])).status_code == 200


def test_my_sessions_page_needs_the_same_queries_with_many_seats(
    client, planned, org, django_assert_max_num_queries
):
    cohort = Cohort.objects.get(program=planned, name="Pilot · Team A")
    for day in range(8):
        enrollment_add(session=make_session(cohort, days=5 + day), person=org.people["seller"])
    PersonFactory.create_batch(3)
    client.force_login(org.seller)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("cohorts:my_sessions")).status_code == 200


def test_the_seller_home_lists_their_next_sessions(client, team_session, org):
    client.force_login(org.seller)
    page = client.get(reverse("home")).content.decode()
    assert "Your sessions" in page and team_session.title in page
    client.force_login(org.other_seller)
    assert "No upcoming training session yet." in client.get(reverse("home")).content.decode()


def test_people_outside_an_optional_programs_audience_cannot_sign_up(client, org, make_program):
    from cohorts.services.planning import plan_build, plan_save

    program = make_program(
        participation="optional", rollout="as_available", participation_criteria={"teams": ["Team B"]}
    )
    plan_save(program=program, plan=plan_build(program))
    session = make_session(Cohort.objects.filter(program=program).first())
    client.force_login(org.seller)
    assert session.title not in client.get(reverse("cohorts:my_sessions")).content.decode()
    client.post(reverse("cohorts:session_sign_up", args=[session.pk]))
    assert not session.enrollments.exists()
    client.force_login(org.other_seller)
    client.post(reverse("cohorts:session_sign_up", args=[session.pk]))
    assert session.enrollments.get().person == org.people["other_seller"]


def test_trainers_find_the_sessions_they_run_on_my_sessions(client, team_session, org):
    team_session.trainer = org.lead
    team_session.save()
    client.force_login(org.lead)
    page = client.get(reverse("cohorts:my_sessions")).content.decode()
    assert "Sessions you train" in page and reverse("cohorts:session", args=[team_session.pk]) in page


def test_program_invitations_go_out_in_the_background(
    client, team_session, org, eager_celery, django_capture_on_commit_callbacks
):
    client.force_login(org.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cohorts:program_invite", args=[team_session.cohort.program_id]))
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [org.people["seller"].email, org.people["seller_b"].email]
    )
    assert not team_session.enrollments.filter(invited_at__isnull=True).exists()


def test_program_invitations_are_sent_right_away_when_the_queue_is_down(
    client, team_session, org, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from cohorts import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(tasks.send_program_invitations, "delay", broker_down)
    client.force_login(org.lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cohorts:program_invite", args=[team_session.cohort.program_id]))
    assert len(mail.outbox) == 2


def test_only_leads_send_invitations(client, team_session, org):
    client.force_login(org.executive)
    assert (
        client.post(reverse("cohorts:program_invite", args=[team_session.cohort.program_id])).status_code
        == 403
    )
    assert client.post(reverse("cohorts:session_invite", args=[team_session.pk])).status_code == 403
    assert mail.outbox == []


def test_attendance_is_refused_for_a_session_that_has_not_started(client, team_session, org):
    enrollment = team_session.enrollments.get(person=org.people["seller"])
    client.force_login(org.lead)
    response = client.post(
        reverse("cohorts:attendance_mark", args=[enrollment.pk]), {"attendance": "attended"}, follow=True
    )
    enrollment.refresh_from_db()
    assert enrollment.attendance == Enrollment.Attendance.UNMARKED
    assert "attendance can be marked once it has started" in response.content.decode()
    assert b'value="attended"' not in response.content  # no buttons before the start


def test_lowering_capacity_below_the_seats_taken_moves_the_last_seated_to_the_waitlist(
    client, team_session, org
):
    seated = list(team_session.enrollments.filter(status=Enrollment.Status.ENROLLED).order_by("pk"))
    assert len(seated) == 2
    client.force_login(org.lead)
    local = team_session.starts_at.astimezone(ZoneInfo(team_session.time_zone))
    form = {
        "title": team_session.title,
        "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (local + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "time_zone": team_session.time_zone,
        "mode": team_session.mode,
        "meeting_url": team_session.meeting_url,
        "capacity": 1,
    }
    response = client.post(reverse("cohorts:session_edit", args=[team_session.pk]), form, follow=True)
    statuses = dict(team_session.enrollments.values_list("pk", "status"))
    assert [statuses[e.pk] for e in seated] == ["enrolled", "waitlisted"]
    page = response.content.decode()
    assert f"1 seat(s) more than the new capacity: {seated[1].person.full_name} moved" in page
