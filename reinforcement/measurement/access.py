"""Who may see which dashboard scope.

Leads and executives see every scope of every program. A manager sees their own part of the
org: the teams they or their reports manage and the managers under them (other scopes answer
404, the org and region views 403). Sellers and users without a role see no dashboard (403);
their own progress page lives in the reinforcement app.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cohorts.models import Person
from cohorts.selectors import person_for_user
from rolloutplanner.roles import Role, role_of

from .selectors import Scope

READERS = (Role.LEAD, Role.EXECUTIVE, Role.MANAGER)
ORG_READERS = (Role.LEAD, Role.EXECUTIVE)


def _under(manager, person):
    return person.pk == manager.pk or person.org_path.startswith(manager.org_path)


def scope_for(user, *, program, region=None, team=None, manager=None):
    """The Scope the user asked for, or PermissionDenied / Http404."""
    role = role_of(user)
    if role not in READERS:
        raise PermissionDenied
    if role in ORG_READERS:
        if team is not None:
            return Scope(program, "team", team=team, region=team.region)
        if manager is not None:
            return Scope(program, "manager", manager=manager, region=manager.region)
        if region is not None:
            return Scope(program, "region", region=region)
        return Scope(program)
    me = person_for_user(user)
    if me is None:
        raise PermissionDenied
    if region is not None:
        raise PermissionDenied
    if team is not None:
        if team.manager is None or not _under(me, team.manager):
            raise Http404
        return Scope(program, "team", team=team)
    if manager is not None:
        if not _under(me, manager):
            raise Http404
        return Scope(program, "manager", manager=manager)
    return Scope(program, "manager", manager=me)


def can_read_org(user):
    return role_of(user) in ORG_READERS


def can_refresh(user):
    return role_of(user) == Role.LEAD


def can_import(user):
    return role_of(user) == Role.LEAD or user.has_perm("measurement.add_metricactual")


def health_reader(user):
    if role_of(user) not in ORG_READERS:
        raise PermissionDenied


def seller_visible(user, person_id):
    """Whether the user may open a seller's row (used for drill links)."""
    role = role_of(user)
    if role in ORG_READERS:
        return True
    me = person_for_user(user)
    person = Person.objects.filter(pk=person_id).only("org_path").first()
    return bool(me and person and role == Role.MANAGER and _under(me, person))
