"""A small, bounded pool of background threads for work that must not run inside a request.

Used when the task queue cannot be reached: the job is handed to a thread of this process and
the request answers at once. At most BACKGROUND_JOB_THREADS run at a time and at most
BACKGROUND_JOB_QUEUE are accepted (running or waiting); beyond that `submit` says no and the
caller decides (an import is then marked failed with a reason). A job lost with its process is
ended by the stale-job reaper (rolloutplanner/jobs.py).
"""

import logging
import threading
from concurrent.futures import ThreadPoolExecutor, wait

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)


class BoundedRunner:
    def __init__(self, threads, capacity):
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="background-job")
        self._slots = threading.BoundedSemaphore(capacity)
        self._futures = set()
        self._lock = threading.Lock()

    def submit(self, func, *args):
        """Run `func(*args)` in a background thread; False when the pool is full."""
        if not self._slots.acquire(blocking=False):
            return False
        future = self._executor.submit(self._run, func, args)
        with self._lock:
            self._futures.add(future)
        future.add_done_callback(self._forget)
        return True

    def _run(self, func, args):
        try:
            func(*args)
        except Exception:
            logger.exception("Background job %s%r failed", getattr(func, "__name__", func), args)
        finally:
            connections.close_all()  # this thread's own connections
            self._slots.release()

    def _forget(self, future):
        with self._lock:
            self._futures.discard(future)

    def wait_idle(self, timeout=None):
        """Block until every accepted job has finished (tests, the bench, shutdown)."""
        with self._lock:
            pending = set(self._futures)
        wait(pending, timeout=timeout)


_runner = None
_runner_lock = threading.Lock()


def runner():
    global _runner
    with _runner_lock:
        if _runner is None:
            _runner = BoundedRunner(settings.BACKGROUND_JOB_THREADS, settings.BACKGROUND_JOB_QUEUE)
        return _runner
