"""The weekly leadership brief: figures computed on a hand-built org, the page and its access."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reinforcement.leadership.rules import (
    BriefFacts,
    decisions_needed,
    monday,
    trend,
    weeks_to_goal,
    weeks_without_review,
)
from reinforcement.leadership.selectors import brief_for

from . import handbuilt

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_with_figures(org, launched):
    return handbuilt.build(org, launched)


def test_trend_and_pace_to_the_goal_on_hand_made_numbers():
    series = [0.0, 1 / 3, 1 / 3, 1 / 3, 0.5]
    assert trend(series) == pytest.approx(0.5)
    assert weeks_to_goal(series) == 2  # +0.125 a week, 0.25 to go
    assert weeks_to_goal([0.5, 0.4]) is None and weeks_to_goal([0.8]) == 0


def test_weeks_without_review_count_completed_weeks_since_launch():
    from datetime import date

    launch, today = date(2026, 11, 2), date(2026, 11, 25)  # Mondays 2, 9, 16 Nov done; 23 Nov running
    assert weeks_without_review(launch, today, []) == [
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
    ]
    assert weeks_without_review(launch, today, [date(2026, 11, 12)]) == [
        date(2026, 11, 2),
        date(2026, 11, 16),
    ]


def test_decisions_follow_from_the_facts():
    stalled = decisions_needed(BriefFacts(adoption=0.4, trend_change=0.0, weeks_to_goal=None))
    assert "not rising" in stalled[0]
    on_track = decisions_needed(BriefFacts(adoption=0.8, trend_change=0.1, weeks_to_goal=0))
    assert on_track == []
    assert "90 %" in decisions_needed(BriefFacts(adoption=0.95, trend_change=0.0, weeks_to_goal=0))[0]


def test_the_brief_figures_on_a_hand_built_org(org, org_with_figures):
    brief = brief_for(org_with_figures)
    assert brief["people"] == 3
    assert brief["adoption"] == pytest.approx(0.5)
    assert brief["status"] == "below"
    assert [round(v, 3) for _, v in brief["trend"]] == [0.0, 0.333, 0.333, 0.333, 0.5]
    assert brief["trend_change"] == pytest.approx(0.5)
    assert brief["weeks_to_goal"] == 2
    assert brief["leading"]["answer_rate"] == pytest.approx(0.5)  # 5 of 10
    assert [t["name"] for t in brief["teams_behind"]] == ["Team B"]  # Team A sits at exactly 75 %
    assert {t["name"] for t in brief["managers_not_coaching"]} == {"Team A", "Team B"}
    assert [r["held"] for r in brief["sessions_behind"]] == [0, 0]
    assert [m["latest"] for m in brief["lagging"] if m["name"] == "Win rate"] == [22.0]
    risks = " | ".join(brief["risks"])
    assert "Team B: only 17% of 6 questions answered" in risks
    assert "3 week(s) since launch without a leadership review" in risks
    assert "Overdue follow-up: Call Team B's manager" in risks
    decisions = " | ".join(brief["decisions"])
    assert "2 manager(s) coach at under half" in decisions
    assert "2 manager(s) are behind on team reinforcement sessions" in decisions
    assert "1 follow-up(s)" in decisions and "3 weeks passed without a review" in decisions
    assert "not rising" not in decisions  # adoption is rising


def test_executives_read_the_brief_leads_record_and_managers_and_sellers_are_refused(client, org, launched):
    url = reverse("leadership:brief", args=[launched.pk])
    client.force_login(org.executive)
    page = client.get(url).content.decode()
    assert "Decisions needed" in page and "data-print" in page and "style=" not in page
    assert client.post(reverse("leadership:reviews", args=[launched.pk]), {}).status_code == 403
    future = (monday(timezone.localdate()) + timezone.timedelta(weeks=1)).isoformat()
    assert client.get(url, {"week": future}).status_code == 404
    assert client.get(url, {"week": "not-a-date"}).status_code == 404
    for user in (org.manager, org.seller):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_the_lead_records_a_review_meeting_with_follow_ups(client, org, launched):
    url = reverse("leadership:reviews", args=[launched.pk])
    client.force_login(org.lead)
    today = timezone.localdate()
    data = {
        "held_on": today.isoformat(),
        "attendees": "VP of Sales\nEnablement lead",
        "decisions": "Protect Friday mornings for coaching",
        "f-TOTAL_FORMS": 4,
        "f-INITIAL_FORMS": 0,
        "f-0-action": "Ask Team B for two call recordings",
        "f-0-owner": "Team B manager",
        "f-0-due_on": today.isoformat(),
        "f-1-action": "Half-filled follow-up",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "Who owns this follow-up?" in response.content.decode()
    assert not launched.review_meetings.exists()
    data["f-1-action"] = ""
    assert client.post(url, data).status_code == 302
    meeting = launched.review_meetings.get()
    assert meeting.attendee_list == ["VP of Sales", "Enablement lead"]
    [follow_up] = meeting.follow_ups.all()
    assert (follow_up.owner, follow_up.done) == ("Team B manager", False)
    client.post(reverse("leadership:follow_up_done", args=[follow_up.pk]))
    follow_up.refresh_from_db()
    assert follow_up.done
    future = dict(data, held_on=(today + timezone.timedelta(days=1)).isoformat())
    assert "once it has taken place" in client.post(url, future).content.decode()


def test_program_health_shows_weeks_without_a_review_as_a_risk(client, org, launched):
    client.force_login(org.lead)
    page = client.get(reverse("measurement:health", args=[launched.pk])).content.decode()
    assert "Weeks without a leadership review" in page
    assert 'text-bg-warning">4</span>' in page  # launched four weeks ago, never reviewed


def test_this_weeks_brief_reads_the_stored_dashboard_figures_when_there_are_some(org, org_with_figures):
    from reinforcement.measurement.services import snapshot_refresh

    live = brief_for(org_with_figures)
    snapshot_refresh(program=org_with_figures)
    stored = brief_for(org_with_figures)
    assert stored["adoption"] == live["adoption"] == pytest.approx(0.5)
    assert [t["name"] for t in stored["teams_behind"]] == ["Team B"]
    assert stored["trend"] == live["trend"] and stored["decisions"] == live["decisions"]
