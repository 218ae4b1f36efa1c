"""Celery tasks of the practice app: thin, idempotent, bounded."""

from celery import shared_task

from . import services
from .points import points_refresh


@shared_task(soft_time_limit=600, time_limit=660)
def refresh_points(program_ids=None):
    """Bring the points ledger up to date (safe to run any number of times)."""
    return points_refresh(program_ids=program_ids)


@shared_task(soft_time_limit=120, time_limit=180)
def expire_uploads():
    """Discard recordings whose upload nobody resumed for a day."""
    return services.uploads_expire()
