"""Hand work to Celery, or do it right here when the broker cannot be reached."""

import logging

logger = logging.getLogger(__name__)


def enqueue_or_run(task, *args):
    """`task.delay(*args)`; if the broker is down, run the task body in this process instead.

    Returns True when queued, False when it ran in-process.
    """
    from kombu.exceptions import OperationalError
    from redis.exceptions import RedisError

    try:
        task.delay(*args)
        return True
    except (OperationalError, RedisError, ConnectionError) as exc:
        logger.warning("Task queue unreachable (%s); running %s%r in-process", exc, task.name, args)
        task.run(*args)
        return False


def enqueue_or_background(task, *args, before_thread=None):
    """`task.delay(*args)`; if the broker is down, run the task body in a bounded background
    thread so the request answers at once (`before_thread()` is called first, e.g. to note it).
    Returns "queued", "thread" or "full" (the pool is busy: nothing was started)."""
    from kombu.exceptions import OperationalError
    from redis.exceptions import RedisError

    from rolloutplanner.background import runner

    try:
        task.delay(*args)
        return "queued"
    except (OperationalError, RedisError, ConnectionError) as exc:
        logger.warning(
            "Task queue unreachable (%s); running %s%r in a background thread", exc, task.name, args
        )
        if before_thread:
            before_thread()
        return "thread" if runner().submit(task.run, *args) else "full"
