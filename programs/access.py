"""Who may read and who may edit programs; one helper per object kind fetches and checks."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from rolloutplanner.roles import Role, role_of

from .selectors import program_queryset

READERS = (Role.LEAD, Role.MANAGER, Role.EXECUTIVE)
EDITORS = (Role.LEAD,)  # superusers count as leads (see rolloutplanner.roles.role_of)


def can_read(user):
    return role_of(user) in READERS


def can_edit(user):
    return role_of(user) in EDITORS


def program_for(user, pk, *, edit=False):
    """The program with its readiness answers loaded, or 403 for a role that may not see (or edit) it.

    Managers and executives read every program (plans are not scoped to teams); sellers and
    users without a role see no planning page at all.
    """
    if not (can_edit(user) if edit else can_read(user)):
        raise PermissionDenied
    return get_object_or_404(program_queryset(), pk=pk)
