"""The demo practice: reviewed attempts, a review waiting for the demo manager, points; twice = same."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cohorts.selectors import person_for_user
from reinforcement.practice.models import Attempt, Competition, PointEntry, Review
from reinforcement.practice.selectors import review_requests

pytestmark = pytest.mark.django_db


def test_the_demo_has_practice_to_review_and_points_and_loads_once(demo_data, settings):
    users = get_user_model().objects
    seller = person_for_user(users.get(username="seller"))
    manager = person_for_user(users.get(username="manager"))
    waiting = review_requests(manager)
    assert waiting and {a.person_id for a in waiting} == {seller.pk}
    assert Review.objects.count() > 10 and PointEntry.objects.filter(kind="practice").exists()
    counts = (
        Attempt.objects.count(),
        Review.objects.count(),
        PointEntry.objects.count(),
        Competition.objects.count(),
    )
    call_command("seed_demo", stdout=StringIO())
    assert (
        Attempt.objects.count(),
        Review.objects.count(),
        PointEntry.objects.count(),
        Competition.objects.count(),
    ) == counts
