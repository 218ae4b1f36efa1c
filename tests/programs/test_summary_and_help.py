"""The plan summary for the VP of Sales, the catalogue page and the 'how we recommend' page."""

import pytest
from django.urls import reverse

from programs.models import Metric, Skill
from programs.recommendations import RULES

pytestmark = pytest.mark.django_db


def test_the_summary_of_a_draft_lists_what_is_missing_as_open_risks(client, org, draft):
    client.force_login(org.executive)
    response = client.get(reverse("programs:summary", args=[draft.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Readiness: Pick the one or two metrics to move." in page
    assert "Participation is not decided yet." in page
    assert "programs_print.css" in page


def test_the_summary_shows_decisions_with_their_reasons_and_the_schedule(client, org, ready):
    client.force_login(org.lead)
    decide = reverse("programs:decide", args=[ready.pk, "rollout"])
    client.post(
        decide,
        {
            "choice": "pilot",
            "pilot_kind": "teams",
            "pilot_names": "DACH",
            "holdout_kind": "teams",
            "holdout_names": "ANZ",
            "rationale": "Evidence first.",
        },
    )
    page = client.get(reverse("programs:summary", args=[ready.pk])).content.decode()
    assert "Win rate" in page and "Qualifying" in page
    assert "Pilot first" in page
    assert "Evidence first." in page
    assert "Pilot: DACH; holdout: ANZ" in page
    assert "Buy-in: Only 0 touchpoint(s) before launch" in page


def test_the_help_page_renders_every_rule_and_highlights_a_programs_conditions(client, org, ready):
    client.force_login(org.manager)
    page = client.get(reverse("programs:how_we_recommend")).content.decode()
    for rule in RULES[:5]:
        assert rule.reason.capitalize()[:30] in page
    page = client.get(reverse("programs:how_we_recommend") + f"?program={ready.pk}").content.decode()
    assert "Conditions that hold for <strong>Ready program</strong>" in page


def test_a_lead_adds_a_metric_and_a_skill_to_the_catalogue(client, org):
    client.force_login(org.lead)
    url = reverse("programs:catalogue")
    client.post(
        url, {"metric-name": "Net retention", "metric-default_unit": "%", "metric-default_direction": "up"}
    )
    client.post(url, {"skill-name": "Storytelling", "skill-description": "Cases that stick"})
    assert Metric.objects.get(name="Net retention").is_builtin is False
    assert Skill.objects.filter(name="Storytelling").exists()


def test_a_duplicate_catalogue_name_is_refused_beside_the_field(client, org):
    client.force_login(org.lead)
    response = client.post(reverse("programs:catalogue"), {"skill-name": "  negotiating "})
    assert response.context["skill_form"].errors["name"] == [
        "The catalogue already has a skill with this name."
    ]
    assert Skill.objects.filter(name__iexact="negotiating").count() == 1


def test_the_builtin_catalogue_is_loaded_by_the_migration():
    assert {"Revenue", "Margin", "Win rate", "Portfolio mix", "Deal size", "Sales-cycle length"} <= set(
        Metric.objects.values_list("name", flat=True)
    )
    assert Skill.objects.filter(is_builtin=True).count() == 9


def test_a_decision_stays_in_the_summary_when_readiness_reopens(client, org, ready):
    client.force_login(org.lead)
    client.post(reverse("programs:decide", args=[ready.pk, "participant_mix"]), {"choice": "intact_teams"})
    ready.reinforcement_plan.delete()
    page = client.get(reverse("programs:summary", args=[ready.pk])).content.decode()
    assert "<strong>Intact sales teams</strong>" in page
    assert "Readiness: Choose the methods." in page
    assert "Participant mix is not decided yet." not in page
