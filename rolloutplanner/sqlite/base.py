"""The SQLite backend of `rolloutplanner.sqlite` (ENGINE "rolloutplanner.sqlite")."""

from django.db.backends.sqlite3 import base

from . import read_only_request


class DatabaseWrapper(base.DatabaseWrapper):
    def _start_transaction_under_autocommit(self):
        if read_only_request.get():
            self.cursor().execute("BEGIN DEFERRED")
        else:
            super()._start_transaction_under_autocommit()
