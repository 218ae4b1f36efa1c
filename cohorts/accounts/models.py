"""Logins linked to people in the org chart: invitations, role changes, account state."""

from django.db import models  # noqa: F401
