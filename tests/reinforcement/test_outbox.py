"""The nudge outbox: planning, claiming, delivering once, reaping lost leases."""

from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db.models import Count
from kombu.exceptions import OperationalError

from reinforcement import tasks
from reinforcement.models import Card, Delivery, Leave, Nudge, ReinforcementRules
from reinforcement.services import nudges as outbox
from reinforcement.services.questions import card_answer

pytestmark = pytest.mark.django_db

WEDNESDAY_MORNING = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)  # 11:00 in Berlin
WEDNESDAY_EVENING = datetime(2026, 12, 2, 20, 0, tzinfo=UTC)  # 21:00 in Berlin, quiet hours
SATURDAY_MORNING = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_planning_sends_at_most_the_daily_cap_per_seller(learned):
    assert Card.objects.filter(person=learned).count() == 6
    assert outbox.nudges_plan(now=WEDNESDAY_MORNING) == 2
    assert outbox.nudges_plan(now=WEDNESDAY_MORNING + timedelta(hours=2)) == 0
    assert Nudge.objects.filter(person=learned).count() == 2


def test_planning_picks_the_lowest_predicted_recall_first(learned):
    cards = list(Card.objects.filter(person=learned).order_by("id"))
    past = WEDNESDAY_MORNING - timedelta(days=40)
    Card.objects.filter(person=learned).update(due_at=past)
    for card in cards[:4]:  # answered long ago: recall still well above a never-answered card's zero
        card_answer(card=card, chosen_index=0, now=past)
    Card.objects.filter(pk__in=[c.pk for c in cards[:4]]).update(due_at=past + timedelta(days=1))
    outbox.nudges_plan(now=WEDNESDAY_MORNING)
    planned = set(Nudge.objects.values_list("card_id", flat=True))
    assert planned == {cards[4].pk, cards[5].pk}


def test_nothing_goes_out_in_quiet_hours_at_weekends_or_on_leave(learned):
    assert outbox.nudges_plan(now=WEDNESDAY_EVENING) == 0
    assert outbox.nudges_plan(now=SATURDAY_MORNING) == 0
    Leave.objects.create(person=learned, starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 3))
    assert outbox.nudges_plan(now=WEDNESDAY_MORNING) == 0
    assert outbox.nudges_plan(now=WEDNESDAY_MORNING + timedelta(days=2)) == 2


def test_quiet_hours_follow_the_sellers_own_time_zone(learned):
    learned.time_zone = "America/Los_Angeles"  # 12:00 in Los Angeles when it is 21:00 in Berlin
    learned.save()
    assert outbox.nudges_plan(now=WEDNESDAY_EVENING) == 2


def test_inactive_questions_and_retired_cards_are_not_sent(learned):
    cards = list(Card.objects.filter(person=learned))
    Card.objects.filter(pk__in=[c.pk for c in cards[:3]]).update(retired_at=WEDNESDAY_MORNING)
    cards[3].question.is_active = False
    cards[3].question.save()
    outbox.nudges_plan(now=WEDNESDAY_MORNING)
    assert set(Nudge.objects.values_list("card_id", flat=True)) <= {cards[4].pk, cards[5].pk}


def test_an_unanswered_question_is_resent_with_backoff_and_a_cap(learned, program):
    ReinforcementRules.objects.filter(program=program).update(daily_question_cap=1, max_resends=1)
    outbox.nudges_plan(now=WEDNESDAY_MORNING)
    first = Nudge.objects.get()
    Nudge.objects.filter(pk=first.pk).update(status=Nudge.Status.SENT, sent_at=WEDNESDAY_MORNING)
    outbox.nudges_plan(now=WEDNESDAY_MORNING + timedelta(hours=24))
    assert not Nudge.objects.filter(resend_number=1).exists()  # the first wait is 48 hours
    outbox.nudges_plan(now=WEDNESDAY_MORNING + timedelta(hours=49))
    resend = Nudge.objects.get(resend_number=1)
    assert resend.card_id == first.card_id
    Nudge.objects.filter(pk=resend.pk).update(status=Nudge.Status.SENT, sent_at=resend.created_at)
    later = WEDNESDAY_MORNING + timedelta(days=14)
    outbox.nudges_plan(now=later)
    assert not Nudge.objects.filter(resend_number=2).exists()
    assert Nudge.objects.get(pk=resend.pk).status == Nudge.Status.EXPIRED


