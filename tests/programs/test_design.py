"""The readiness gate on the design pages, and recording decisions with recommendations."""

import pytest
from django.urls import reverse

from programs.models import DesignDecision, Program, ProgramChange
from programs.recommendations import recommend
from programs.selectors import program_queryset

pytestmark = pytest.mark.django_db

DESIGN_URLS = [
    ("programs:design", ()),
    ("programs:decide", ("participation",)),
    ("programs:decide", ("rollout",)),
    ("programs:decide", ("participant_mix",)),
    ("programs:buy_in", ()),
]


@pytest.fixture
def lead_client(client, org):
    client.force_login(org.lead)
    return client


def _top(program, kind):
    return recommend(program_queryset().get(pk=program.pk))[kind].top.option


@pytest.mark.parametrize(("name", "extra"), DESIGN_URLS)
def test_design_pages_refuse_get_and_post_until_readiness_is_complete(lead_client, draft, name, extra):
    url = reverse(name, args=[draft.pk, *extra])
    for response in (
        lead_client.get(url),
        lead_client.post(url, {"choice": "mandatory", "why_message": "x"}),
    ):
        assert response.status_code == 403
        page = response.content.decode()
        assert "locked until readiness is complete" in page
        assert "Pick the one or two metrics to move." in page
    draft.refresh_from_db()
    assert draft.participation == ""
    assert not DesignDecision.objects.exists()


