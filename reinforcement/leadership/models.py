"""Manager reinforcement kits, weekly leadership reviews, expectations, recognitions and fade alarms."""

from django.db import models  # noqa: F401
