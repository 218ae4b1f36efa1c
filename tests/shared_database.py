"""One database that every thread of a test opens, as the requests of a real server do.

PostgreSQL already is one. The SQLite test database is not a fair stand-in: it lives in memory
with a shared cache, where connections lock whole tables and fail at once ("database table is
locked") instead of waiting as connections to the embedded database file do. So, on SQLite, the
test database is copied to a file, and for the duration every new connection (each thread's) and
the test thread's own open that file with the project's engine and options (WAL, IMMEDIATE
writes, busy timeout): the same locking as `var/rolloutplanner.sqlite3` in production.

Use it in `transaction=True` tests, after the test data is written (the copy is taken on entry).
"""

import sqlite3
from contextlib import closing, contextmanager

from django.db import connection, connections
from django.db.utils import load_backend


@contextmanager
def database_shared_by_threads(directory):
    """Point every connection opened inside the block at one database; on SQLite a file in `directory`."""
    if connection.vendor != "sqlite":
        yield
        return
    path = directory / "shared.sqlite3"
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
    on_file = {**connection.settings_dict, "NAME": str(path), "TEST": {}}
    in_memory_settings = connections.settings["default"]
    in_memory = connections["default"]
    file_connection = load_backend(on_file["ENGINE"]).DatabaseWrapper(on_file, "default")
    connections.settings["default"] = on_file  # connections that threads open from now on
    connections["default"] = file_connection  # this thread's
    try:
        yield
    finally:
        file_connection.close()
        connections["default"] = in_memory
        connections.settings["default"] = in_memory_settings
