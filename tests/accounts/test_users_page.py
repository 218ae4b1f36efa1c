"""The users & roles page: leads only; role changes are recorded; the list stays cheap."""

import pytest
from django.urls import reverse

from cohorts.accounts.models import InvitationJob, RoleChange
from cohorts.accounts.services import account_role_set, provision_account
from rolloutplanner.roles import Role, role_of
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def reload(user):
    """A fresh copy: `role_of` caches the role on the instance it is given."""
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("persona", ["seller", "manager", "executive"])
def test_only_leads_reach_the_users_page(client, org, persona):
    client.force_login(getattr(org, persona))
    assert client.get(reverse("accounts:users")).status_code == 403
    assert client.get(reverse("accounts:person", args=[org.people["seller"].pk])).status_code == 403
    assert client.get(reverse("accounts:invite")).status_code == 403
    job = InvitationJob.objects.create(scope=InvitationJob.Scope.EVERYONE)
    assert client.get(reverse("accounts:job", args=[job.pk])).status_code == 403
    assert client.post(reverse("accounts:invite"), {"scope": "everyone"}).status_code == 403
    assert (
        client.post(reverse("accounts:invite_selected"), {"people": [org.people["seller"].pk]}).status_code
        == 403
    )
    assert InvitationJob.objects.count() == 1


def test_a_seller_cannot_reach_the_users_page(client, org):
    client.force_login(org.seller)
    assert client.get(reverse("accounts:users")).status_code == 403


def test_a_manager_cannot_change_roles(client, org):
    client.force_login(org.manager)
    seller = org.people["seller"]
    response = client.post(reverse("accounts:role_set", args=[seller.pk]), {"role": Role.LEAD})
    assert response.status_code == 403
    assert role_of(reload(org.seller)) == Role.SELLER
    assert not RoleChange.objects.exists()


@pytest.mark.parametrize("action", ["deactivate", "reactivate", "invitation_send", "invitation_revoke"])
def test_a_manager_cannot_act_on_accounts(client, org, action):
    client.force_login(org.manager)
    assert client.post(reverse(f"accounts:{action}", args=[org.people["seller"].pk])).status_code == 403
    org.people["seller"].refresh_from_db()
    assert org.people["seller"].is_active


def test_a_lead_changes_a_role_and_the_change_is_recorded(client, org):
    client.force_login(org.lead)
    seller = org.people["seller"]
    response = client.post(reverse("accounts:role_set", args=[seller.pk]), {"role": Role.LEAD}, follow=True)
    assert "Role of" in response.content.decode()
    assert role_of(reload(org.seller)) == Role.LEAD
    change = RoleChange.objects.get()
    assert (change.person, change.changed_by, change.from_role, change.to_role) == (
        seller,
        org.lead,
        Role.SELLER,
        Role.LEAD,
    )
    page = client.get(reverse("accounts:person", args=[seller.pk])).content.decode()
    assert "Role history" in page and "Enablement lead" in page


def test_following_the_org_chart_again_restores_the_default_role(org):
    seller = org.people["seller"]
    account_role_set(person=seller, role=Role.EXECUTIVE, by=org.lead)
    account_role_set(person=seller, role=None, by=org.lead)
    assert role_of(reload(org.seller)) == Role.SELLER
    assert list(RoleChange.objects.order_by("id").values_list("to_role", flat=True)) == [
        Role.EXECUTIVE,
        Role.SELLER,
    ]


def test_a_lead_cannot_change_their_own_role(client, org):
    me = PersonFactory(email="lead@example.com")
    me.user = org.lead
    me.save()
    client.force_login(org.lead)
    client.post(reverse("accounts:role_set", args=[me.pk]), {"role": Role.SELLER})
    assert role_of(reload(org.lead)) == Role.LEAD


def test_the_users_page_searches_and_filters_by_state(client, org):
    PersonFactory(first_name="Zelda", last_name="Quist", email="zelda@example.com")
    client.force_login(org.lead)
    body = client.get(reverse("accounts:users"), {"q": "zelda"}).content.decode()
    assert "Zelda Quist" in body and org.people["seller"].full_name not in body
    body = client.get(reverse("accounts:users"), {"state": "no_login"}).content.decode()
    assert "Zelda Quist" in body and org.people["seller"].full_name not in body


