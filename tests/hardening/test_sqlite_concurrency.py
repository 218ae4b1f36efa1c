"""Issue 11.2: embedded SQLite does not answer "database is locked" when two writes meet.

Two threads play two requests of one seller answering two cards at once: each transaction
reads, pauses, then writes, on a real SQLite file in WAL mode with the project's settings.
Stock deferred transactions fail one of them; the project's backend makes the second wait.
"""

import threading
import time

import pytest
from django.conf import settings
from django.db import OperationalError
from django.db.utils import ConnectionHandler
from django.test import RequestFactory

from rolloutplanner.sqlite import ReadOnlyRequestMiddleware, read_only_request

ROUNDS = 5


def sqlite_settings(path, **changes):
    """The embedded database settings (settings.EMBEDDED_DATABASE), on another file."""
    embedded = {**settings.EMBEDDED_DATABASE, "NAME": str(path), "ATOMIC_REQUESTS": False, "TEST": {}}
    return {"default": {**embedded, **changes}}


def answer_twice_at_once(databases):
    handler = ConnectionHandler(databases)
    setup = handler["default"]
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS review (id INTEGER PRIMARY KEY, card INTEGER)")
    setup.close()
    failures, barrier = [], threading.Barrier(2)

    def request(card):
        connection = handler["default"]  # one connection per thread, as per request
        try:
            barrier.wait()
            connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM review")
                time.sleep(0.1)
                cursor.execute("INSERT INTO review (card) VALUES (%s)", [card])
            connection.commit()
        except OperationalError as exc:
            failures.append(str(exc))
            connection.rollback()
        finally:
            connection.set_autocommit(True)
            connection.close()

    for _ in range(ROUNDS):
        threads = [threading.Thread(target=request, args=(card,)) for card in (1, 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return failures


@pytest.fixture
def own_database(django_db_blocker):
    """These tests open their own SQLite files, outside the test database."""
    with django_db_blocker.unblock():
        yield


def test_two_writes_at_once_both_succeed_on_the_embedded_database(tmp_path, own_database):
    assert answer_twice_at_once(sqlite_settings(tmp_path / "db.sqlite3")) == []


def test_stock_deferred_transactions_fail_in_the_same_situation(tmp_path, own_database):
    """The failure the setting prevents (so the test above can fail)."""
    stock = sqlite_settings(
        tmp_path / "stock.sqlite3",
        ENGINE="django.db.backends.sqlite3",
        OPTIONS={"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"},
    )
    failures = answer_twice_at_once(stock)
    assert failures and all("locked" in f for f in failures)


def test_only_reading_requests_begin_deferred():
    seen = {}

    def view(request):
        seen[request.method] = read_only_request.get()
        return None

    middleware = ReadOnlyRequestMiddleware(view)
    middleware(RequestFactory().get("/"))
    middleware(RequestFactory().post("/"))
    assert seen == {"GET": True, "POST": False}
    assert read_only_request.get() is False  # reset after the request
