"""The one-click answer link: no login for that one question, refused when not genuine."""

from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from reinforcement.models import Card, Nudge, ReviewLog
from reinforcement.services.nudges import LINK_SALT, answer_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def nudge(learned):
    card = Card.objects.filter(person=learned).order_by("id").first()
    return Nudge.objects.create(
        person=learned,
        card=card,
        due_at=timezone.now(),
        created_at=timezone.now(),
        status=Nudge.Status.SENT,
        sent_at=timezone.now(),
        idempotency_key="q:test",
    )


def link(token):
    return reverse("reinforcement:answer_link", args=[token])


def test_the_link_shows_the_question_without_logging_in(client, nudge):
    response = client.get(link(answer_token(nudge)))
    assert response.status_code == 200
    assert nudge.card.question.prompt in response.content.decode()
    assert 'name="viewport"' in response.content.decode()


def test_answering_through_the_link_records_one_review_and_shows_the_explanation(client, nudge):
    url = link(answer_token(nudge))
    response = client.post(url, {"choice": "1", "confidence": ""})
    body = response.content.decode()
    assert "Not quite." in body and "comes before any proposal" in body
    assert ReviewLog.objects.filter(card=nudge.card, nudge=nudge, is_correct=False).count() == 1
    again = client.post(url, {"choice": "0"})
    assert "Already answered — next question on" in again.content.decode()
    assert ReviewLog.objects.count() == 1


def test_a_tampered_link_is_refused_with_a_clear_page(client, nudge):
    token = answer_token(nudge)
    response = client.get(link(token[:-2] + ("AA" if not token.endswith("AA") else "BB")))
    assert response.status_code == 403
    assert "This link is not valid." in response.content.decode()


def test_a_link_pointing_at_someone_elses_card_is_refused(client, nudge, org, bank, program):
    from reinforcement.services.stages import cards_ensure

    other = org.people["other_seller"]
    skill_id = nudge.card.question.skill_id
    cards_ensure(pairs=[(other.pk, program.pk, skill_id)])
    other_card = Card.objects.filter(person=other).first()
    forged = signing.dumps({"n": nudge.pk, "c": other_card.pk, "p": nudge.person_id}, salt="wrong-salt")
    assert client.get(link(forged)).status_code == 403
    # Even validly signed, a payload mixing one person's nudge with another's card matches nothing.
    mixed = signing.dumps(
        {"n": nudge.pk, "c": other_card.pk, "p": nudge.person_id}, salt=LINK_SALT, compress=True
    )
    response = client.get(link(mixed))
    assert response.status_code == 403
    assert "not available" in response.content.decode()


def test_an_expired_link_is_refused(client, nudge, settings):
    token = answer_token(nudge)
    settings.NUDGE_LINK_MAX_AGE_DAYS = 7
    with pytest.MonkeyPatch.context() as patch:
        later = timezone.now() + timedelta(days=8)
        patch.setattr("django.core.signing.time.time", lambda: later.timestamp())
        response = client.get(link(token))
    assert response.status_code == 403
    assert "This link has expired." in response.content.decode()
    assert not ReviewLog.objects.exists()


def test_someone_else_logged_in_cannot_use_the_link(client, nudge, org):
    client.force_login(org.other_seller)
    response = client.post(link(answer_token(nudge)), {"choice": "0"})
    assert response.status_code == 403
    assert "belongs to someone else" in response.content.decode()
    assert not ReviewLog.objects.exists()
