"""Who sees which people, cohorts and sessions. One helper per object kind fetches and checks.

Leads see and change everything; executives read everything; managers see the people under
them (their `org_path` subtree) and act only on those; sellers see their own sessions.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from programs.models import Program
from rolloutplanner.roles import Role, role_of

from .models import Cohort, CohortMember, Enrollment, Person, Session
from .selectors import person_for_user

PLAN_READERS = (Role.LEAD, Role.EXECUTIVE)
ORG_READERS = (Role.LEAD, Role.EXECUTIVE, Role.MANAGER)


def require_role(user, roles):
    if role_of(user) not in roles:
        raise PermissionDenied


def people_visible_to(user):
    """People the user may look up in the org chart (managers: themselves and everyone under them)."""
    role = role_of(user)
    if role in PLAN_READERS:
        return Person.objects.all()
    if role == Role.MANAGER:
        me = person_for_user(user)
        if me is None or not me.org_path:
            return Person.objects.none()
        return Person.objects.filter(org_path__startswith=me.org_path)
    raise PermissionDenied


def person_for(user, pk):
    return get_object_or_404(
        people_visible_to(user).select_related("manager", "team", "location", "region"), pk=pk
    )


def program_for(user, pk, *, edit=False):
    """A program for its plan pages: leads may edit, executives read; others get 403."""
    require_role(user, (Role.LEAD,) if edit else PLAN_READERS)
    return get_object_or_404(Program, pk=pk)


def cohort_for(user, pk, *, edit=False):
    require_role(user, (Role.LEAD,) if edit else PLAN_READERS)
    return get_object_or_404(Cohort.objects.select_related("program", "wave"), pk=pk)


def can_mark_attendance(user, session):
    return role_of(user) == Role.LEAD or (session.trainer_id is not None and session.trainer_id == user.pk)


def session_for(user, pk, *, edit=False):
    """A session: leads edit; executives and the session's trainer read (and the trainer marks)."""
    session = get_object_or_404(
        Session.objects.select_related("cohort__program", "cohort__wave", "location", "trainer"), pk=pk
    )
    role = role_of(user)
    if role == Role.LEAD:
        return session
    if edit or not (role == Role.EXECUTIVE or session.trainer_id == user.pk):
        raise PermissionDenied
    return session


def enrollment_for_marking(user, pk):
    enrollment = get_object_or_404(
        Enrollment.objects.select_related("session__cohort__program", "person"), pk=pk
    )
    if not can_mark_attendance(user, enrollment.session):
        raise PermissionDenied
    return enrollment


def manager_person(user):
    """The Person of a manager's login; 403 for other roles or a manager without a person."""
    require_role(user, (Role.MANAGER,))
    me = person_for_user(user)
    if me is None or not me.org_path:
        raise PermissionDenied
    return me


def member_for_decision(user, pk):
    """A membership the user may decide on: a manager for people under them (suggestions),
    a lead for anyone (nominations and suggestions). Others get 403, unknown rows 404."""
    member = get_object_or_404(CohortMember.objects.select_related("person", "program"), pk=pk)
    role = role_of(user)
    if role == Role.LEAD:
        return member
    me = manager_person(user)
    if member.person_id == me.pk or not member.person.org_path.startswith(me.org_path):
        raise PermissionDenied
    return member
