"""Weekly briefs through a real Celery worker on PostgreSQL and Redis (never skipped in CI).

A worker that dies with a batch (its message gone with the broker) loses nothing: once the
lease runs out, the outbox drain hands the rows to a new worker, and each brief is sent once.
"""

import os
import time
import uuid

import pytest

from reinforcement.leadership.models import BriefDelivery
from reinforcement.leadership.services import briefs as outbox
from reinforcement.leadership.tasks import dispatch, send_briefs
from rolloutplanner.celery import app
from tests.reinforcement.workers import IN_CI, Worker, on_postgres

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.fixture(autouse=True)
def real_services_or_skip():
    if not IN_CI and (not REDIS_URL or not on_postgres()):
        pytest.skip("needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL); always runs in CI")


def sender(queue):
    def send(ids, token):
        with app.connection_for_write(REDIS_URL) as conn, conn.Producer() as producer:
            send_briefs.apply_async((ids, token), queue=queue, producer=producer, retry=False)

    return send


def brief_message_ids(mail_dir):
    ids = []
    for path in (mail_dir / "mail").glob("*.log"):
        ids += [
            line.split(":", 1)[1].strip()
            for line in path.read_text().splitlines()
            if line.startswith("Message-ID: <brief.")
        ]
    return ids


def test_a_lost_batch_is_sent_once_by_a_restarted_worker(org, launched, tmp_path):
    outbox.briefs_plan()
    # The first worker "dies": its batch goes to a queue nobody consumes, which is then dropped.
    dead_queue = f"rp-dead-{uuid.uuid4().hex[:8]}"
    assert dispatch(lease_seconds=2, send=sender(dead_queue)) == 2
    with app.connection_for_write(REDIS_URL) as conn:
        conn.default_channel.queue_purge(dead_queue)
    queue = f"rp-brief-{uuid.uuid4().hex[:8]}"
    worker = Worker(broker_url=REDIS_URL, queue=queue, mail_dir=tmp_path, name="brief").start()
    try:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            dispatch(lease_seconds=30, send=sender(queue), max_seconds=1)  # what beat does every few minutes
            if BriefDelivery.objects.filter(status=BriefDelivery.Status.SENT).count() == 2:
                break
            time.sleep(0.5)
        dispatch(send=sender(queue), max_seconds=1)
        time.sleep(1.0)
    finally:
        worker.stop()
    assert BriefDelivery.objects.filter(status=BriefDelivery.Status.SENT).count() == 2
    ids = brief_message_ids(tmp_path)
    assert len(ids) == 2 and len(set(ids)) == 2