def get_with_flat_queries(client, org, assert_max_queries, url, *, at_most):
    """GET `url` as the lead with at most `at_most` queries, add 30 people (half with a login),
    and GET it again with no more queries than the first time; returns the second response."""
    client.force_login(org.lead)
    with assert_max_queries(at_most) as few:
        client.get(url)
    for n in range(30):
        person = PersonFactory(manager=org.people["manager"], team=org.teams["a"])
        if n % 2:
            provision_account(person=person)
    with assert_max_queries(len(few.captured_queries)):
        return client.get(url)


def test_the_users_page_needs_the_same_queries_for_many_people(client, org, django_assert_max_num_queries):
    response = get_with_flat_queries(
        client, org, django_assert_max_num_queries, reverse("accounts:users"), at_most=12
    )
    assert response.status_code == 200


def test_the_people_list_shows_account_state_with_a_flat_query_count(
    client, org, django_assert_max_num_queries
):
    response = get_with_flat_queries(
        client, org, django_assert_max_num_queries, reverse("cohorts:people"), at_most=20
    )
    body = response.content.decode()
    assert "No login" in body and "Never signed in" in body
    filtered = client.get(reverse("cohorts:people"), {"account": "no_login"}).content.decode()
    assert org.people["seller"].full_name not in filtered


def test_logins_outside_the_org_chart_are_listed_with_their_role(client, org):
    client.force_login(org.lead)
    page = client.get(reverse("accounts:users")).content.decode()
    rows = page.split('aria-label="Logins outside the org chart"')[1].split("</table>")[0]
    assert "<td>lead</td>" in rows and "Enablement lead" in rows
    assert "<td>seller</td>" not in rows and "<td>nobody</td>" in rows


def test_the_org_chart_entry_links_leads_to_the_account_page(client, org):
    seller = org.people["seller"]
    account_url = reverse("accounts:person", args=[seller.pk])
    client.force_login(org.lead)
    assert account_url in client.get(reverse("cohorts:person", args=[seller.pk])).content.decode()
    client.force_login(org.manager)
    assert account_url not in client.get(reverse("cohorts:person", args=[seller.pk])).content.decode()


@pytest.mark.parametrize(
    ("people", "message"),
    [([], "Tick at least one person"), (["9" * 30], "not valid"), (["abc"], "not valid")],
)
def test_inviting_a_bad_selection_says_why_and_starts_no_job(client, org, people, message):
    client.force_login(org.lead)
    response = client.post(reverse("accounts:invite_selected"), {"people": people}, follow=True)
    assert message in response.content.decode()
    assert not InvitationJob.objects.exists()


def test_on_an_empty_org_chart_it_points_to_the_import_not_to_filters(client, roles):
    client.force_login(UserFactory(username="lead@acme.example", role=Role.LEAD))
    response = client.get(reverse("accounts:users"))
    assert response.status_code == 200
    assert "Nobody is in the org chart yet" in response.text
    assert reverse("cohorts:import") in response.text
    assert "Nobody matches these filters" not in response.text


def test_with_people_but_no_match_it_says_the_filters_match_nobody(client, org):
    client.force_login(org.lead)
    response = client.get(reverse("accounts:users"), {"q": "zzz-nobody"})
    assert "Nobody matches these filters" in response.text
    assert "Nobody is in the org chart yet" not in response.text


def test_people_without_a_login_show_the_role_they_will_get(client, org):
    """The org chart's role, or the one set by hand, instead of a dash."""
    manager = PersonFactory(level="manager")
    PersonFactory(manager=manager)
    picked = PersonFactory()
    account_role_set(person=picked, role=Role.EXECUTIVE, by=org.lead)
    client.force_login(org.lead)
    rows = {p.pk: p.role for p in client.get(reverse("accounts:users")).context["page"]}
    assert rows[manager.pk] == Role.MANAGER
    assert rows[picked.pk] == Role.EXECUTIVE
    assert rows[org.people["seller"].pk] == Role.SELLER


def test_the_users_pages_keep_the_filters(client, org, monkeypatch):
    monkeypatch.setattr("cohorts.accounts.views.USERS_PER_PAGE", 1)
    client.force_login(org.lead)
    response = client.get(reverse("accounts:users"), {"role": Role.SELLER})
    page = response.content.decode()
    pages = response.context["page"].paginator.num_pages
    assert pages >= 2 and response.context["page"].number == 1
    assert f"Page 1 of {pages}" in page
    assert "Previous" not in page
    assert f'href="?role={Role.SELLER}&page=2">Next' in page
    response = client.get(reverse("accounts:users"), {"role": Role.SELLER, "page": 2})
    assert f'href="?role={Role.SELLER}&page=1">Previous' in response.content.decode()
