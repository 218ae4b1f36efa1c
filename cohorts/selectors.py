"""Reads of the org chart that several pages share."""

from django.db.models import Min
from django.utils import timezone

from .models import Cohort, CohortMember, Enrollment, Person, Wave


def person_for_user(user):
    """The Person linked to a login, or None."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).select_related("team", "location", "region", "account").first()


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


class Violations(list):
    """The problems found, plus how many manager–report pairs both train in the program
    (`pairs`): none means no manager is in scope, so there is no order to check."""

    pairs = 0


def plan_violations(program):
    """Where a manager is not trained before their report (or with them, when the design allows).

    Compares the first session of each person's cohort when both cohorts are scheduled,
    else the cohorts' places in the plan (wave, then order in the wave). Returns a list of
    dicts with `manager`, `report` (Person), `manager_cohort`, `report_cohort` and `reason`,
    ordered by the report's place in the plan. Three queries whatever the size of the plan.
    """
    with_reps = program.managers_with_reps
    cohorts = {
        c.pk: c
        for c in Cohort.objects.filter(program=program)
        .select_related("wave")
        .annotate(first_start=Min("sessions__starts_at"))
    }
    placed = dict(
        CohortMember.objects.filter(
            program=program, status=CohortMember.Status.CONFIRMED, cohort__isnull=False
        ).values_list("person_id", "cohort_id")
    )
    # One scan of the manager links beats two IN lists of every member on a large org.
    links = Person.objects.filter(manager_id__isnull=False).values_list("pk", "manager_id")
    pairs = [
        (pk, manager_id)
        for pk, manager_id in links.iterator(chunk_size=20000)
        if pk in placed and manager_id in placed
    ]
    found = []
    for report_id, manager_id in pairs:
        mine, theirs = cohorts[placed[report_id]], cohorts[placed[manager_id]]
        if theirs.pk == mine.pk:
            if with_reps:
                continue
            reason = "trains in the same cohort as their report; the design has managers go first"
        elif mine.first_start and theirs.first_start:
            if theirs.first_start < mine.first_start or (
                with_reps and theirs.first_start == mine.first_start
            ):
                continue
            reason = "is scheduled after their report"
        else:
            if theirs.order_key < mine.order_key:
                continue
            reason = "is planned in a later cohort than their report"
        found.append((mine.order_key, report_id, manager_id, mine, theirs, reason))
    found.sort(key=lambda row: (row[0], row[1]))
    ordered = sorted(cohorts.values(), key=lambda c: c.order_key)
    people = Person.objects.in_bulk({row[1] for row in found} | {row[2] for row in found})
    result = Violations(
        {
            "report": people[report_id],
            "manager": people[manager_id],
            "report_cohort": mine,
            "manager_cohort": theirs,
            "reason": reason,
            "fix_cohort": _fix_for(ordered, mine, with_reps),
        }
        for _, report_id, manager_id, mine, theirs, reason in found
    )
    result.pairs = len(pairs)
    return result


def _fix_for(ordered_cohorts, report_cohort, with_reps):
    """Where the manager could go to train first: the managers' cohort of the report's wave,
    else the latest cohort before the report's (the report's own when training together is allowed)."""
    if with_reps:
        return report_cohort
    earlier = [c for c in ordered_cohorts if c.order_key < report_cohort.order_key]
    leaders = [c for c in earlier if c.is_leaders and c.wave_id == report_cohort.wave_id]
    if leaders:
        return leaders[-1]
    return earlier[-1] if earlier else None


def upcoming_enrollments(person, *, limit=5):
    """The person's next seats (enrolled or waitlisted), soonest first, sessions loaded."""
    return (
        Enrollment.objects.filter(person=person, session__ends_at__gte=timezone.now())
        .exclude(status=Enrollment.Status.CANCELLED)
        .select_related("session__cohort__program", "session__location")
        .order_by("session__starts_at")[:limit]
    )
