"""Who may see or act on which people, for every reinforcement view.

Leads and executives see everyone; a manager sees the people under them in the org chart;
a seller sees only themselves. Out-of-scope objects answer 404, wrong roles 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from cohorts.models import Person
from cohorts.selectors import people_under, person_for_user
from rolloutplanner.roles import Role, role_of

from .models import ActionPlan, Card, CoachingSession


def visible_people(user):
    role = role_of(user)
    if role in (Role.LEAD, Role.EXECUTIVE):
        return Person.objects.all()
    person = person_for_user(user)
    if person is None:
        return Person.objects.none()
    if role == Role.MANAGER:
        return people_under(person)
    if role == Role.SELLER:
        return Person.objects.filter(pk=person.pk)
    return Person.objects.none()


def person_for_view(user, pk):
    return get_object_or_404(visible_people(user).select_related("team", "manager"), pk=pk)


def coaching_manager(user):
    """The manager's own Person; only managers log coaching."""
    if role_of(user) != Role.MANAGER:
        raise PermissionDenied
    person = person_for_user(user)
    if person is None:
        raise PermissionDenied
    return person


def seller_person(user):
    """The seller's own Person (sellers only)."""
    if role_of(user) != Role.SELLER:
        raise PermissionDenied
    person = person_for_user(user)
    if person is None:
        raise PermissionDenied
    return person


def own_card(user, pk):
    """A card of the signed-in seller; anyone else's card is a 404."""
    person = seller_person(user)
    return get_object_or_404(Card.objects.select_related("question__skill", "program"), pk=pk, person=person)


def coaching_session_for_view(user, pk):
    session = get_object_or_404(CoachingSession.objects.select_related("manager", "program"), pk=pk)
    role = role_of(user)
    if role in (Role.LEAD, Role.EXECUTIVE):
        return session
    me = person_for_user(user)
    if me is None:
        raise Http404
    if role == Role.MANAGER and (
        session.manager_id == me.pk or people_under(me).filter(pk=session.manager_id).exists()
    ):
        return session
    if role == Role.SELLER and session.sellers.filter(pk=me.pk).exists():
        return session
    raise Http404


def plan_for_observation(user, pk):
    """An action plan of someone under the signed-in manager."""
    manager = coaching_manager(user)
    plan = get_object_or_404(ActionPlan.objects.select_related("person", "skill"), pk=pk)
    if not people_under(manager).filter(pk=plan.person_id).exists():
        raise Http404
    return plan, manager
