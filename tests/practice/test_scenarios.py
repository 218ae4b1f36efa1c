"""The scenario library: the starter set, leads edit, sellers see their skills' scenarios."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from programs.catalogue import BUILTIN_SKILLS
from reinforcement.practice.models import Scenario
from reinforcement.practice.starter import STARTER_SCENARIOS

pytestmark = pytest.mark.django_db

RUBRIC = (
    "Opening | Product first | Generic | Relevant | Peer result | Outcome and question\n"
    "Close | None | Vague | Dated | Owned | Buyer-led"
)


def test_every_built_in_skill_has_a_starter_scenario_with_a_five_level_rubric():
    assert set(STARTER_SCENARIOS) == set(BUILTIN_SKILLS)
    for data in STARTER_SCENARIOS.values():
        assert data["rubric"] and all(len(c["levels"]) == 5 for c in data["rubric"])


def test_the_migration_loads_the_starter_set_on_a_fresh_database_and_the_command_adds_nothing_twice():
    assert Scenario.objects.filter(is_starter=True).count() == len(STARTER_SCENARIOS)
    Scenario.objects.filter(skill__name="Negotiating").delete()
    out = StringIO()
    call_command("load_starter_scenarios", stdout=out)
    assert out.getvalue().startswith("1 starter")
    call_command("load_starter_scenarios", stdout=out)
    assert Scenario.objects.filter(is_starter=True).count() == len(STARTER_SCENARIOS)


def post_scenario(client, skill, **changes):
    """Post the new-scenario form: a complete "Budget freeze" scenario, with `changes`."""
    data = {
        "skill": skill.pk,
        "title": "Budget freeze",
        "situation": "The buyer says budgets are frozen.",
        "buyer_role": "CFO",
        "objections": "No budget",
        "what_good_looks_like": "Finds the cost of waiting.",
        "rubric_text": RUBRIC,
        "is_active": "on",
    }
    return client.post(reverse("practice:scenario_new"), {**data, **changes})


def test_a_lead_adds_a_scenario_with_a_rubric(client, org, program_skills):
    client.force_login(org.lead)
    response = post_scenario(client, program_skills[0].skill)
    scenario = Scenario.objects.get(title="Budget freeze")
    assert response.status_code == 302
    assert [c["criterion"] for c in scenario.rubric] == ["Opening", "Close"]
    assert scenario.rubric[0]["levels"][4] == "Outcome and question"


def test_a_bad_rubric_line_is_named_beside_the_field_and_nothing_is_saved(client, org, program_skills):
    client.force_login(org.lead)
    response = post_scenario(
        client, program_skills[0].skill, rubric_text="Opening | a | b | c | d | e\nClose | only two"
    )
    assert response.status_code == 200
    assert "Line 2: write the criterion" in response.content.decode()
    assert not Scenario.objects.filter(title="Budget freeze").exists()


@pytest.mark.parametrize("who", ["manager", "seller", "executive"])
def test_only_leads_edit_the_library(client, org, who):
    client.force_login(getattr(org, who))
    assert client.get(reverse("practice:scenario_new")).status_code == 403


def test_a_seller_sees_only_the_scenarios_of_skills_they_are_trained_on(client, org, enrolled, scenarios):
    client.force_login(org.seller)
    page = client.get(reverse("practice:index")).content.decode()
    assert scenarios[0].title in page and scenarios[1].title in page
    other = (
        Scenario.objects.filter(is_starter=True)
        .exclude(skill__name__in=["Qualifying", "Negotiating"])
        .first()
    )
    assert other.title not in page
    assert client.get(reverse("practice:scenario", args=[other.pk])).status_code == 404


def test_a_seller_in_no_program_is_told_where_scenarios_come_from_on_the_home_page(client, org):
    client.force_login(org.seller)
    page = client.get(reverse("home")).content.decode()
    assert "No role-play scenario for you yet" in page
    assert "0 role-play scenarios" not in page


def test_an_enrolled_seller_sees_the_scenario_count_on_the_home_page(client, org, enrolled, scenarios):
    client.force_login(org.seller)
    page = client.get(reverse("home")).content.decode()
    assert "role-play scenarios for your skills" in page
    assert "No role-play scenario for you yet" not in page
