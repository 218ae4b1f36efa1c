"""Leadership journeys: a manager prints a kit and schedules a team session; an executive opens
the weekly brief from its e-mail and the lead records the review meeting."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from cohorts.models import CohortMember
from programs.models import Program
from reinforcement.leadership.models import ReviewMeeting, TeamSession
from reinforcement.leadership.services import briefs
from tests.factories import PASSWORD, make_ready_program

from .test_reinforcement_journey import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = (1366, 768)


@pytest.fixture
def launched(org, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    program = make_ready_program(
        owner=org.lead,
        name="Discovery 2026",
        status=Program.Status.LAUNCHED,
        start_date=timezone.localdate() - timedelta(days=21),
    )
    for key in ("seller", "seller_b", "other_seller"):
        CohortMember.objects.create(program=program, person=org.people[key])
    return program


def log_in(page, base, username, path="/"):
    page.goto(base + path)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def shoot(page, name):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"var/screenshots/leadership-{name}-{width}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} scrolls sideways"


def test_a_manager_prints_a_kit_and_schedules_a_team_session(launched, org, live_server, page):
    log_in(page, live_server.url, "manager")
    page.get_by_role("link", name="Reinforcement kits").first.click()
    page.get_by_role("link", name="Qualifying").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Qualifying")
    expect(page.get_by_text("Role play (15 minutes)")).to_be_visible()
    assert serious_violations(page) == []
    shoot(page, "kit")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print kit")).to_be_hidden()
    page.screenshot(path="var/screenshots/leadership-kit-print.png", full_page=True)
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1366, "height": 900})

    page.get_by_role("link", name="Schedule a team session").click()
    day = timezone.localdate() + timedelta(days=3)
    page.get_by_label("Day").fill(day.isoformat())
    page.get_by_label("Starts at").fill("09:30")
    page.get_by_label("Where").fill("Room 4")
    expect(page.get_by_label(org.people["seller"].full_name)).to_be_checked()
    expect(page.get_by_text(org.people["other_seller"].full_name)).to_have_count(0)
    shoot(page, "session-form")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("button", name="Schedule and invite").click()
    expect(page.get_by_role("alert")).to_contain_text("2 invitation(s) sent")
    session = TeamSession.objects.get()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(org.people[k].email for k in ("seller", "seller_b"))
    assert mail.outbox[0].attachments[0][0] == "team-session.ics"
    expect(page.get_by_text("Scheduled", exact=True)).to_be_visible()
    assert session.where == "Room 4"
    shoot(page, "session")


def test_an_executive_opens_the_brief_from_the_email_and_the_lead_records_the_meeting(
    launched, org, live_server, page, settings
):
    settings.SITE_URL = live_server.url
    briefs.briefs_plan()
    token, ids = briefs.briefs_claim()
    briefs.briefs_deliver(ids=ids, lease_token=token)
    message = next(m for m in mail.outbox if m.to == [org.executive.email])
    link = re.search(r"(http://\S+/leadership/programs/\d+/brief/\S*)", message.body).group(1)

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(link)
    page.get_by_label("Username").fill("executive")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Discovery 2026")
    expect(page.get_by_role("heading", name="Decisions needed")).to_be_visible()
    expect(page.get_by_text("3 weeks passed without a review")).to_be_visible()
    assert serious_violations(page) == []
    shoot(page, "brief")
    page.context.clear_cookies()

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server.url, "lead", path=link.removeprefix(live_server.url))
    page.get_by_role("link", name="Record the review meeting").click()
    page.get_by_label("Attendees").fill("VP of Sales\nEnablement lead")
    page.get_by_label("Decisions").fill("Protect Friday mornings for coaching")
    page.get_by_label("Action").first.fill("Call the Team B manager")
    page.get_by_label("Owner").first.fill("VP of Sales")
    page.get_by_label("Due").first.fill((timezone.localdate() + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="+ another follow-up").click()
    expect(page.get_by_label("Action").nth(1)).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_role("alert")).to_contain_text("Review meeting recorded")
    expect(page.get_by_text("Call the Team B manager")).to_be_visible()
    meeting = ReviewMeeting.objects.get()
    assert meeting.follow_ups.get().owner == "VP of Sales"
    shoot(page, "reviews")
