"""Periodic housekeeping that spans apps."""

from celery import shared_task

from .jobs import jobs_reap


@shared_task(time_limit=120, soft_time_limit=100)
def reap_stale_jobs():
    """Mark every job whose worker died as failed (rolloutplanner/jobs.py)."""
    return jobs_reap()
