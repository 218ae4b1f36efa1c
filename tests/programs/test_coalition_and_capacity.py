"""The change coalition (stakeholders, support over time, next steps) and the capacity-for-change
check that feeds the rollout recommendations."""

import pytest
from django.urls import reverse

from programs.models import DesignDecision, Program, Stakeholder
from programs.recommendations import Snapshot, capacity_for_change, rank

pytestmark = pytest.mark.django_db
Kind = DesignDecision.Kind


def test_capacity_for_change_from_the_three_answers():
    assert capacity_for_change(5, 4, 2) == "low"  # strain (5 + 4 + 4) / 3 = 4.3
    assert capacity_for_change(4, 4, 3) == "low"  # exactly 11 / 3
    assert capacity_for_change(1, 2, 5) == "high"
    assert capacity_for_change(3, 3, 3) == "medium"
    assert capacity_for_change(3, None, 3) is None


def test_low_capacity_favours_a_pilot_and_says_so():
    neutral = rank(Kind.ROLLOUT, Snapshot(manager_coaching_capacity=4))
    assert neutral.top.option != Program.Rollout.PILOT
    low = rank(Kind.ROLLOUT, Snapshot(manager_coaching_capacity=4, capacity="low"))
    assert low.top.option == Program.Rollout.PILOT
    assert "little capacity for change" in low.summary
    top_down = next(r for r in low.ranked if r.option == Program.Rollout.TOP_DOWN)
    assert "capacity_low" in [r.fact for r in top_down.cons]


def test_the_capacity_check_is_saved_on_the_readiness_page_and_moves_the_recommendation(client, org, ready):
    client.force_login(org.lead)
    url = reverse("programs:readiness_reinforcement", args=[ready.pk])
    page = client.get(url).content.decode()
    assert "Capacity for change" in page
    data = {
        "methods": ["manager_coaching"],
        "coaching_cadence": "fortnightly",
        "owner": "Directors",
        "leading_indicators": "Coaching sessions held",
        "lagging_indicators": "Win rate",
        "capacity_recent_changes": "5",
        "capacity_competing_initiatives": "4",
        "capacity_manager_bandwidth": "1",
    }
    assert client.post(url, data).status_code == 302
    ready.refresh_from_db()
    assert (ready.capacity_recent_changes, ready.capacity_manager_bandwidth) == (5, 1)
    assert ready.changes.filter(summary="Capacity for change checked").exists()
    assert 'id="capacity-level"' in client.get(url).content.decode()
    design = client.get(reverse("programs:design", args=[ready.pk])).content.decode()
    assert "little capacity for change" in design


def test_the_lead_builds_the_coalition_and_tracks_support_over_time(client, org, ready):
    url = reverse("programs:coalition", args=[ready.pk])
    client.force_login(org.lead)
    response = client.post(url, {"action": "add", "name": "", "kind": "skeptic", "level": 2})
    assert "This field is required." in response.content.decode()
    client.post(
        url,
        {"action": "add", "name": "Dana Reyes", "role": "RVP West", "kind": "skeptic", "level": 2,
         "next_step": "Show her the pilot numbers", "next_step_due": "2027-01-15"},
    )  # fmt: skip
    dana = Stakeholder.objects.get(name="Dana Reyes")
    client.post(
        url, {"action": "check", "stakeholder": dana.pk, "level": 4, "note": "Convinced by the pilot"}
    )
    assert [c.level for c in dana.support_checks.all()] == [4, 2]  # newest first
    dana.refresh_from_db()
    assert dana.next_step == "Show her the pilot numbers"  # kept when no new step is given
    page = client.get(url).content.decode()
    assert "Supportive" in page and "Convinced by the pilot" in page and "bi-arrow-up" in page
    client.force_login(org.executive)
    assert "Dana Reyes" in client.get(url).content.decode()
    assert client.post(url, {"action": "check", "stakeholder": dana.pk, "level": 1}).status_code == 403
    client.force_login(org.seller)
    assert client.get(url).status_code == 403
    assert dana.support_checks.count() == 2


def test_the_plan_summary_lists_the_expectations(client, org, ready):
    from programs.models import Expectation

    Expectation.objects.create(
        program=ready,
        audience="managers",
        expected="A team session every two weeks",
        indicator="team_sessions",
        target_percent=80,
        recognition="Named in the monthly call",
    )
    client.force_login(org.executive)
    page = client.get(reverse("programs:summary", args=[ready.pk])).content.decode()
    assert "A team session every two weeks (team reinforcement sessions held, target 80 %)" in page
