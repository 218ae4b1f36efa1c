"""One answer per asked question: re-answering, double submits, two tabs and racing requests
write exactly one review; the inbox, My progress and the home card count the same questions."""

import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reinforcement.models import Card, Nudge, ReviewLog
from reinforcement.selectors import seller_questions
from reinforcement.services import nudges as outbox
from reinforcement.services import questions
from reinforcement.services.questions import AlreadyAnswered, card_answer
from tests.shared_database import database_shared_by_threads

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


# ---------------------------------------------------------------- racing submissions
# Real threads, each on its own connection to one database: PostgreSQL, or on SQLite a file with
# the embedded engine's locking (tests/shared_database.py). The first submission to claim the card
# holds its transaction open until the other one waits behind it, at the statement that queues
# writers: SQLite's BEGIN IMMEDIATE, PostgreSQL's SELECT ... FOR UPDATE in the service.


def _queues_behind_a_writer(sql):
    return sql.startswith("BEGIN") or "FOR UPDATE" in sql


@pytest.fixture
def racing_card(card, tmp_path):
    with database_shared_by_threads(tmp_path):
        yield card


@pytest.fixture
def race(monkeypatch):
    """`race(submit_a, submit_b)`: both at once; what each returned (or raised), in order."""

    def run(*submissions):
        queued = [threading.Event() for _ in submissions]
        overlapped = []
        recompute = questions.stage_recompute_for

        def held_open(**kwargs):
            # The winner, after writing its review and before committing.
            overlapped.append(all(event.wait(10) for event in queued))
            time.sleep(0.2)  # the other is past its signal and blocked in that statement
            return recompute(**kwargs)

        monkeypatch.setattr(questions, "stage_recompute_for", held_open)
        start = threading.Barrier(len(submissions))
        outcomes = [None] * len(submissions)

        def submit(index, submission):
            def mark_queued(execute, sql, params, many, context):
                if _queues_behind_a_writer(sql):
                    queued[index].set()
                return execute(sql, params, many, context)

            try:
                with connections["default"].execute_wrapper(mark_queued):
                    start.wait(10)
                    outcomes[index] = submission()
            except Exception as exc:  # reported by the assertions below, not lost in the thread
                outcomes[index] = exc
            finally:
                connections.close_all()

        threads = [threading.Thread(target=submit, args=pair) for pair in enumerate(submissions)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not any(thread.is_alive() for thread in threads), "a submission hung"
        monkeypatch.setattr(questions, "stage_recompute_for", recompute)
        # Held open by the winner (or by each, were both ever let through).
        assert overlapped and all(overlapped), f"the submissions did not overlap: {outcomes}"
        return outcomes

    return run


@pytest.mark.django_db(transaction=True)
def test_two_threads_answering_one_card_at_once_write_one_review(racing_card, race):
    """The service alone: both callers loaded the card while it was due."""
    outcomes = race(
        lambda: card_answer(card=racing_card, chosen_index=0),
        lambda: card_answer(card=racing_card, chosen_index=1),
    )
    logs = [o for o in outcomes if isinstance(o, ReviewLog)]
    refused = [o for o in outcomes if isinstance(o, AlreadyAnswered)]
    assert len(logs) == 1 and len(refused) == 1, outcomes
    assert refused[0].next_on == logs[0].due_after > timezone.now()
    assert list(ReviewLog.objects.filter(card=racing_card).values_list("pk", flat=True)) == [logs[0].pk]
    reloaded = Card.objects.get(pk=racing_card.pk)
    assert (reloaded.reviews, reloaded.due_at) == (1, logs[0].due_after)


def _double_click(org, card):
    first = Client()
    first.force_login(org.seller)
    twin = Client()  # the same browser session sending the form twice
    twin.cookies[settings.SESSION_COOKIE_NAME] = first.cookies[settings.SESSION_COOKIE_NAME].value
    url = reverse("reinforcement:answer", args=[card.pk])
    return [(first, url, "0"), (twin, url, "0")]


def _two_tabs(org, card):
    tabs = [Client(), Client()]
    for tab in tabs:
        tab.force_login(org.seller)
    url = reverse("reinforcement:answer", args=[card.pk])
    return [(tabs[0], url, "0"), (tabs[1], url, "1")]


def _inbox_and_email_link(org, card):
    inbox = Client()
    inbox.force_login(org.seller)
    link = reverse("reinforcement:answer_link", args=[outbox.answer_token(_sent_nudge(card))])
    return [(inbox, reverse("reinforcement:answer", args=[card.pk]), "0"), (Client(), link, "1")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("senders", [_double_click, _two_tabs, _inbox_and_email_link])
def test_racing_requests_for_one_card_write_one_review(racing_card, race, org, senders):
    """Double-click, two tabs, inbox and e-mail link: each form loaded while the card was due."""
    senders = senders(org, racing_card)
    for client, url, _choice in senders:
        assert 'name="choice"' in client.get(url).content.decode()
    responses = race(*[lambda c=c, u=u, x=x: c.post(u, {"choice": x}) for c, u, x in senders])

    assert not [r for r in responses if not hasattr(r, "status_code")], responses
    # PostgreSQL: the loser read the card as due, then lost the claim in the service (409).
    # SQLite: the loser's IMMEDIATE transaction waited before the view read the card, so the
    # view found it answered (200). Either way, no error and one review.
    expected = [200, 409] if connection.vendor == "postgresql" else [200, 200]
    assert sorted(r.status_code for r in responses) == expected
    log = ReviewLog.objects.get(card=racing_card)
    due = timezone.localtime(Card.objects.get(pk=racing_card.pk).due_at)
    bodies = [r.content.decode() for r in responses]
    closed = [i for i, body in enumerate(bodies) if 'id="answer-closed"' in body]
    assert len(closed) == 1, bodies
    assert f"Already answered — next question on {due:%-d %B %Y}." in bodies[closed[0]]
    winner = 1 - closed[0]
    assert 'id="answer-result"' in bodies[winner]
    assert log.chosen_index == int(senders[winner][2])
    assert Card.objects.get(pk=racing_card.pk).reviews == 1
    assert not Nudge.objects.filter(card=racing_card, answered_at__isnull=True).exists()


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
