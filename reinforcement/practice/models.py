"""Role-play scenarios, practice attempts, reviews, certification, points and competitions."""

from django.db import models  # noqa: F401
