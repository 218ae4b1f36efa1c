"""Leases on outbox rows, shared by every outbox (review-question nudges and digests, weekly
leadership briefs).

An outbox model has `status` (a `Status` with PENDING, CLAIMED and FAILED), `lease_token`,
`lease_expires_at`, `attempts` and `last_error`. A dispatcher claims pending rows under a fresh
token and a lease; a worker sends only the rows still carrying that token; the reaper returns
rows whose lease ran out (the worker died) to pending and gives up on rows tried too often.
"""

import logging
import time
import uuid
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def lease_claim(due, *, now, limit, lease_seconds):
    """Claim up to `limit` rows of `due` (pending rows, in sending order) under a fresh lease;
    returns (token, ids).

    PostgreSQL skips rows another dispatcher has locked; elsewhere a conditional UPDATE on
    status does the same job, and only rows carrying our token count as ours.
    """
    model = due.model
    token = uuid.uuid4()
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            ids = list(due.select_for_update(skip_locked=True).values_list("id", flat=True)[:limit])
        else:
            ids = list(due.values_list("id", flat=True)[:limit])
        if not ids:
            return token, []
        model.objects.filter(id__in=ids, status=model.Status.PENDING).update(
            status=model.Status.CLAIMED,
            lease_token=token,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
            attempts=F("attempts") + 1,
        )
        ids = list(model.objects.filter(lease_token=token).values_list("id", flat=True))
    return token, ids


def lease_reap(model, *, now, max_attempts):
    """Return claims whose lease ran out to pending; fail rows tried `max_attempts` times.
    Returns (returned, failed)."""
    expired = model.objects.filter(status=model.Status.CLAIMED, lease_expires_at__lt=now)
    failed = expired.filter(attempts__gte=max_attempts).update(
        status=model.Status.FAILED, last_error=f"Gave up after {max_attempts} attempts."
    )
    returned = expired.update(status=model.Status.PENDING, lease_token=None, lease_expires_at=None)
    return returned, failed


def lease_dispatch(
    *, claim, send, release, record_failure, batch_size, max_seconds, chunk_size=None, noun="rows"
):
    """Claim batches with `claim(limit)` and hand each chunk on with `send(ids, token)`; returns
    how many ids were handed on.

    Stops when nothing is pending, after `max_seconds`, or when the broker refuses a task (the
    claim is released at once for a later run). Any other error can only come from eager mode,
    where the task ran inline: it is recorded with `record_failure(ids, token, error)` and the
    claim released.
    """
    started, handed = time.monotonic(), 0
    while time.monotonic() - started < max_seconds:
        token, ids = claim(batch_size)
        if not ids:
            break
        step = chunk_size or len(ids)
        for start in range(0, len(ids), step):
            chunk = ids[start : start + step]
            try:
                send(chunk, str(token))
            except OperationalError:
                released = release(lease_token=token)
                logger.warning("Broker unavailable; released %s claimed %s for a later run", released, noun)
                return handed
            except Exception as exc:
                record_failure(chunk, str(token), exc)
                release(lease_token=token)
                logger.exception("Sending %s failed; they go back to pending", noun)
                return handed
            handed += len(chunk)
    return handed
