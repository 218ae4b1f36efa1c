"""Manager reinforcement kits: assembled from the program's own material, printable, scoped."""

import pytest
from django.urls import reverse

from reinforcement.leadership.kits import KitInput, kit_build

pytestmark = pytest.mark.django_db


def test_a_kit_has_three_discussion_questions_two_usage_prompts_and_a_role_play():
    kit = kit_build(
        KitInput(
            program="P",
            skill="Qualifying",
            metrics=(("Win rate", "20 → 25 %"),),
            questions=("Which sign shows a real budget?",),
            limiters=("Too eager to demo",),
            strengths=("Good rapport",),
            segment="Account executives",
        )
    )
    assert len(kit.discussion) == 3 and len(kit.usage_prompts) == 2
    assert "Which sign shows a real budget?" in kit.discussion[0]
    assert "Win rate" in kit.purpose  # no "why it matters": the purpose names the metric it moves
    assert "Too eager to demo" in kit.role_play.buyer_brief
    assert "Less of: Too eager to demo." in kit.look_for and "Keep: Good rapport." in kit.look_for
    assert "one of our account executives" in kit.role_play.seller_brief


def test_the_kit_page_is_built_from_the_programs_answers_and_prints(client, org, qualifying):
    client.force_login(org.manager)
    page = client.get(reverse("leadership:kit", args=[qualifying.pk])).content.decode()
    assert "qualifying early frees time for real ones." in page
    assert "Win rate (20 → 25 %)" in page
    assert "What tells you a deal has no budget behind it?" in page
    assert "Less of: Too eager." in page
    assert "data-print" in page and "Schedule a team session" in page
    assert "onclick" not in page and "style=" not in page


def test_kits_are_for_managers_of_the_programs_people_and_read_only_for_executives(client, org, qualifying):
    url = reverse("leadership:kit", args=[qualifying.pk])
    client.force_login(org.other_manager)  # Team B is not in the program
    assert client.get(url).status_code == 404
    assert qualifying.program.name not in client.get(reverse("leadership:kits")).content.decode()
    client.force_login(org.seller)
    assert client.get(url).status_code == 403
    client.force_login(org.executive)
    page = client.get(url)
    assert page.status_code == 200 and "Schedule a team session" not in page.content.decode()
    assert client.get(reverse("leadership:session_new", args=[qualifying.pk])).status_code == 403


def test_a_lead_with_no_program_is_told_where_kits_come_from(client, org):
    client.force_login(org.lead)
    page = client.get(reverse("leadership:kits")).content.decode()
    assert "No program with skills yet." in page
    assert "Money-making skills" in page and reverse("programs:list") in page
