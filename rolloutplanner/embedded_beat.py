"""Runs Celery beat entries in-process when there is no broker (the embedded default).

With REDIS_URL set, real `celery worker` and `celery beat` processes do this instead.
"""

import logging
import threading

from celery.schedules import maybe_schedule
from django.db import close_old_connections
from django.utils import timezone

from .celery import app

logger = logging.getLogger(__name__)


class EmbeddedBeat:
    """Calls each CELERY_BEAT_SCHEDULE task eagerly whenever its schedule is due."""

    def __init__(self, schedule_config):
        # Without a worker nothing triggers Celery's autodiscovery; import every app's tasks
        # module now so each entry's task is registered by name.
        app.loader.import_default_modules()
        self.entries = {
            name: {
                "task": entry["task"],
                "schedule": maybe_schedule(entry["schedule"], app=app),
                "args": entry.get("args", ()),
                "kwargs": entry.get("kwargs", {}),
                # Like celery beat: a new entry waits one period (a weekly digest is not
                # sent on every start of the server).
                "last_run": timezone.now(),
            }
            for name, entry in schedule_config.items()
        }
        self._stop = threading.Event()

    def tick(self):
        """Run every due entry once; return seconds until the next one is due."""
        next_wait = 60.0
        for name, entry in self.entries.items():
            due, wait = entry["schedule"].is_due(entry["last_run"])
            if due:
                entry["last_run"] = timezone.now()
                try:
                    app.tasks[entry["task"]].apply(args=entry["args"], kwargs=entry["kwargs"])
                except Exception:
                    logger.exception("Embedded beat entry %s failed", name)
                finally:
                    close_old_connections()
            next_wait = min(next_wait, wait)
        return max(next_wait, 1.0)

    def run_forever(self):
        while not self._stop.is_set():
            self._stop.wait(self.tick())

    def stop(self):
        self._stop.set()

    def start_thread(self):
        thread = threading.Thread(target=self.run_forever, name="embedded-beat", daemon=True)
        thread.start()
        return thread