def test_the_gate_names_only_what_is_still_missing(lead_client, ready):
    ready.reinforcement_plan.delete()
    response = lead_client.get(reverse("programs:design", args=[ready.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "3 of 4 are complete" in page
    assert "Name who owns reinforcement." in page
    assert "Pick the one or two metrics" not in page


def test_the_service_refuses_a_decision_while_the_gate_is_closed(org, draft):
    from django.core.exceptions import ValidationError

    from programs.services import design_decision_record

    with pytest.raises(ValidationError, match="readiness"):
        design_decision_record(
            program=draft, user=org.lead, kind="participation", values={"participation": "optional"}
        )


def test_the_design_page_shows_three_ranked_recommendations_with_reasons(lead_client, ready):
    response = lead_client.get(reverse("programs:design", args=[ready.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for label in ("Participation", "Rollout", "Participant mix"):
        assert label in page
    assert page.count("ranks first") == 3
    assert "results tie directly to each team&#x27;s own accounts" in page


def test_accepting_the_recommendation_needs_no_rationale(lead_client, org, ready):
    top = _top(ready, "participant_mix")
    url = reverse("programs:decide", args=[ready.pk, "participant_mix"])
    response = lead_client.post(url, {"choice": top})
    assert response.status_code == 302
    ready.refresh_from_db()
    assert ready.participant_mix == top
    decision = DesignDecision.objects.get(program=ready, kind="participant_mix")
    assert not decision.is_override
    assert decision.decided_by == org.lead
    assert "ranks first" in decision.recommendation_summary
    assert "accepted the recommendation" in ProgramChange.objects.get(program=ready).summary


def test_an_override_without_a_rationale_is_refused_beside_the_field(lead_client, ready):
    top = _top(ready, "participation")
    other = next(v for v in Program.Participation.values if v != top)
    url = reverse("programs:decide", args=[ready.pk, "participation"])
    response = lead_client.post(url, {"choice": other, "criteria_note": "Nominated by directors"})
    assert response.status_code == 200
    assert "say why" in response.context["form"].errors["rationale"][0]
    ready.refresh_from_db()
    assert ready.participation == ""


def test_an_override_with_a_rationale_is_recorded_and_shown(lead_client, ready):
    url = reverse("programs:decide", args=[ready.pk, "participation"])
    top = _top(ready, "participation")
    assert top != Program.Participation.SELECTED
    data = {
        "choice": "selected",
        "criteria_note": "Directors nominate two reps per team",
        "rationale": "Budget covers only forty seats this year.",
    }
    assert lead_client.post(url, data).status_code == 302
    ready.refresh_from_db()
    assert ready.participation == "selected"
    assert ready.participation_criteria == {"note": "Directors nominate two reps per team"}
    decision = DesignDecision.objects.get(program=ready, kind="participation")
    assert decision.is_override
    assert decision.recommended == top
    assert decision.rationale == "Budget covers only forty seats this year."
    page = lead_client.get(reverse("programs:design", args=[ready.pk])).content.decode()
    assert "overrides the recommendation" in page
    assert "Budget covers only forty seats this year." in page


def test_suggested_participation_needs_criteria_and_keeps_them_as_names(lead_client, ready):
    url = reverse("programs:decide", args=[ready.pk, "participation"])
    base = {"choice": "suggested", "rationale": "Targeted at two regions"}
    response = lead_client.post(url, base)
    assert "who qualifies" in response.context["form"].errors["criteria_note"][0]
    lead_client.post(url, {**base, "criteria_regions": "EMEA, APAC\nemea", "criteria_levels": ["individual"]})
    ready.refresh_from_db()
    assert ready.participation_criteria == {"regions": ["EMEA", "APAC"], "levels": ["individual"]}


def test_a_pilot_needs_a_pilot_group_and_a_holdout_apart_from_it(lead_client, ready):
    url = reverse("programs:decide", args=[ready.pk, "rollout"])
    base = {"choice": "pilot", "rationale": "Prove it first", "pilot_kind": "teams", "holdout_kind": "teams"}
    errors = lead_client.post(url, base).context["form"].errors
    assert errors["pilot_names"] == ["Name who is in the pilot."]
    errors = (
        lead_client.post(url, {**base, "pilot_names": "DACH", "holdout_names": "dach"}).context["form"].errors
    )
    assert errors["holdout_names"] == ["The holdout cannot include the pilot group."]
    data = {**base, "pilot_names": "Enterprise East, DACH", "holdout_names": "Enterprise West"}
    assert lead_client.post(url, data).status_code == 302
    ready.refresh_from_db()
    assert ready.rollout == "pilot"
    assert ready.pilot_scope == {"teams": ["Enterprise East", "DACH"]}
    assert ready.holdout_scope == {"teams": ["Enterprise West"]}


def test_switching_from_pilot_to_waves_clears_the_pilot_scope(lead_client, ready):
    url = reverse("programs:decide", args=[ready.pk, "rollout"])
    pilot = {"choice": "pilot", "rationale": "r", "pilot_kind": "teams", "holdout_kind": "teams"}
    lead_client.post(url, {**pilot, "pilot_names": "DACH", "holdout_names": "ANZ"})
    waves = {"choice": "by_group", "rationale": "r", "pilot_kind": "teams", "holdout_kind": "teams"}
    response = lead_client.post(url, {**waves, "group_kind": "account_group", "wave_names": "Healthcare"})
    assert response.context["form"].errors["wave_names"] == ["List at least two waves, in order."]
    lead_client.post(url, {**waves, "group_kind": "account_group", "wave_names": "Healthcare\nPublic sector"})
    ready.refresh_from_db()
    assert ready.rollout == "by_group"
    assert ready.rollout_group_kind == "account_group"
    assert ready.wave_order == ["Healthcare", "Public sector"]
    assert ready.pilot_scope == {} and ready.holdout_scope == {}


def test_an_unknown_decision_kind_is_not_found(lead_client, ready):
    assert lead_client.get(reverse("programs:decide", args=[ready.pk, "budget"])).status_code == 404


def test_a_pilot_without_a_named_holdout_leaves_the_matching_to_cohort_planning(lead_client, ready):
    url = reverse("programs:decide", args=[ready.pk, "rollout"])
    data = {
        "choice": "pilot",
        "rationale": "r",
        "pilot_kind": "regions",
        "pilot_names": "EMEA",
        "holdout_kind": "teams",
    }
    assert lead_client.post(url, data).status_code == 302
    ready.refresh_from_db()
    assert ready.pilot_scope == {"regions": ["EMEA"]}
    assert ready.holdout_scope == {}
    page = lead_client.get(reverse("programs:summary", args=[ready.pk])).content.decode()
    assert "holdout: comparable people matched when cohorts are built" in page


def test_a_decision_is_flagged_when_the_answers_later_change_the_recommendation(lead_client, ready):
    top = _top(ready, "participant_mix")
    lead_client.post(reverse("programs:decide", args=[ready.pk, "participant_mix"]), {"choice": top})
    page = lead_client.get(reverse("programs:design", args=[ready.pk])).content.decode()
    assert "The answers changed since this was decided" not in page
    # As if the answers had pointed elsewhere when the lead decided.
    other = next(v for v in Program.ParticipantMix.values if v != top)
    DesignDecision.objects.filter(program=ready, kind="participant_mix").update(recommended=other)
    page = lead_client.get(reverse("programs:design", args=[ready.pk])).content.decode()
    assert "The answers changed since this was decided" in page
    summary = lead_client.get(reverse("programs:summary", args=[ready.pk])).content.decode()
    assert "Participant mix: the recommendation changed to" in summary


def test_mandatory_participation_keeps_its_audience_scope(lead_client, ready):
    url = reverse("programs:decide", args=[ready.pk, "participation"])
    data = {"choice": "mandatory", "rationale": "Everyone in these teams", "criteria_teams": "DACH, ANZ"}
    assert lead_client.post(url, data).status_code == 302
    ready.refresh_from_db()
    assert ready.participation_criteria == {"teams": ["DACH", "ANZ"]}
    page = lead_client.get(reverse("programs:summary", args=[ready.pk])).content.decode()
    assert "In scope: Teams: DACH, ANZ." in page
