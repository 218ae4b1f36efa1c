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
