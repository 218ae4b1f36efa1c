"""Celery tasks: thin wrappers that take ids and call a service."""

from celery import shared_task

from .services.org_import import org_import_run_safely
from .services.sessions import invitations_send


@shared_task(acks_late=True, time_limit=20 * 60, soft_time_limit=19 * 60)
def import_org_chart(job_id):
    org_import_run_safely(job_id=job_id)


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=29 * 60)
def send_program_invitations(program_id):
    """Invite everyone of a program not invited yet (rows are claimed, so a re-run never resends)."""
    invitations_send(program_id=program_id)
