"""Answering and coaching never touch the broker, so they work while Redis is down."""

from datetime import date
from unittest import mock

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError

from reinforcement.models import Card, CoachingSession, ReviewLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down():
    with mock.patch(
        "celery.app.task.Task.apply_async", side_effect=OperationalError("Redis is down")
    ) as sent:
        yield sent


def test_answering_works_with_the_broker_down(client, org, learned, broker_down):
    card = Card.objects.filter(person=learned).first()
    client.force_login(org.seller)
    response = client.post(reverse("reinforcement:answer", args=[card.pk]), {"choice": "0"})
    assert response.status_code == 200
    assert ReviewLog.objects.filter(card=card).exists()
    broker_down.assert_not_called()


def test_logging_coaching_works_with_the_broker_down(client, org, program, skills, learned, broker_down):
    client.force_login(org.manager)
    data = {
        "kind": "one_on_one",
        "occurred_on": date.today().isoformat(),
        "sellers": [learned.pk],
        f"rating_{skills[0].pk}": "3",
    }
    response = client.post(reverse("reinforcement:coaching_new") + f"?program={program.pk}", data)
    assert response.status_code == 302
    assert CoachingSession.objects.count() == 1
    broker_down.assert_not_called()