def test_a_question_whose_reminders_went_unanswered_is_asked_again_after_a_pause(learned, program):
    ReinforcementRules.objects.filter(program=program).update(
        daily_question_cap=1, max_resends=0, unanswered_pause_days=7
    )
    outbox.nudges_plan(now=WEDNESDAY_MORNING)
    first = Nudge.objects.get()
    Nudge.objects.filter(pk=first.pk).update(status=Nudge.Status.SENT, sent_at=WEDNESDAY_MORNING)
    Card.objects.exclude(pk=first.card_id).update(retired_at=WEDNESDAY_MORNING)  # only this one left
    expired_at = WEDNESDAY_MORNING + timedelta(hours=49)  # Friday
    outbox.nudges_plan(now=expired_at)
    assert Nudge.objects.get(pk=first.pk).status == Nudge.Status.EXPIRED
    assert Card.objects.get(pk=first.card_id).due_at == expired_at + timedelta(days=7)
    outbox.nudges_plan(now=WEDNESDAY_MORNING + timedelta(days=8))  # Thursday after: paused still
    assert Nudge.objects.count() == 1
    outbox.nudges_plan(now=WEDNESDAY_MORNING + timedelta(days=14))
    again = Nudge.objects.exclude(pk=first.pk).get()
    assert (again.card_id, again.status) == (first.card_id, Nudge.Status.PENDING)


def test_a_closed_program_asks_nothing_more(learned, program):
    program.status = program.Status.CLOSED
    program.save(update_fields=["status"])
    assert outbox.nudges_plan(now=WEDNESDAY_MORNING) == 0


def test_two_claims_never_share_a_row(learned):
    outbox.nudges_plan(now=WEDNESDAY_MORNING)
    _, first = outbox.nudges_claim(now=WEDNESDAY_MORNING, limit=1)
    _, second = outbox.nudges_claim(now=WEDNESDAY_MORNING, limit=5)
    _, third = outbox.nudges_claim(now=WEDNESDAY_MORNING, limit=5)
    assert len(first) == 1 and len(second) == 1 and third == []
    assert set(first).isdisjoint(second)


def test_delivering_twice_sends_one_email_and_records_one_delivery_per_channel(learned):
    outbox.nudges_plan(now=WEDNESDAY_MORNING)
    token, ids = outbox.nudges_claim(now=WEDNESDAY_MORNING)
    assert outbox.nudges_deliver(nudge_ids=ids, lease_token=token) == 2
    assert outbox.nudges_deliver(nudge_ids=ids, lease_token=token) == 0
    assert len(mail.outbox) == 2
    per_channel = Delivery.objects.values("nudge", "channel").annotate(n=Count("id"))
    assert {row["n"] for row in per_channel} == {1}
    assert Delivery.objects.count() == 4
    assert set(Nudge.objects.values_list("status", flat=True)) == {Nudge.Status.SENT}


def test_the_email_has_text_html_and_a_signed_answer_link_that_opens_the_question(learned, client):
    outbox.nudges_plan(now=WEDNESDAY_MORNING)
    token, ids = outbox.nudges_claim(now=WEDNESDAY_MORNING)
    outbox.nudges_deliver(nudge_ids=ids, lease_token=token)
    message = mail.outbox[0]
    assert message.to == [learned.email]
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "/reinforcement/a/" in message.body and "/reinforcement/a/" in html
    assert message.extra_headers["Message-ID"].startswith("<q.")
    link = next(word for word in message.body.split() if "/reinforcement/a/" in word)
    response = client.get(link.removeprefix(settings.SITE_URL))
    assert response.status_code == 200
    assert 'name="choice"' in response.content.decode()


def test_a_stale_lease_token_delivers_nothing(learned):
    outbox.nudges_plan(now=WEDNESDAY_MORNING)
    _, ids = outbox.nudges_claim(now=WEDNESDAY_MORNING)
    assert outbox.nudges_deliver(nudge_ids=ids, lease_token="00000000-0000-0000-0000-000000000000") == 0
    assert not mail.outbox


