"""Celery tasks: thin wrappers that take ids and call a service."""

from celery import shared_task

from .invitations import invitation_job_run


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=29 * 60)
def send_invitations(job_id):
    """Send one invitation job (rows already written to are skipped on a re-run)."""
    invitation_job_run(job_id=job_id)
