"""Per-program spacing policies: fit them from the program's review logs, go back to the
defaults. A change of policy starts a job that reschedules the program's cards from their
history in the background (`services.rescheduling`).

The fitting itself is `reinforcement.spacing.fitted` (FSRS weights with fsrs-rs); this module
only feeds it the program's histories and stores what it returns.
"""

import logging

from django.db import transaction
from django.utils import timezone

from programs.models import Program

from .. import spacing
from ..models import ProgramSpacing, ReinforcementRules, RescheduleJob, ReviewLog
from ..scheduling import policy_from
from .rescheduling import policy_changed, program_histories

logger = logging.getLogger(__name__)


def programs_to_fit():
    """Launched programs with enough review logs and fitting not switched off by the lead."""
    return (
        Program.objects.filter(status=Program.Status.LAUNCHED)
        .exclude(spacing__fitting_enabled=False)
        .filter(pk__in=ReviewLog.objects.values("card__program_id"))
        .order_by("pk")
    )


def program_spacing_fit(*, program, now=None):
    """Fit `program`'s policy from its review logs; when it changes, start the job that
    reschedules its cards (queued once this commits).

    Idempotent: nothing is done while no review was logged since the last run, or when the
    lead went back to the defaults. With too little data (`spacing.fitted` returns the base
    policy) the stored policy stays. Returns the ProgramSpacing row, or None when there is none.
    """
    now = now or timezone.now()
    current = ProgramSpacing.objects.filter(program=program).first()
    if current is not None and not current.fitting_enabled:
        return current
    count = ReviewLog.objects.filter(card__program=program).count()
    if count < spacing.MIN_REVIEWS_TO_FIT or (current is not None and current.review_count == count):
        return current
    rules = ReinforcementRules.for_program(program)
    base = policy_from(current.params if current else {}, rules)
    histories = program_histories(program)
    policy = spacing.fitted(histories.values(), base=base)
    with transaction.atomic():
        row, _ = ProgramSpacing.objects.select_for_update().get_or_create(program=program)
        row.review_count = count
        if policy == base or not policy.params.get("fit"):
            row.save(update_fields=["review_count", "updated_at"])
            logger.info("spacing: %s keeps its policy (%s reviews, nothing to fit)", program.pk, count)
            return row
        row.params = policy.params
        row.fitted_at = now
        row.save()
        job = policy_changed(row=row, trigger=RescheduleJob.Trigger.FIT)
        program.spacing = row
    logger.info("spacing: fitted %s on %s reviews; rescheduling job %s started", program.pk, count, job.pk)
    return row


@transaction.atomic
def program_spacing_reset(*, program, user=None):
    """Go back to the default policy and stop fitting until the lead turns it on again.
    Returns the job that reschedules the cards (queued once this commits)."""
    row, _ = ProgramSpacing.objects.select_for_update().get_or_create(program=program)
    row.params, row.fitted_at, row.review_count, row.fitting_enabled = {}, None, 0, False
    row.save()
    program.spacing = row
    return policy_changed(row=row, trigger=RescheduleJob.Trigger.DEFAULTS, user=user)


@transaction.atomic
def program_spacing_resume(*, program):
    """Let the periodic task fit the program's policy again (at its next run)."""
    row, _ = ProgramSpacing.objects.select_for_update().get_or_create(program=program)
    row.fitting_enabled, row.review_count = True, 0
    row.save(update_fields=["fitting_enabled", "review_count", "updated_at"])
    return row
