"""Nudges through real Celery workers, real Redis and PostgreSQL (never skipped in CI).

Locally, on SQLite or without REDIS_URL, these skip; CI (CI=true) runs them on PostgreSQL
with Redis and fails if either is missing.
"""

import os
import time
import uuid

import pytest
from django.db.models import Count

from reinforcement.models import Delivery, Nudge
from reinforcement.services import nudges as outbox
from reinforcement.tasks import dispatch
from rolloutplanner.celery import app

from .workers import IN_CI, ThrowawayRedis, Worker, due_nudges, message_ids, on_postgres, sender

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.fixture(autouse=True)
def real_services_or_skip():
    if not IN_CI and (not REDIS_URL or not on_postgres()):
        pytest.skip("needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL); always runs in CI")
    assert on_postgres(), "worker tests run on PostgreSQL"


def wait_until(condition, timeout, step=0.2, tick=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if tick:
            tick()
        if condition():
            return True
        time.sleep(step)
    return False


def delivered(channel=Delivery.Channel.EMAIL):
    return Delivery.objects.filter(channel=channel).count()


def assert_exactly_once(total):
    per_nudge = Delivery.objects.values("nudge_id", "channel").annotate(n=Count("id")).filter(n__gt=1)
    assert not per_nudge.exists(), "a nudge was recorded as delivered twice on one channel"
    assert delivered(Delivery.Channel.EMAIL) == total
    assert delivered(Delivery.Channel.INBOX) == total
    assert Nudge.objects.filter(status=Nudge.Status.SENT).count() == total
    assert not Nudge.objects.exclude(status=Nudge.Status.SENT).exists()


def test_due_nudges_are_dispatched_and_delivered_once_by_a_real_worker(tmp_path):
    total = due_nudges(40)
    queue = f"rp-test-{uuid.uuid4().hex[:8]}"
    send = sender(app, REDIS_URL, queue)
    worker = Worker(broker_url=REDIS_URL, queue=queue, mail_dir=tmp_path, name="e2e", concurrency=2).start()
    try:
        assert dispatch(plan=False, chunk_size=10, lease_seconds=120, send=send) == total
        assert wait_until(lambda: delivered() == total, timeout=40), (
            f"only {delivered()} of {total} delivered"
        )
        # Running the dispatcher again finds nothing; a duplicate task for a sent batch is a no-op.
        assert dispatch(plan=False, send=send) == 0
        some = list(Nudge.objects.values_list("id", flat=True)[:10])
        send(some, str(uuid.uuid4()))
        time.sleep(1.0)
    finally:
        worker.stop()
    assert_exactly_once(total)
    assert sorted(set(message_ids(tmp_path))) == sorted(message_ids(tmp_path))
    assert len(message_ids(tmp_path)) == total


def test_a_killed_worker_and_a_restarted_redis_lose_and_duplicate_nothing(tmp_path, capsys):
    """1,000 due nudges; a worker SIGKILLed mid-batch; Redis restarted (queue wiped); all delivered once."""
    total = due_nudges(1000)
    redis = ThrowawayRedis().start()
    queue = f"rp-fault-{uuid.uuid4().hex[:8]}"
    send = sender(app, redis.url, queue)
    workers = [
        Worker(broker_url=redis.url, queue=queue, mail_dir=tmp_path, name=f"fault-{n}").start() for n in "ab"
    ]
    lease = 6
    started = time.monotonic()
    try:
        dispatch(plan=False, chunk_size=10, lease_seconds=lease, send=send)
        assert wait_until(lambda: delivered() >= 150, timeout=40), "workers never got going"
        at_kill = delivered()
        workers[0].kill()  # SIGKILL mid-batch: its reserved and in-flight tasks are never acked
        time.sleep(0.3)
        redis.kill()  # every queued and unacked message is gone with it (no persistence)
        at_restart = delivered()
        redis.start()
        workers[0] = Worker(broker_url=redis.url, queue=queue, mail_dir=tmp_path, name="fault-a2").start()

        def recover():
            # What beat does every minute, sped up: return expired leases, claim and enqueue again.
            outbox.nudges_reap()
            dispatch(plan=False, chunk_size=10, lease_seconds=lease, send=send, max_seconds=2)

        assert wait_until(lambda: delivered() == total, timeout=50, step=1.0, tick=recover), (
            f"only {delivered()} of {total} delivered"
        )
        time.sleep(1.0)
    finally:
        for worker in workers:
            worker.stop()
        redis.kill()
    elapsed = time.monotonic() - started
    assert_exactly_once(total)
    ids = message_ids(tmp_path)
    assert set(ids) == {
        f"<q.{c}.0.test@rolloutplanner.nudge>" for c in Nudge.objects.values_list("card_id", flat=True)
    }
    with capsys.disabled():
        print(
            f"\n[fault test] {total} nudges: {at_kill} delivered when worker A was killed,"
            f" {at_restart} when Redis restarted; all {delivered()} delivered once per channel"
            f" in {elapsed:.1f} s;"
            f" e-mails written {len(ids)} ({len(ids) - len(set(ids))} repeats with the same Message-ID)"
        )
