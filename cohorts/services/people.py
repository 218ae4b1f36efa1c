"""Who takes part: managers confirm suggestions, managers nominate, leads approve."""

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ..models import Cohort, CohortMember, Wave
from .planning import _enroll_in_cohort_sessions


def _free_cohort(program):
    """The earliest cohort (not holdout, not open) with a free place, else the last one; None if none."""
    cohorts = list(
        Cohort.objects.filter(program=program, is_open=False, is_leaders=False)
        .exclude(wave__kind=Wave.Kind.HOLDOUT)
        .select_related("wave")
        .annotate(size=Count("members", filter=Q(members__status=CohortMember.Status.CONFIRMED)))
        .order_by("wave__number", "sequence", "pk")
    )
    return next((c for c in cohorts if c.size < c.capacity), cohorts[-1] if cohorts else None)


@transaction.atomic
def membership_decide(*, member, confirm, user):
    """Confirm or decline a suggested or nominated person. A confirmed person without a cohort
    gets a place in the earliest cohort with room and a seat in its upcoming sessions."""
    member.status = CohortMember.Status.CONFIRMED if confirm else CohortMember.Status.DECLINED
    member.decided_by = user
    member.decided_at = timezone.now()
    if confirm and member.cohort_id is None:
        member.cohort = _free_cohort(member.program)
    member.save(update_fields=["status", "decided_by", "decided_at", "cohort"])
    if confirm and member.cohort_id:
        _enroll_in_cohort_sessions(member)
    return member


@transaction.atomic
def membership_nominate(*, program, person, user):
    """Put a person forward for a selected program; a lead approves (or declines) it later."""
    member, created = CohortMember.objects.get_or_create(
        program=program, person=person, defaults={"status": CohortMember.Status.NOMINATED}
    )
    if not created and member.status == CohortMember.Status.DECLINED:
        member.status = CohortMember.Status.NOMINATED
        member.decided_by, member.decided_at = None, None
        member.save(update_fields=["status", "decided_by", "decided_at"])
    return member
