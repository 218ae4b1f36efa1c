"""One answer per asked question: re-answering, double submits, two tabs and racing requests
write exactly one review; the inbox, My progress and the home card count the same questions."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reinforcement.models import Card, Nudge, ReviewLog
from reinforcement.selectors import seller_questions
from reinforcement.services import nudges as outbox
from reinforcement.services.questions import AlreadyAnswered, card_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(learned):
    return Card.objects.filter(person=learned).order_by("id").first()


def _sent_nudge(card, key="q:one"):
    now = timezone.now()
    return Nudge.objects.create(
        person=card.person,
        card=card,
        due_at=now,
        created_at=now,
        sent_at=now,
        status=Nudge.Status.SENT,
        idempotency_key=key,
    )


def test_answering_the_same_card_again_is_refused_and_writes_nothing(client, org, card):
    client.force_login(org.seller)
    url = reverse("reinforcement:answer", args=[card.pk])
    assert client.post(url, {"choice": "0"}).status_code == 200
    card.refresh_from_db()
    again = client.post(url, {"choice": "0", "confidence": "sure"})
    body = again.content.decode()
    assert f"Already answered — next question on {card.due_at:%-d %B %Y}" in body
    assert ReviewLog.objects.filter(card=card).count() == 1
    reloaded = Card.objects.get(pk=card.pk)
    assert (reloaded.reviews, reloaded.stability, reloaded.due_at) == (1, card.stability, card.due_at)


def test_an_answered_card_shows_no_form_until_it_is_due_again(client, org, card):
    card_answer(card=card, chosen_index=0)
    client.force_login(org.seller)
    body = client.get(reverse("reinforcement:answer", args=[card.pk])).content.decode()
    assert "Already answered" in body and 'name="choice"' not in body


def test_two_tabs_opened_before_answering_write_one_review(card, org):
    tabs = [Client(), Client()]
    url = reverse("reinforcement:answer", args=[card.pk])
    for tab in tabs:
        tab.force_login(org.seller)
        assert 'name="choice"' in tab.get(url).content.decode()
    first = tabs[0].post(url, {"choice": "0"})
    second = tabs[1].post(url, {"choice": "1"})
    assert "Right." in first.content.decode()
    assert "Already answered" in second.content.decode()
    assert ReviewLog.objects.filter(card=card).count() == 1


def test_the_inbox_and_the_email_link_close_each_other(client, org, card):
    nudge = _sent_nudge(card)
    link = reverse("reinforcement:answer_link", args=[outbox.answer_token(nudge)])
    client.force_login(org.seller)
    client.post(reverse("reinforcement:answer", args=[card.pk]), {"choice": "0"})
    from_link = Client().post(link, {"choice": "0"})
    assert "Already answered" in from_link.content.decode()
    assert ReviewLog.objects.filter(card=card).count() == 1
    nudge.refresh_from_db()
    assert nudge.status == Nudge.Status.ANSWERED


def test_the_service_refuses_a_card_that_is_not_waiting(card):
    Card.objects.filter(pk=card.pk).update(due_at=timezone.now() + timedelta(days=3))
    with pytest.raises(AlreadyAnswered) as refused:
        card_answer(card=card, chosen_index=0)
    assert refused.value.next_on > timezone.now()
    assert not ReviewLog.objects.exists()


def test_an_open_nudge_keeps_a_card_answerable_even_when_it_is_not_due(card):
    """Inbox or link, whichever comes first: a delivered question can still be answered."""
    nudge = _sent_nudge(card)
    Card.objects.filter(pk=card.pk).update(due_at=timezone.now() + timedelta(days=3))
    log = card_answer(card=card, chosen_index=0, nudge=nudge)
    assert log.nudge == nudge and log.sequence == 1


def test_a_review_number_is_written_once_per_card(card):
    """The unique constraint is the last line if two writers ever got past the claim."""
    from django.db import IntegrityError, transaction

    log = card_answer(card=card, chosen_index=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewLog.objects.create(
            card=card,
            chosen_index=0,
            is_correct=True,
            rating=3,
            stability_after=1.0,
            due_after=log.due_after,
            reviewed_at=log.reviewed_at,
            sequence=log.sequence,
        )


def test_the_inbox_my_progress_and_the_home_card_count_the_same_questions(client, org, card, learned):
    _sent_nudge(card)
    # One card answered (not waiting), one with an open nudge but not due, the rest due now.
    answered = Card.objects.filter(person=learned).exclude(pk=card.pk).order_by("id").first()
    card_answer(card=answered, chosen_index=0)
    Card.objects.filter(pk=card.pk).update(due_at=timezone.now() + timedelta(days=2))
    expected = Card.objects.filter(person=learned).count() - 1
    assert seller_questions(learned)["count"] == expected
    client.force_login(org.seller)
    label = f"{expected} questions waiting"
    for page in ("reinforcement:inbox", "reinforcement:my_progress", "home"):
        assert label in client.get(reverse(page)).content.decode(), page
    inbox = client.get(reverse("reinforcement:inbox")).content.decode()
    assert inbox.count("list-group-item-action") == expected


def test_the_inbox_keeps_a_fixed_query_count(client, org, learned, django_assert_max_num_queries):
    client.force_login(org.seller)
    with django_assert_max_num_queries(9):
        assert client.get(reverse("reinforcement:inbox")).status_code == 200


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite serialises writers; the race runs on PostgreSQL in CI"
)
@pytest.mark.django_db(transaction=True)
def test_racing_submissions_on_two_connections_write_one_review(org, program, bank, enrolled):
    """Two requests for the same card at the same moment (double-click, two tabs)."""
    from datetime import date

    from reinforcement.models import ReinforcementRules
    from reinforcement.services.coaching import assessment_record

    ReinforcementRules.objects.create(program=program, require_attendance=False)
    seller = org.people["seller"]
    for ps in program.skills.all():
        assessment_record(person=seller, program_skill=ps, kind="post", score=90, taken_on=date(2026, 11, 1))
    card = Card.objects.filter(person=seller).order_by("id").first()
    url = reverse("reinforcement:answer", args=[card.pk])
    start = threading.Barrier(2)
    statuses = []

    def submit():
        try:
            tab = Client()
            tab.force_login(org.seller)
            start.wait()
            statuses.append(tab.post(url, {"choice": "0"}).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(statuses) == [200, 409]
    assert ReviewLog.objects.filter(card=card).count() == 1
    assert Card.objects.get(pk=card.pk).reviews == 1


def test_the_seller_home_keeps_a_fixed_query_count(client, org, learned, django_assert_max_num_queries):
    client.force_login(org.seller)
    with django_assert_max_num_queries(14):
        assert "6 questions waiting" in client.get(reverse("home")).content.decode()


def test_a_withdrawn_question_takes_no_answer(client, org, card):
    card.question.is_active = False
    card.question.save()
    client.force_login(org.seller)
    response = client.post(reverse("reinforcement:answer", args=[card.pk]), {"choice": "0"})
    assert "This question has been withdrawn" in response.content.decode()
    assert not ReviewLog.objects.exists()
