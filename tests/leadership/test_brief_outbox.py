"""The weekly brief goes out through its outbox: once per program, week and recipient, and a
claim lost with a dead worker is picked up again."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from reinforcement.leadership import tasks
from reinforcement.leadership.models import BriefDelivery
from reinforcement.leadership.services import briefs as outbox

pytestmark = pytest.mark.django_db


def test_planning_makes_one_row_per_recipient_and_never_duplicates_a_week(org, launched):
    outbox.briefs_plan()
    outbox.briefs_plan()
    rows = BriefDelivery.objects.all()
    assert {r.recipient for r in rows} == {org.lead, org.executive}  # the program's lead and the executives
    assert len({r.week for r in rows}) == 1 and rows.count() == 2


def test_each_brief_is_sent_once_with_a_link_the_executive_can_open(client, org, launched):
    outbox.briefs_plan()
    token, ids = outbox.briefs_claim()
    assert outbox.briefs_deliver(ids=ids, lease_token=token) == 2
    assert outbox.briefs_deliver(ids=ids, lease_token=token) == 0
    assert len(mail.outbox) == 2
    message = next(m for m in mail.outbox if m.to == [org.executive.email])
    assert message.extra_headers["Message-ID"].startswith("<brief.")
    assert message.alternatives[0][1] == "text/html" and "Decisions needed" in message.alternatives[0][0]
    link = next(word for word in message.body.split() if "/leadership/programs/" in word)
    path = link.removeprefix(settings.SITE_URL)
    assert client.get(path).status_code == 302  # to the login page first
    client.force_login(org.executive)
    assert "Weekly leadership brief" in client.get(path).content.decode()
    # Planning the same week again after sending adds nothing and sends nothing.
    outbox.briefs_plan()
    assert outbox.briefs_claim()[1] == []
    assert set(BriefDelivery.objects.values_list("status", flat=True)) == {BriefDelivery.Status.SENT}


def test_a_claim_lost_with_a_dead_worker_is_sent_after_the_lease_runs_out(org, launched):
    outbox.briefs_plan()
    _, lost = outbox.briefs_claim(lease_seconds=60)  # the worker holding these dies before sending
    assert len(lost) == 2 and outbox.briefs_claim()[1] == []
    later = BriefDelivery.objects.first().lease_expires_at + timedelta(seconds=1)
    assert outbox.briefs_reap(now=later) == (2, 0)
    token, ids = outbox.briefs_claim()
    assert sorted(ids) == sorted(lost)
    outbox.briefs_deliver(ids=ids, lease_token=token)
    assert len(mail.outbox) == 2
    assert outbox.briefs_deliver(ids=lost, lease_token="00000000-0000-0000-0000-000000000000") == 0


def test_the_beat_task_plans_and_sends_without_a_broker_and_a_refused_broker_loses_nothing(
    org, launched, eager_celery
):
    def refuse(ids, token):
        raise OperationalError("broker down")

    assert tasks.dispatch(plan=True, send=refuse) == 0
    assert set(BriefDelivery.objects.values_list("status", flat=True)) == {BriefDelivery.Status.PENDING}
    assert tasks.plan_weekly_briefs.apply().get() == 2
    assert len(mail.outbox) == 2
    assert tasks.plan_weekly_briefs.apply().get() == 0
    assert len(mail.outbox) == 2


def test_next_weeks_brief_is_a_new_row(org, launched):
    outbox.briefs_plan()
    outbox.briefs_plan(now=timezone.now() + timedelta(weeks=1))
    assert BriefDelivery.objects.values("week").distinct().count() == 2


def test_a_big_program_without_figures_waits_and_sends_once_they_are_computed(org, launched, monkeypatch):
    from reinforcement.measurement import selectors as measurement
    from reinforcement.measurement.services import snapshot_refresh

    monkeypatch.setattr(measurement, "LIVE_LIMIT", 1)  # three sellers: "too big" to compute live
    outbox.briefs_plan()
    token, ids = outbox.briefs_claim()
    assert outbox.briefs_deliver(ids=ids, lease_token=token) == 0
    assert not mail.outbox
    row = BriefDelivery.objects.first()
    assert row.status == BriefDelivery.Status.PENDING and "Waiting" in row.last_error
    snapshot_refresh(program=launched)
    token, ids = outbox.briefs_claim()
    assert outbox.briefs_deliver(ids=ids, lease_token=token) == 2
    assert "adoption" in mail.outbox[0].subject


def test_a_past_weeks_brief_of_a_big_program_without_figures_fails_with_a_reason(org, launched, monkeypatch):
    from reinforcement.measurement import selectors as measurement

    monkeypatch.setattr(measurement, "LIVE_LIMIT", 1)  # past weeks never read snapshots: it could never send
    outbox.briefs_plan(now=timezone.now() - timedelta(weeks=1))
    token, ids = outbox.briefs_claim()
    assert outbox.briefs_deliver(ids=ids, lease_token=token) == 0
    assert not mail.outbox and outbox.briefs_claim()[1] == []
    row = BriefDelivery.objects.first()
    assert row.status == BriefDelivery.Status.FAILED and "week is over" in row.last_error
