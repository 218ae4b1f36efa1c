"""Logins from the org chart: default roles, the CSV role column, linking existing logins."""

import pytest
from django.contrib.auth import get_user_model

from cohorts.accounts.models import Account, RoleChange
from cohorts.accounts.services import (
    AccountError,
    accounts_provision,
    active_person_for_email,
    default_role_for,
    provision_account,
)
from cohorts.selectors import people_under
from cohorts.services.org_import import org_csv_apply, org_csv_validate
from rolloutplanner.roles import Role, role_of
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def reload(user):
    """A fresh copy: `role_of` caches the role on the instance it is given."""
    return type(user).objects.get(pk=user.pk)


def import_csv(text, by=None):
    rows, columns, errors = org_csv_validate(text.encode())
    assert errors == []
    return org_csv_apply(rows, columns, by=by)


def test_default_roles_follow_the_org_chart(org):
    assert default_role_for(org.people["vp"]) == Role.EXECUTIVE
    assert default_role_for(org.people["manager"]) == Role.MANAGER
    assert default_role_for(org.people["seller"]) == Role.SELLER
    director = PersonFactory(level="director")
    assert default_role_for(director) == Role.EXECUTIVE


def test_a_sales_manager_by_default_is_someone_whose_people_the_app_shows_them(org):
    """The default role and `people_under` (org_path) agree on who manages whom."""
    for person in org.people.values():
        is_manager = default_role_for(person) == Role.MANAGER
        if person.level not in ("executive", "director"):
            assert is_manager == people_under(person).filter(is_active=True).exists()


def test_a_manager_whose_only_report_left_is_a_seller_again(org):
    other = org.people["other_manager"]
    org.people["other_seller"].is_active = False
    org.people["other_seller"].save()
    assert default_role_for(other) == Role.SELLER


def test_a_new_login_uses_the_lower_case_email_and_has_no_password(roles):
    person = PersonFactory(email="Mixed.Case@Example.com")
    user = provision_account(person=person)
    assert user.username == "mixed.case@example.com"
    assert not user.has_usable_password()
    assert role_of(user) == Role.SELLER
    assert RoleChange.objects.get(user=user).to_role == Role.SELLER
    assert active_person_for_email("MIXED.case@example.com ") == person


def test_an_existing_login_with_that_email_is_linked_and_keeps_its_role(roles):
    lead = UserFactory(username="Pat@Example.com", role=Role.LEAD)
    person = PersonFactory(email="pat@example.com")
    user = provision_account(person=person)
    assert user == lead
    assert role_of(user) == Role.LEAD
    assert Account.objects.get(person=person).role_override == Role.LEAD
    assert get_user_model().objects.count() == 1


def test_an_inactive_person_gets_no_login(roles):
    person = PersonFactory(is_active=False)
    with pytest.raises(AccountError):
        provision_account(person=person)
    assert accounts_provision(people=[person]) == {}


def test_the_role_column_sets_a_role_that_sticks_and_empty_follows_the_org_chart(org):
    seller = org.people["seller"]
    header = "email,first_name,last_name,role\n"
    import_csv(
        header + f"{seller.email},{seller.first_name},{seller.last_name},Enablement lead\n", by=org.lead
    )
    assert role_of(reload(org.seller)) == Role.LEAD
    change = RoleChange.objects.get(person=seller)
    assert (change.source, change.changed_by, change.to_role) == ("import", org.lead, Role.LEAD)
    import_csv(header + f"{seller.email},{seller.first_name},{seller.last_name},\n")
    assert role_of(reload(org.seller)) == Role.SELLER


def test_a_role_set_before_the_login_exists_is_used_when_it_is_made(org):
    import_csv("email,first_name,last_name,role\nnew.exec@example.com,Nia,Obi,executive\n")
    person = active_person_for_email("new.exec@example.com")
    assert role_of(provision_account(person=person)) == Role.EXECUTIVE


def test_a_bad_role_is_reported_with_its_row_number_and_nothing_is_imported(roles):
    text = "email,first_name,last_name,role\na@example.com,A,A,seller\nb@example.com,B,B,boss\n"
    rows, columns, errors = org_csv_validate(text.encode())
    assert errors == [{"row": 3, "column": "role", "message": errors[0]["message"]}]
    assert "lead, manager, executive, seller" in errors[0]["message"]


def test_someone_who_gains_reports_in_an_import_becomes_a_sales_manager(org):
    seller = org.people["seller"]
    provision_account(person=seller)
    import_csv(
        "email,first_name,last_name,manager_email\n"
        f"{seller.email},{seller.first_name},{seller.last_name},{org.people['manager'].email}\n"
        f"new.rep@example.com,New,Rep,{seller.email}\n"
    )
    assert role_of(reload(org.seller)) == Role.MANAGER
    assert RoleChange.objects.get(person=seller).source == "import"


def test_the_export_carries_the_role_column_and_imports_back_unchanged(org):
    import csv
    import io

    from cohorts.accounts.services import account_role_set
    from cohorts.models import Person
    from cohorts.orgcsv import export_rows

    account_role_set(person=org.people["seller_b"], role=Role.LEAD, by=org.lead)
    out = io.StringIO()
    csv.writer(out).writerows(export_rows(Person.objects.order_by("email")))
    assert f"{org.people['seller_b'].email}," in out.getvalue() and ",lead\r\n" in out.getvalue()
    created, updated, unchanged = import_csv(out.getvalue())
    assert (created, updated) == (0, 0)


def test_a_login_linked_by_hand_keeps_its_role_through_an_import(org):
    """The demo and the test personas link logins directly; an import must not demote them."""
    lead_person = PersonFactory(email="enablement@example.com")
    lead_person.user = org.lead
    lead_person.save()
    import_csv(
        f"email,first_name,last_name\n{lead_person.email},{lead_person.first_name},{lead_person.last_name}\n"
    )
    assert role_of(reload(org.lead)) == Role.LEAD
    assert Account.objects.get(person=lead_person).role_override == Role.LEAD
