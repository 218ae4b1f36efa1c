"""Celery tasks: the periodic refresh of the dashboard snapshots (a thin wrapper)."""

import logging

from celery import shared_task

from .services import snapshots_refresh_all

logger = logging.getLogger(__name__)


@shared_task(soft_time_limit=20 * 60, time_limit=25 * 60)
def refresh_snapshots():
    count = snapshots_refresh_all()
    logger.info("Refreshed %s dashboard snapshot(s)", count)
    return count
