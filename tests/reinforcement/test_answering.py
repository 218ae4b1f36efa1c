"""Answering a question runs one FSRS review and appends a review log."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reinforcement.models import Card, Nudge, ReviewLog
from reinforcement.services.questions import card_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(learned):
    return Card.objects.filter(person=learned).order_by("id").first()


def test_a_right_answer_is_good_and_schedules_days_ahead(card):
    log = card_answer(card=card, chosen_index=0)
    card.refresh_from_db()
    assert (log.is_correct, log.rating) == (True, ReviewLog.Rating.GOOD)
    assert card.due_at - timezone.now() >= timedelta(days=1)
    assert card.state == Card.State.REVIEW
    assert log.predicted_recall is None  # a first answer has nothing to predict from


def test_a_wrong_answer_is_again_and_counts_a_lapse_on_a_reviewed_card(card):
    start = timezone.now() - timedelta(days=10)
    Card.objects.filter(pk=card.pk).update(due_at=start)
    card_answer(card=card, chosen_index=0, now=start)
    card.refresh_from_db()
    log = card_answer(card=card, chosen_index=2)
    card.refresh_from_db()
    assert log.rating == ReviewLog.Rating.AGAIN
    assert card.lapses == 1
    assert 0 < log.predicted_recall < 1


def test_the_confidence_tap_turns_a_right_answer_into_hard_or_easy(learned):
    first, second = Card.objects.filter(person=learned).order_by("id")[:2]
    assert card_answer(card=first, chosen_index=0, confidence="unsure").rating == ReviewLog.Rating.HARD
    assert card_answer(card=second, chosen_index=0, confidence="sure").rating == ReviewLog.Rating.EASY


def test_intervals_never_exceed_the_maximum_and_a_stable_card_retires(card, program):
    now = timezone.now() - timedelta(days=1000)
    Card.objects.filter(pk=card.pk).update(due_at=now)
    for _ in range(12):
        card.refresh_from_db()
        if card.retired_at:
            break
        card_answer(card=card, chosen_index=0, confidence="sure", now=now)
        card.refresh_from_db()
        assert card.due_at - now <= timedelta(days=181)
        now = card.due_at
    assert card.retired_at is not None
    assert card.stability >= 90


def test_answering_closes_the_open_nudge_of_the_card(card):
    nudge = Nudge.objects.create(
        person=card.person,
        card=card,
        due_at=timezone.now(),
        created_at=timezone.now(),
        status=Nudge.Status.SENT,
        idempotency_key="k1",
    )
    card_answer(card=card, chosen_index=0)
    nudge.refresh_from_db()
    assert nudge.status == Nudge.Status.ANSWERED


def test_a_seller_answers_from_the_inbox_page(client, org, card):
    client.force_login(org.seller)
    url = reverse("reinforcement:answer", args=[card.pk])
    response = client.post(url, {"choice": "0", "confidence": ""})
    assert response.status_code == 200
    assert "comes before any proposal" in response.content.decode()
    assert ReviewLog.objects.filter(card=card).count() == 1


def test_a_seller_cannot_open_someone_elses_card(client, org, card):
    client.force_login(org.other_seller)
    assert client.get(reverse("reinforcement:answer", args=[card.pk])).status_code == 404
    client.force_login(org.manager)
    assert client.get(reverse("reinforcement:answer", args=[card.pk])).status_code == 403


def test_an_unanswered_form_shows_an_error_and_records_nothing(client, org, card):
    client.force_login(org.seller)
    response = client.post(reverse("reinforcement:answer", args=[card.pk]), {})
    assert "Pick one of the answers" in response.content.decode()
    assert not ReviewLog.objects.exists()
