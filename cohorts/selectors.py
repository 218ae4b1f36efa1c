"""Reads of the org chart that several pages share."""

from .models import CohortMember, Enrollment, Person, Wave


def person_for_user(user):
    """The Person linked to a login, or None."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).select_related("team", "location", "region").first()


def people_under(manager):
    """Everyone who reports to `manager`, directly or through others (not the manager)."""
    return Person.objects.filter(org_path__startswith=manager.org_path).exclude(pk=manager.pk)


def people_in_scope(program):
    """Everyone confirmed for `program` (placed in a cohort or not yet), holdout included.

    This is the program's audience: suggestions still waiting for a manager, nominations
    waiting for approval and declined people are not in scope.
    """
    return Person.objects.filter(
        memberships__program=program, memberships__status=CohortMember.Status.CONFIRMED
    )


def holdout_people(program):
    """In-scope people in the program's holdout wave (not trained until the pilot is evaluated)."""
    return people_in_scope(program).filter(memberships__cohort__wave__kind=Wave.Kind.HOLDOUT)


def attendance_for(program):
    """Enrollments of `program` with their attendance, one row per person and session.

    Each row has `person_id`, `session_id`, `session__starts_at` and `attendance`
    (an `Enrollment.Attendance` value); cancelled seats are left out.
    """
    return (
        Enrollment.objects.filter(session__cohort__program=program)
        .exclude(status=Enrollment.Status.CANCELLED)
        .values("person_id", "session_id", "session__starts_at", "attendance")
        .order_by("session__starts_at", "person_id")
    )


def trained_people(program):
    """In-scope people who attended at least one of the program's sessions (the Learn evidence)."""
    return (
        people_in_scope(program)
        .filter(
            enrollments__session__cohort__program=program,
            enrollments__attendance=Enrollment.Attendance.ATTENDED,
        )
        .distinct()
    )
