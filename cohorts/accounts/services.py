"""Writes about logins: linking a User to a Person of the org chart, with a role.

This module is the contract between the account pages, the org-chart import and single
sign-on; each of them creates logins only through `provision_account`.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from cohorts.models import Person
from rolloutplanner.roles import Role, assign_role, role_of


def default_role_for(person: Person) -> Role:
    """The role the org chart implies: executives and directors are executives, people with
    reports are sales managers, everyone else a seller."""
    if person.level in (Person.Level.EXECUTIVE, Person.Level.DIRECTOR):
        return Role.EXECUTIVE
    if person.direct_reports.exists():
        return Role.MANAGER
    return Role.SELLER


def active_person_for_email(email: str) -> Person | None:
    """The active person whose e-mail matches, ignoring case; None if there is none."""
    return Person.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()


@transaction.atomic
def provision_account(*, person: Person, role: Role | None = None):
    """Return the person's login, creating it (username = e-mail, lower case, no usable
    password) when there is none. A role given here replaces the current one; a new login
    without one gets the org chart's default role."""
    User = get_user_model()
    user = person.user
    if user is None:
        email = person.email.strip().lower()
        user = User.objects.filter(username__iexact=email).first()
        if user is None:
            user = User(username=email, email=email, first_name=person.first_name, last_name=person.last_name)
            user.set_unusable_password()
            user.save()
        person.user = user
        person.save(update_fields=["user"])
    if role is not None or role_of(user) is None:
        assign_role(user, role or default_role_for(person))
    return user
