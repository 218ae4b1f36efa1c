"""Embedded SQLite that does not answer "database is locked" when two writes meet.

A deferred transaction that reads and then writes cannot wait for another writer: SQLite fails
it at once with "database is locked" (the busy timeout does not apply to that upgrade). So
transactions begin IMMEDIATE (`OPTIONS["transaction_mode"]`): a writer takes the lock up front
and a second one waits up to `timeout` seconds. Requests that only read (GET, HEAD, OPTIONS)
begin DEFERRED instead, so pages keep reading the WAL while an import writes.
"""

from contextvars import ContextVar

read_only_request = ContextVar("read_only_request", default=False)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReadOnlyRequestMiddleware:
    """Marks GET/HEAD/OPTIONS requests so their transactions begin DEFERRED (see above)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = read_only_request.set(request.method in SAFE_METHODS)
        try:
            return self.get_response(request)
        finally:
            read_only_request.reset(token)
