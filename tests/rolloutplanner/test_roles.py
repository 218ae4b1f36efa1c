import pytest
from django.contrib.auth.models import Group

from rolloutplanner.roles import Role, assign_role, role_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_each_role_is_a_group(roles):
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.labels)


def test_lead_may_edit_the_org_chart(roles):
    lead = UserFactory(role=Role.LEAD)
    assert lead.has_perm("cohorts.change_person")
    assert lead.has_perm("cohorts.add_team")


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.MANAGER])
def test_executives_and_managers_read_the_org_chart_but_do_not_edit_it(roles, role):
    user = UserFactory(role=role)
    assert user.has_perm("cohorts.view_person")
    assert not user.has_perm("cohorts.change_person")
    assert not user.has_perm("cohorts.delete_person")


def test_seller_cannot_read_the_org_chart(roles):
    seller = UserFactory(role=Role.SELLER)
    assert not seller.has_perm("cohorts.view_person")


def test_executive_has_no_write_permission_at_all(roles):
    executive = UserFactory(role=Role.EXECUTIVE)
    perms = executive.get_all_permissions()
    assert perms
    assert all(".view_" in perm for perm in perms)


def test_the_broadest_role_wins(roles):
    user = UserFactory(role=Role.SELLER)
    user.groups.add(Group.objects.get(name=Role.MANAGER.label))
    assert role_of(user) == Role.MANAGER


def test_assign_role_replaces_the_previous_role(roles):
    user = UserFactory(role=Role.LEAD)
    assign_role(user, Role.SELLER)
    assert list(user.groups.values_list("name", flat=True)) == [Role.SELLER.label]
    assert role_of(user) == Role.SELLER


def test_superuser_counts_as_lead(roles):
    user = UserFactory(is_superuser=True)
    assert role_of(user) == Role.LEAD
