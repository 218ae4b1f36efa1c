"""Celery tasks: thin, idempotent, taking ids. Beat plans the weekly briefs on Monday morning and
drains the brief outbox every few minutes (which also picks up rows a dead worker held)."""

import logging
import time

from celery import shared_task
from django.conf import settings
from kombu.exceptions import OperationalError

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
    send = send or _enqueue
    if plan:
        outbox.briefs_plan()
    outbox.briefs_reap()
    started, handed = time.monotonic(), 0
    while time.monotonic() - started < max_seconds:
        token, ids = outbox.briefs_claim(limit=batch_size, lease_seconds=lease_seconds)
        if not ids:
            break
        try:
            send(ids, str(token))
        except OperationalError:
            outbox.briefs_release(lease_token=token)
            logger.warning("Broker unavailable; %s briefs go out on a later run", len(ids))
            return handed
        except Exception as exc:  # eager mode only: the task ran inline and failed
            outbox.briefs_record_failure(ids=ids, lease_token=str(token), error=exc)
            outbox.briefs_release(lease_token=token)
            logger.exception("Sending briefs failed; they go back to pending")
            return handed
        handed += len(ids)
    return handed


@shared_task(soft_time_limit=55, time_limit=70)
def plan_weekly_briefs():
    return dispatch(plan=True, lease_seconds=getattr(settings, "NUDGE_LEASE_SECONDS", 300))


@shared_task(soft_time_limit=55, time_limit=70)
def drain_brief_outbox():
    return dispatch(lease_seconds=getattr(settings, "NUDGE_LEASE_SECONDS", 300))


@shared_task(soft_time_limit=600, time_limit=660)
def refresh_fade_alarms():
    return fade_alarms_refresh()
