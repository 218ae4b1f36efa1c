"""Who may see or act on what in leadership follow-through; one helper per object kind.

Leads and executives read every kit, session, brief and alarm (leads also record review
meetings); a manager sees kits of programs their people are in, runs sessions for the people
under them and sees alarms of their own teams; sellers see only recognitions addressed to them.
Wrong roles answer 403, objects out of a manager's reach 404.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from cohorts.models import Person, Team
from cohorts.selectors import people_in_scope, people_under, person_for_user
from programs.models import Program, ProgramSkill
from rolloutplanner.roles import Role, role_of

from .models import TeamSession

READERS = (Role.LEAD, Role.EXECUTIVE)
KIT_READERS = (Role.LEAD, Role.EXECUTIVE, Role.MANAGER)
RECOGNISERS = (Role.LEAD, Role.EXECUTIVE, Role.MANAGER)


def require(user, roles):
    if role_of(user) not in roles:
        raise PermissionDenied


def manager_person(user):
    """The signed-in manager's own Person (managers only)."""
    if role_of(user) != Role.MANAGER:
        raise PermissionDenied
    me = person_for_user(user)
    if me is None or not me.org_path:
        raise PermissionDenied
    return me


def manager_reaches_program(manager, program):
    return (
        people_in_scope(program).filter(org_path__startswith=manager.org_path).exclude(pk=manager.pk).exists()
    )


def kit_for(user, pk):
    """A program skill whose kit the user may read."""
    require(user, KIT_READERS)
    ps = get_object_or_404(ProgramSkill.objects.select_related("program", "skill"), pk=pk)
    if role_of(user) == Role.MANAGER and not manager_reaches_program(manager_person(user), ps.program):
        raise Http404
    return ps


def team_session_for(user, pk, *, edit=False):
    """A team session: its manager edits; managers above read; leads and executives read."""
    require(user, KIT_READERS)
    session = get_object_or_404(
        TeamSession.objects.select_related("program", "program_skill__skill", "manager"), pk=pk
    )
    if role_of(user) == Role.MANAGER:
        me = manager_person(user)
        if session.manager_id != me.pk and not people_under(me).filter(pk=session.manager_id).exists():
            raise Http404
        if edit and session.manager_id != me.pk:
            raise PermissionDenied
    elif edit:
        raise PermissionDenied
    return session


def program_reader(user, pk):
    """A program for its brief and reviews: leads and executives."""
    require(user, READERS)
    return get_object_or_404(Program, pk=pk)


def recognition_target(user, *, person_id=None, team_id=None):
    """(person, team) the user may recognise: leads and executives anyone; a manager the people
    under them and the teams managed by them or their reports."""
    require(user, RECOGNISERS)
    manager = manager_person(user) if role_of(user) == Role.MANAGER else None
    if person_id:
        people = Person.objects.filter(level=Person.Level.INDIVIDUAL)
        if manager is not None:
            people = people & people_under(manager)
        return get_object_or_404(people.select_related("team"), pk=person_id), None
    if team_id:
        teams = Team.objects.all()
        if manager is not None:
            teams = teams.filter(manager__org_path__startswith=manager.org_path)
        return None, get_object_or_404(teams, pk=team_id)
    raise Http404
