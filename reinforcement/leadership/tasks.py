"""Celery tasks: thin, idempotent, taking ids. Beat plans the weekly briefs on Monday morning and
drains the brief outbox every few minutes (which also picks up rows a dead worker held)."""

import logging

from celery import shared_task
from django.conf import settings

from rolloutplanner.outbox import lease_dispatch

from .services import briefs as outbox
from .services.fade import fade_alarms_refresh

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=10,
    max_retries=5,
    soft_time_limit=240,
    time_limit=300,
)
def send_briefs(ids, lease_token):
    """Deliver a batch of claimed brief rows (safe to run more than once)."""
    return outbox.briefs_deliver(ids=ids, lease_token=lease_token)


def _enqueue(ids, lease_token):
    send_briefs.delay(ids, lease_token)


def dispatch(*, plan=False, batch_size=50, max_seconds=50, lease_seconds=None, send=None):
    """Optionally plan this week's rows, reap lost leases, then claim and hand on batches.

    Stops when nothing is pending, after `max_seconds`, or when the broker refuses a task
    (the claimed rows go back to pending for a later run). Returns how many ids were handed on.
    """
    if plan:
        outbox.briefs_plan()
    outbox.briefs_reap()
    return lease_dispatch(
        claim=lambda limit: outbox.briefs_claim(limit=limit, lease_seconds=lease_seconds),
        send=send or _enqueue,
        release=outbox.briefs_release,
        record_failure=lambda ids, token, error: outbox.briefs_record_failure(
            ids=ids, lease_token=token, error=error
        ),
        batch_size=batch_size,
        max_seconds=max_seconds,
        noun="briefs",
    )


@shared_task(soft_time_limit=55, time_limit=70)
def plan_weekly_briefs():
    return dispatch(plan=True, lease_seconds=getattr(settings, "NUDGE_LEASE_SECONDS", 300))


@shared_task(soft_time_limit=55, time_limit=70)
def drain_brief_outbox():
    return dispatch(lease_seconds=getattr(settings, "NUDGE_LEASE_SECONDS", 300))


@shared_task(soft_time_limit=600, time_limit=660)
def refresh_fade_alarms():
    return fade_alarms_refresh()
