from datetime import timedelta

import pytest

from rolloutplanner.celery import app
from rolloutplanner.embedded_beat import EmbeddedBeat

calls = []


@app.task(name="tests.record_call")
def record_call(value):
    calls.append(value)


@pytest.mark.django_db
def test_a_new_entry_waits_one_period_like_celery_beat():
    calls.clear()
    beat = EmbeddedBeat({"rec": {"task": "tests.record_call", "schedule": timedelta(hours=1), "args": (7,)}})
    wait = beat.tick()
    assert calls == []
    assert 1.0 <= wait <= 60.0  # it wakes at least every minute to look again


@pytest.mark.django_db
def test_it_runs_a_due_entry_once_until_its_interval_passes():
    calls.clear()
    beat = EmbeddedBeat({"rec": {"task": "tests.record_call", "schedule": timedelta(hours=1), "args": (7,)}})
    beat.entries["rec"]["last_run"] -= timedelta(hours=2)
    beat.tick()
    beat.tick()
    assert calls == [7]
    remaining = beat.entries["rec"]["schedule"].remaining_estimate(beat.entries["rec"]["last_run"])
    assert remaining.total_seconds() > 3500


def test_every_configured_periodic_task_is_registered_without_a_worker(settings):
    beat = EmbeddedBeat(settings.CELERY_BEAT_SCHEDULE)
    missing = [entry["task"] for entry in beat.entries.values() if entry["task"] not in app.tasks]
    assert beat.entries
    assert missing == []
