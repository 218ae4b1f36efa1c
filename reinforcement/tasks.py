"""Celery tasks: thin wrappers that move ids and call the services.

Beat runs `dispatch_due_nudges` every minute; it plans, claims due rows in batches and
hands their ids to `send_nudges`. Only `send_nudges` is idempotent, so only it runs with
`acks_late` and `reject_on_worker_lost` (a killed worker's batch is redelivered).
Nothing is ever scheduled ahead with ETA/countdown: due times live in the database.
"""

import logging
import socket

from celery import shared_task
from django.conf import settings

from rolloutplanner.outbox import lease_dispatch

from .services import fitting, rescheduling, stages
from .services import nudges as outbox

logger = logging.getLogger(__name__)
WORKER = socket.gethostname()


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=120,
    time_limit=180,
)
def send_nudges(nudge_ids, lease_token):
    """Deliver a batch of claimed nudges (safe to run more than once)."""
    return outbox.nudges_deliver(nudge_ids=nudge_ids, lease_token=lease_token, worker=WORKER)


def _enqueue(nudge_ids, lease_token):
    send_nudges.delay(nudge_ids, lease_token)


def dispatch(*, batch_size=500, chunk_size=100, max_seconds=50, lease_seconds=None, plan=True, send=None):
    """Plan, then claim due nudges batch by batch and enqueue them in chunks.

    Stops when nothing is due, after `max_seconds`, or when the broker refuses a task (the
    claimed rows are released at once and go out on a later run). `send(ids, token)`
    enqueues one chunk (default: `send_nudges.delay`). Returns how many ids were handed on.
    """
    if plan:
        outbox.nudges_plan()
    return lease_dispatch(
        claim=lambda limit: outbox.nudges_claim(limit=limit, lease_seconds=lease_seconds),
        send=send or _enqueue,
        release=outbox.nudges_release,
        record_failure=lambda ids, token, error: outbox.nudges_record_failure(
            nudge_ids=ids, lease_token=token, error=error
        ),
        batch_size=batch_size,
        chunk_size=chunk_size,
        max_seconds=max_seconds,
        noun="nudges",
    )


@shared_task(soft_time_limit=55, time_limit=70)
def dispatch_due_nudges():
    return dispatch(lease_seconds=getattr(settings, "NUDGE_LEASE_SECONDS", 300))


@shared_task(soft_time_limit=55, time_limit=70)
def reap_nudge_leases():
    returned, failed = outbox.nudges_reap()
    return {"returned": returned, "failed": failed}


@shared_task(soft_time_limit=300, time_limit=360)
def plan_manager_digests():
    return outbox.digests_plan()


@shared_task(soft_time_limit=1800, time_limit=2000)
def recompute_stages(program_id=None):
    """Nightly: every stage. With `program_id`: that program's, after a lead saved its rules
    (a redelivery, or a task overtaken by a later recompute, does nothing)."""
    if program_id is not None:
        return stages.stages_recompute_program(program_id=program_id)
    return stages.stages_recompute_nightly()


@shared_task(soft_time_limit=1800, time_limit=2000)
def fit_spacing_policies():
    """Fit each launched program's spacing policy from its review logs (idempotent per program:
    a program without new reviews since its last fit is skipped). One failure never stops the rest."""
    fitted = failed = 0
    for program in fitting.programs_to_fit():
        try:
            row = fitting.program_spacing_fit(program=program)
        except Exception:
            failed += 1
            logger.exception(
                "Fitting the spacing policy of program %s failed; it keeps its policy", program.pk
            )
            continue
        fitted += bool(row and row.fitted_at)
    return {"fitted": fitted, "failed": failed}


@shared_task(acks_late=True, soft_time_limit=29 * 60, time_limit=30 * 60)
def reschedule_cards(job_id):
    """Reschedule a program's answered cards under its current policy (a job already claimed,
    finished or superseded is left alone, so a redelivery does nothing)."""
    rescheduling.reschedule_job_run(job_id=job_id)