def test_the_reaper_returns_expired_leases_and_gives_up_after_five_attempts(learned):
    outbox.nudges_plan(now=WEDNESDAY_MORNING)
    _, ids = outbox.nudges_claim(now=WEDNESDAY_MORNING, lease_seconds=60)
    assert outbox.nudges_reap(now=WEDNESDAY_MORNING + timedelta(seconds=30)) == (0, 0)
    assert outbox.nudges_reap(now=WEDNESDAY_MORNING + timedelta(seconds=61)) == (2, 0)
    assert set(Nudge.objects.values_list("status", flat=True)) == {Nudge.Status.PENDING}
    Nudge.objects.update(attempts=5, status=Nudge.Status.CLAIMED, lease_expires_at=WEDNESDAY_MORNING)
    assert outbox.nudges_reap(now=WEDNESDAY_MORNING + timedelta(seconds=1)) == (0, 2)
    assert set(Nudge.objects.values_list("status", flat=True)) == {Nudge.Status.FAILED}


def test_the_dispatcher_takes_due_nudges_to_sent_without_a_broker(learned, eager_celery):
    Card.objects.update(due_at=WEDNESDAY_MORNING)
    with mock.patch("reinforcement.services.nudges.timezone.now", return_value=WEDNESDAY_MORNING):
        handed = tasks.dispatch(lease_seconds=60)
    assert handed == 2
    assert Nudge.objects.filter(status=Nudge.Status.SENT).count() == 2
    assert len(mail.outbox) == 2


def test_when_the_broker_is_down_claims_are_released_for_a_later_run(learned):
    outbox.nudges_plan(now=WEDNESDAY_MORNING)
    with mock.patch.object(tasks.send_nudges, "delay", side_effect=OperationalError("no broker")):
        assert tasks.dispatch(plan=False) == 0
    assert set(Nudge.objects.values_list("status", flat=True)) == {Nudge.Status.PENDING}
    assert not Delivery.objects.exists()


def test_the_weekly_digest_is_planned_once_per_manager_and_week(org, learned):
    created = outbox.digests_plan(now=WEDNESDAY_MORNING)
    outbox.digests_plan(now=WEDNESDAY_MORNING + timedelta(hours=3))
    digests = Nudge.objects.filter(kind=Nudge.Kind.DIGEST)
    assert digests.count() == created
    assert digests.filter(person=org.people["manager"]).count() == 1
    token, ids = outbox.nudges_claim(now=WEDNESDAY_MORNING + timedelta(hours=3))
    outbox.nudges_deliver(nudge_ids=ids, lease_token=token)
    to_manager = next(m for m in mail.outbox if m.to == [org.people["manager"].email])
    assert learned.full_name in to_manager.body
    assert "/reinforcement/coaching/new/?seller=" in to_manager.body


def test_text_emails_are_not_html_escaped(learned):
    learned.first_name = "D'Arcy"
    learned.save()
    card = Card.objects.filter(person=learned).first()
    card.question.prompt = 'Is 2 < 3 & "true"?'
    card.question.save()
    Nudge.objects.create(
        person=learned, card=card, due_at=card.due_at, created_at=card.due_at, idempotency_key="k"
    )
    token, ids = outbox.nudges_claim()
    outbox.nudges_deliver(nudge_ids=ids, lease_token=token)
    body = mail.outbox[0].body
    assert "Hi D'Arcy," in body
    assert 'Is 2 < 3 & "true"?' in body
    assert "&amp;" in mail.outbox[0].alternatives[0][0]


def test_a_planning_pass_stops_at_its_limit_and_the_next_pass_continues(org, program, bank, enrolled):
    from reinforcement.services.stages import cards_ensure

    skill_id = next(iter(bank))
    cards_ensure(pairs=[(p.pk, program.pk, skill_id) for p in enrolled], now=WEDNESDAY_MORNING)
    assert outbox.nudges_plan(now=WEDNESDAY_MORNING, limit=2) == 2
    assert outbox.nudges_plan(now=WEDNESDAY_MORNING, limit=2) == 2
    assert outbox.nudges_plan(now=WEDNESDAY_MORNING, limit=2) == 2
    assert outbox.nudges_plan(now=WEDNESDAY_MORNING, limit=2) == 0
    assert sorted(Nudge.objects.values_list("person_id", flat=True)) == sorted([p.pk for p in enrolled] * 2)
