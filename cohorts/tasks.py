"""Celery tasks: thin wrappers that take ids and call a service."""

from celery import shared_task

from .services.org_import import org_import_run


@shared_task(acks_late=True, time_limit=20 * 60, soft_time_limit=19 * 60)
def import_org_chart(job_id):
    org_import_run(job_id=job_id)
