"""Leases on outbox rows, shared by every outbox (review-question nudges and digests, weekly
leadership briefs).

An outbox model has `status` (a `Status` with PENDING, CLAIMED and FAILED), `lease_token`,
`lease_expires_at`, `attempts` and `last_error`. A dispatcher claims pending rows under a fresh
token and a lease; a worker sends only the rows still carrying that token; the reaper returns
rows whose lease ran out (the worker died) to pending and gives up on rows tried too often.
"""

import uuid
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F


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
