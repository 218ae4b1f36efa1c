"""How planning asks about people without knowing them.

Programs store people as names (see the app's docstring). The org chart app registers a
directory here when it is installed (cohorts.apps); planning then offers a search while
typing a manager's name and refuses names that are not managers in the org chart. Without a
registered directory, names are taken as typed.
"""

_directory = None


def register(directory):
    """`directory` has `manager_search_url()` and `managers_named(names)` → {lower name: team}."""
    global _directory
    _directory = directory


def current():
    return _directory
