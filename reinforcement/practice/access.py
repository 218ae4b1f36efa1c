"""Who may see and review which practice attempts.

A seller sees their own attempts, and those of sellers they are assigned to review (in the
program of the assignment); a manager sees the attempts of the people under them; leads and
executives see all. Anything else is a 404, so ids reveal nothing.
"""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from cohorts.selectors import people_under, person_for_user
from reinforcement.models import SkillStage
from rolloutplanner.roles import Role, role_of

from .models import Attempt, ReviewerAssignment

REVIEWER_STAGES = ("apply", "master")


def is_manager_of(manager, person):
    """True when `person` sits under `manager` in the org chart (directly or further down)."""
    return (
        manager is not None
        and person.pk != manager.pk
        and bool(manager.org_path)
        and (person.org_path or "").startswith(manager.org_path)
    )


def assigned_reviewer(reviewer, attempt):
    """True when `reviewer` is assigned to the attempt's seller in the attempt's program."""
    return ReviewerAssignment.objects.filter(
        reviewer=reviewer, seller_id=attempt.person_id, program_id=attempt.program_id
    ).exists()


def attempts_visible(user):
    role = role_of(user)
    qs = Attempt.objects.exclude(status=Attempt.Status.UPLOADING)
    if role in (Role.LEAD, Role.EXECUTIVE):
        return qs
    me = person_for_user(user)
    if me is None:
        return qs.none()
    if role == Role.MANAGER:
        return qs.filter(person__in=people_under(me))
    if role == Role.SELLER:
        assigned = ReviewerAssignment.objects.filter(
            reviewer=me, seller=OuterRef("person"), program=OuterRef("program")
        )
        return qs.filter(Q(person=me) | Exists(assigned))
    return qs.none()


def attempt_for_view(user, pk):
    return get_object_or_404(
        attempts_visible(user).select_related(
            "scenario__skill", "person__team", "person__manager", "program"
        ),
        pk=pk,
    )


def review_role(user, attempt):
    """(reviewer Person, by_manager) when `user` may score `attempt`, else None.

    The seller's manager (anyone above them) reviews as a manager; an assigned peer reviews
    when they are at Apply or Master on the scenario's skill in the attempt's program (a stage
    reached in another program is that program's evidence). Nobody reviews themselves.
    """
    role = role_of(user)
    me = person_for_user(user)
    if me is None or me.pk == attempt.person_id or attempt.status == Attempt.Status.UPLOADING:
        return None
    if role == Role.MANAGER and is_manager_of(me, attempt.person):
        return me, True
    if role in (Role.SELLER, Role.MANAGER) and assigned_reviewer(me, attempt):
        ready = SkillStage.objects.filter(
            person=me,
            program_skill__program_id=attempt.program_id,
            program_skill__skill_id=attempt.scenario.skill_id,
            stage__in=REVIEWER_STAGES,
        ).exists()
        if ready:
            return me, False
    return None


def own_person(user):
    """The signed-in person, or a 404 for logins without one."""
    me = person_for_user(user)
    if me is None:
        raise Http404
    return me
