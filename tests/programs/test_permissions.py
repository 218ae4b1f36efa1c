"""Leads edit programs; managers and executives read them; sellers see no planning page."""

import pytest
from django.urls import reverse

from programs.models import Program

pytestmark = pytest.mark.django_db

READ_PAGES = ["detail", "summary", "design"]
EDIT_PAGES = [
    "edit",
    "readiness_metrics",
    "readiness_skills",
    "readiness_gaps",
    "readiness_reinforcement",
    "buy_in",
]


def _urls(program, names):
    return [reverse(f"programs:{name}", args=[program.pk]) for name in names]


@pytest.mark.parametrize("persona", ["seller", "other_seller", "no_role"])
def test_sellers_and_people_without_a_role_get_403_on_every_planning_page(client, org, ready, persona):
    client.force_login(getattr(org, persona))
    urls = [reverse("programs:list"), reverse("programs:create"), reverse("programs:catalogue")]
    urls += [reverse("programs:how_we_recommend")]
    urls += _urls(ready, READ_PAGES + EDIT_PAGES)
    urls += [reverse("programs:decide", args=[ready.pk, "rollout"])]
    for url in urls:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("persona", ["manager", "executive"])
def test_managers_and_executives_read_the_plan(client, org, ready, persona):
    client.force_login(getattr(org, persona))
    for url in [
        reverse("programs:list"),
        reverse("programs:catalogue"),
        reverse("programs:how_we_recommend"),
    ]:
        assert client.get(url).status_code == 200, url
    for url in _urls(ready, READ_PAGES):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Ready program" in response.content.decode()


@pytest.mark.parametrize("persona", ["manager", "executive"])
def test_managers_and_executives_cannot_change_anything(client, org, ready, persona):
    client.force_login(getattr(org, persona))
    for url in [reverse("programs:create"), *_urls(ready, EDIT_PAGES)]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "Hijacked"}).status_code == 403, url
    decide = reverse("programs:decide", args=[ready.pk, "participation"])
    assert client.post(decide, {"choice": "optional", "rationale": "x"}).status_code == 403
    status = reverse("programs:status", args=[ready.pk])
    assert client.post(status, {"status": "ready"}).status_code == 403
    assert client.post(reverse("programs:catalogue"), {"skill-name": "Golf"}).status_code == 403
    ready.refresh_from_db()
    assert ready.name == "Ready program"
    assert ready.participation == ""
    assert ready.status == Program.Status.DRAFT


def test_readers_see_no_edit_buttons(client, org, ready):
    client.force_login(org.executive)
    page = client.get(reverse("programs:detail", args=[ready.pk])).content.decode()
    assert "Edit context" not in page
    assert reverse("programs:create") not in client.get(reverse("programs:list")).content.decode()


def test_a_superuser_edits_like_a_lead(client, org, ready):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("programs:edit", args=[ready.pk])).status_code == 200


def test_anonymous_visitors_are_sent_to_the_login(client, ready):
    response = client.get(reverse("programs:detail", args=[ready.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_program_is_404(client, org):
    client.force_login(org.lead)
    assert client.get(reverse("programs:detail", args=[9999])).status_code == 404


def test_the_nav_shows_programs_to_planning_roles_only(client, org):
    client.force_login(org.manager)
    assert reverse("programs:list") in client.get(reverse("home")).content.decode()
    client.force_login(org.seller)
    assert reverse("programs:list") not in client.get(reverse("home")).content.decode()
