"""The person picker's search: a short list from the server, only people the user may see."""

import pytest
from django.urls import reverse

from reinforcement.models import AssessmentResult
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
URL = reverse("cohorts:people_search")


def test_search_returns_at_most_twenty_matches_on_every_word(client, org):
    PersonFactory.create_batch(25, first_name="Ann", team=org.teams["a"])
    target = PersonFactory(first_name="Ann", last_name="Zyxwy", team=org.teams["a"])
    client.force_login(org.lead)
    assert len(client.get(URL, {"q": "ann"}).json()["results"]) == 20
    [found] = client.get(URL, {"q": "an zyx"}).json()["results"]
    assert (found["id"], found["name"]) == (target.pk, "Ann Zyxwy") and "Team A" in found["detail"]
    assert client.get(URL, {"q": "a"}).json() == {"results": []}  # one letter: no search yet


def test_search_narrows_to_levels(client, org):
    client.force_login(org.lead)
    names = {
        r["name"]
        for r in client.get(URL, {"q": org.people["manager"].last_name, "level": "manager"}).json()["results"]
    }
    assert names == {org.people["manager"].full_name}
    result = client.get(URL, {"q": org.people["seller"].last_name, "level": "manager"}).json()["results"]
    assert org.people["seller"].full_name not in {r["name"] for r in result}


def test_managers_find_only_their_people_and_sellers_are_refused_in_json(client, org):
    client.force_login(org.manager)
    mine, other = org.people["seller"], org.people["other_seller"]
    assert mine.full_name in {r["name"] for r in client.get(URL, {"q": mine.last_name}).json()["results"]}
    assert other.full_name not in {
        r["name"] for r in client.get(URL, {"q": other.last_name}).json()["results"]
    }
    client.force_login(org.seller)
    response = client.get(URL, {"q": "an"})
    assert response.status_code == 403 and "error" in response.json()


def test_search_costs_the_same_queries_whatever_the_org_size(client, org, django_assert_max_num_queries):
    PersonFactory.create_batch(40, first_name="Bea", team=org.teams["b"])
    client.force_login(org.lead)
    with django_assert_max_num_queries(6):  # session, user, role, then one search
        client.get(URL, {"q": "bea"})


def test_the_assessment_form_takes_the_picked_person_or_an_email_and_refuses_a_name(
    client, org, make_program
):
    from programs.models import ProgramSkill, Skill

    program = make_program()
    skill = ProgramSkill.objects.create(
        program=program, skill=Skill.objects.get_or_create(name="Qualifying")[0]
    )
    client.force_login(org.lead)
    url = reverse("reinforcement:assessments", args=[program.pk])
    page = client.get(url).content.decode()
    assert "data-person-picker" in page and '<select name="person"' not in page
    data = {"program_skill": skill.pk, "kind": "pre", "score": 55, "taken_on": "2026-11-02"}
    response = client.post(url, {**data, "person": "", "person_search": "Some Body"})
    assert response.status_code == 200 and "Pick a person from the list" in response.content.decode()
    assert client.post(url, {**data, "person": org.people["seller"].pk}).status_code == 302
    assert client.post(url, {**data, "person_search": org.people["seller_b"].email}).status_code == 302
    assert set(AssessmentResult.objects.values_list("person_id", flat=True)) == {
        org.people["seller"].pk,
        org.people["seller_b"].pk,
    }
