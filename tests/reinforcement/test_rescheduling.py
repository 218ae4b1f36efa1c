"""Issue 10: when a program's spacing policy changes its cards are rescheduled from their history
by a background job (progress, failed with a reason, superseded by a newer change); the request
that changes the policy only records it."""

from datetime import timedelta

import fsrs
import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from programs.models import Program
from reinforcement import tasks
from reinforcement.forms import RulesForm
from reinforcement.models import Card, ProgramSpacing, ReinforcementRules, RescheduleJob
from reinforcement.scheduling import memory_of, policy_for
from reinforcement.services import fitting, rescheduling
from reinforcement.services.coaching import rules_save
from rolloutplanner.jobs import jobs_reap

pytestmark = pytest.mark.django_db


def schedule(**filters):
    """{card id: (due, retired)}: when each card is asked next, or when it retired."""
    rows = Card.objects.filter(**filters).values_list("id", "due_at", "retired_at")
    return {pk: (due, retired) for pk, due, retired in rows}


def assert_replayed_under_current_policy(program):
    """Every answered card's memory is its whole history replayed, and its next question is the
    one the program's current policy gives for that memory."""
    policy = policy_for(Program.objects.get(pk=program.pk))
    cards = Card.objects.filter(program=program, review_logs__isnull=False).distinct()
    assert cards.count() == 180
    for card in cards:
        assert card.memory["reviews"] == card.review_logs.count()
        assert policy.next_due(memory_of(card)) == (None if card.retired_at else card.due_at)


@pytest.fixture
def fitted(answered, run_jobs):
    """`answered`, with its own fitted weights in use and its cards rescheduled under them."""
    with run_jobs():
        fitting.program_spacing_fit(program=answered)
    assert RescheduleJob.objects.get().status == RescheduleJob.Status.SUCCEEDED
    return answered


def test_going_back_to_the_defaults_answers_at_once_and_the_job_reschedules_later(
    client, org, fitted, eager_celery, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    before = schedule()
    version = ProgramSpacing.objects.get(program=fitted).policy_version
    client.force_login(org.lead)
    url = reverse("reinforcement:spacing_defaults", args=[fitted.pk])
    with django_capture_on_commit_callbacks() as queued, django_assert_max_num_queries(20):
        response = client.post(url)  # a bounded number of queries: none per card
    assert response.status_code == 302
    assert schedule() == before  # the request touched no card
    job = RescheduleJob.objects.latest("id")
    assert (job.status, job.trigger, job.created_by) == ("queued", "defaults", org.lead)
    assert job.policy_version == version + 1 == ProgramSpacing.objects.get(program=fitted).policy_version
    page = client.get(reverse("reinforcement:rules", args=[fitted.pk])).content.decode()
    assert "Rescheduling the answered questions under the new policy…" in page
    assert "spacing/reschedule/progress/" in page  # the panel polls while the job is not done

    assert len(queued) == 1
    queued[0]()  # the worker picks the task up
    job.refresh_from_db()
    assert (job.status, job.processed, job.total) == ("succeeded", 180, 180)
    assert job.started_at and job.finished_at
    after = schedule()
    assert sum(before[pk] != after[pk] for pk in before) >= 10
    assert policy_for(Program.objects.get(pk=fitted.pk)).params["weights"] == list(
        fsrs.scheduler.DEFAULT_PARAMETERS
    )
    assert_replayed_under_current_policy(fitted)
    progress = reverse("reinforcement:spacing_reschedule_progress", args=[fitted.pk])
    panel = client.get(progress).content.decode()
    assert "180 answered questions rescheduled under this policy" in panel and "hx-get" not in panel


def test_the_job_reschedules_every_card_from_its_history_in_batches(fitted, monkeypatch):
    with pytest.MonkeyPatch.context() as patch:  # record the change without running its job
        patch.setattr(rescheduling, "_enqueue", lambda job_id: None)
        job = fitting.program_spacing_reset(program=fitted)
    progress = []
    real_batch = rescheduling._batch

    def spy(job, card_ids, *, done, now):
        progress.append(RescheduleJob.objects.get(pk=job.pk).processed)
        return real_batch(job, card_ids, done=done, now=now)

    monkeypatch.setattr(rescheduling, "_batch", spy)
    rescheduling.reschedule_job_run(job_id=job.pk, batch_size=50)
    job.refresh_from_db()
    assert progress == [0, 50, 100, 150]  # four bounded batches, progress recorded after each
    assert (job.status, job.processed, job.total, job.percent) == ("succeeded", 180, 180, 100)
    assert_replayed_under_current_policy(fitted)


def test_running_the_task_twice_does_nothing_the_second_time(fitted, monkeypatch):
    job = RescheduleJob.objects.get()
    finished_at, dues = job.finished_at, schedule()
    monkeypatch.setattr(rescheduling, "write_cards", lambda cards: pytest.fail("wrote cards twice"))
    tasks.reschedule_cards(job.pk)
    job.refresh_from_db()
    assert (job.status, job.finished_at) == ("succeeded", finished_at)
    assert schedule() == dues
    assert rescheduling.reschedule_job_run(job_id=10**9) is None  # a job that no longer exists


def test_a_reason_with_a_nul_character_still_ends_the_job(client, org, fitted, run_jobs, monkeypatch):
    def broken(cards):
        raise RuntimeError("bad\x00value")

    monkeypatch.setattr(rescheduling, "write_cards", broken)
    client.force_login(org.lead)
    with run_jobs():
        client.post(reverse("reinforcement:spacing_defaults", args=[fitted.pk]))
    job = RescheduleJob.objects.latest("id")
    assert job.status == "failed" and job.finished_at and job.note.startswith("Stopped: badvalue")


def test_a_failing_job_ends_failed_with_its_reason_and_the_lead_starts_it_again(
    client, org, fitted, run_jobs, monkeypatch
):
    dues = schedule()

    def broken(cards):
        raise RuntimeError("could not write the cards: " + "disk full " * 40)

    monkeypatch.setattr(rescheduling, "write_cards", broken)
    client.force_login(org.lead)
    with run_jobs():
        client.post(reverse("reinforcement:spacing_defaults", args=[fitted.pk]))
    job = RescheduleJob.objects.latest("id")
    assert job.status == "failed" and job.finished_at
    assert job.note.startswith("Stopped: could not write the cards: disk full")
    assert len(job.note) <= 300 and job.note.endswith("start it again.")
    assert schedule() == dues
    page = client.get(reverse("reinforcement:rules", args=[fitted.pk])).content.decode()
    assert "Rescheduling failed" in page and "disk full" in page and "Reschedule again" in page

    monkeypatch.undo()
    with run_jobs():
        response = client.post(reverse("reinforcement:spacing_reschedule", args=[fitted.pk]))
    assert response.status_code == 302
    retry = RescheduleJob.objects.latest("id")
    assert (retry.trigger, retry.status, retry.policy_version) == ("retry", "succeeded", job.policy_version)
    assert_replayed_under_current_policy(fitted)


def test_starting_again_while_a_job_of_the_policy_is_queued_starts_nothing(client, org, fitted):
    client.force_login(org.lead)
    client.post(reverse("reinforcement:spacing_defaults", args=[fitted.pk]))  # queued, never run here
    response = client.post(reverse("reinforcement:spacing_reschedule", args=[fitted.pk]), follow=True)
    assert "already being rescheduled" in response.content.decode()
    assert RescheduleJob.objects.filter(status="queued").count() == 1


def test_a_newer_policy_wins_over_a_job_still_running(fitted, monkeypatch):
    """The weights change again after the first batch: the running job stops as superseded
    without writing another batch, and the newer job reschedules every card."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rescheduling, "_enqueue", lambda job_id: None)
        old = fitting.program_spacing_reset(program=fitted)
    before = schedule()
    batches = []
    real_batch = rescheduling._batch

    def change_after_the_first_batch(job, card_ids, *, done, now):
        written = real_batch(job, card_ids, done=done, now=now)
        batches.append((job.pk, written))
        if len(batches) == 1:  # the lead shortens the maximum interval meanwhile
            with pytest.MonkeyPatch.context() as inner:
                inner.setattr(rescheduling, "_enqueue", lambda job_id: None)
                rules_save(program=Program.objects.get(pk=fitted.pk), maximum_interval_days=20)
        return written

    monkeypatch.setattr(rescheduling, "_batch", change_after_the_first_batch)
    rescheduling.reschedule_job_run(job_id=old.pk, batch_size=60)
    old.refresh_from_db()
    assert (old.status, old.processed, old.total) == ("superseded", 60, 180)
    assert "policy changed again" in old.note
    assert batches == [(old.pk, True), (old.pk, False)]
    first_batch = sorted(before)[:60]
    after = schedule()
    assert all(after[pk] == before[pk] for pk in before if pk not in first_batch)  # no later batch

    newer = RescheduleJob.objects.latest("id")
    assert (newer.trigger, newer.status, newer.policy_version) == ("rules", "queued", old.policy_version + 1)
    rescheduling.reschedule_job_run(job_id=newer.pk, batch_size=60)
    newer.refresh_from_db()
    assert (newer.status, newer.processed) == ("succeeded", 180)
    assert_replayed_under_current_policy(fitted)
    far = timezone.now() + timedelta(days=21)
    assert not Card.objects.filter(program=fitted, retired_at__isnull=True, due_at__gt=far).exists()


def test_a_job_still_queued_is_superseded_at_once_and_its_task_does_nothing(client, org, fitted):
    client.force_login(org.lead)
    client.post(reverse("reinforcement:spacing_defaults", args=[fitted.pk]))
    first = RescheduleJob.objects.latest("id")
    client.post(reverse("reinforcement:spacing_resume", args=[fitted.pk]))
    rules = ReinforcementRules.for_program(fitted)
    data = {k: v for k, v in RulesForm(instance=rules).initial.items() if v is not None}
    saved = client.post(reverse("reinforcement:rules", args=[fitted.pk]), {**data, "retention_max": 0.93})
    assert saved.status_code == 302, saved.content.decode()
    second = RescheduleJob.objects.latest("id")
    first.refresh_from_db()
    assert (first.status, second.status, second.trigger) == ("superseded", "queued", "rules")
    assert second.policy_version == first.policy_version + 1
    dues = schedule()
    tasks.reschedule_cards(first.pk)  # its task arrives late
    first.refresh_from_db()
    assert first.status == "superseded" and first.started_at is None
    assert schedule() == dues


def test_a_shorter_maximum_interval_on_the_rules_page_reschedules_in_the_background(
    client, org, fitted, eager_celery, django_capture_on_commit_callbacks
):
    far = timezone.now() + timedelta(days=6)
    waiting = Card.objects.filter(program=fitted, retired_at__isnull=True)
    assert waiting.filter(due_at__gt=far).exists()
    before = schedule()
    rules = ReinforcementRules.for_program(fitted)
    data = {k: v for k, v in RulesForm(instance=rules).initial.items() if v is not None}
    client.force_login(org.lead)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            reverse("reinforcement:rules", args=[fitted.pk]), {**data, "maximum_interval_days": 5}
        )
    assert response.status_code == 302
    assert schedule() == before
    job = RescheduleJob.objects.latest("id")
    assert (job.trigger, job.status, job.created_by) == ("rules", "queued", org.lead)
    for callback in queued:
        callback()
    job.refresh_from_db()
    assert job.status == "succeeded"
    assert not waiting.filter(due_at__gt=far).exists()
    assert_replayed_under_current_policy(fitted)


def test_saving_rules_that_leave_the_policy_alone_starts_no_job(client, org, fitted):
    rules = ReinforcementRules.for_program(fitted)
    data = {k: v for k, v in RulesForm(instance=rules).initial.items() if v is not None}
    client.force_login(org.lead)
    response = client.post(reverse("reinforcement:rules", args=[fitted.pk]), {**data, "pass_score": 75})
    assert response.status_code == 302
    assert RescheduleJob.objects.count() == 1  # only the fit's


def test_a_lost_job_is_ended_by_the_reaper_and_the_page_says_so(client, org, fitted, settings):
    settings.JOB_TIMEOUT_SECONDS = 30 * 60
    client.force_login(org.lead)
    client.post(reverse("reinforcement:spacing_defaults", args=[fitted.pk]))
    lost = RescheduleJob.objects.latest("id")
    long_ago = timezone.now() - timedelta(minutes=45)
    RescheduleJob.objects.filter(pk=lost.pk).update(
        status="running", started_at=long_ago, created_at=long_ago
    )
    assert jobs_reap() == 1
    lost.refresh_from_db()
    assert lost.status == "failed" and "some questions may still follow the earlier policy" in lost.note
    page = client.get(reverse("reinforcement:rules", args=[fitted.pk])).content.decode()
    assert "Rescheduling failed" in page and "Reschedule again" in page


def test_with_the_broker_down_and_the_pool_full_the_job_fails_with_a_reason(
    client, org, fitted, monkeypatch, django_capture_on_commit_callbacks
):
    from rolloutplanner import background

    def broker_down(*args, **kwargs):
        raise OperationalError("connection refused")

    class Full:
        def submit(self, *args):
            return False

    monkeypatch.setattr(tasks.reschedule_cards, "delay", broker_down)
    monkeypatch.setattr(background, "runner", lambda: Full())
    client.force_login(org.lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reinforcement:spacing_defaults", args=[fitted.pk]))
    job = RescheduleJob.objects.latest("id")
    assert job.status == "failed" and "task queue is unreachable" in job.note


@pytest.mark.parametrize("who", ["seller", "manager", "executive"])
def test_only_leads_start_a_rescheduling(client, org, fitted, who):
    version = ProgramSpacing.objects.get(program=fitted).policy_version
    client.force_login(getattr(org, who))
    rules = ReinforcementRules.for_program(fitted)
    data = {k: v for k, v in RulesForm(instance=rules).initial.items() if v is not None}
    for url, body in (
        (reverse("reinforcement:spacing_defaults", args=[fitted.pk]), {}),
        (reverse("reinforcement:spacing_reschedule", args=[fitted.pk]), {}),
        (reverse("reinforcement:rules", args=[fitted.pk]), {**data, "retention_max": 0.93}),
    ):
        assert client.post(url, body).status_code == 403
    assert RescheduleJob.objects.count() == 1
    assert ProgramSpacing.objects.get(program=fitted).policy_version == version
    # The API reads programs only: no way around the pages to change the policy.
    api = client.patch(
        f"/api/programs/{fitted.pk}/", {"spacing": {"params": {}}}, content_type="application/json"
    )
    assert api.status_code in (403, 405)
    assert ProgramSpacing.objects.get(program=fitted).policy_version == version


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_change_of_policy_waits_for_the_batch_in_flight(fitted, monkeypatch):
    """Two workers: the old job holds the policy row while it writes a batch, so the change
    waits for it, and every batch written after the change is the newer job's."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL only (SQLite runs one writer at a time anyway)")
    monkeypatch.setattr(rescheduling, "_enqueue", lambda job_id: None)
    old = fitting.program_spacing_reset(program=fitted)
    in_batch, go = threading.Event(), threading.Event()
    real_write = rescheduling.write_cards

    def paused_write(cards):
        if not in_batch.is_set():
            in_batch.set()
            assert go.wait(30)
        real_write(cards)

    monkeypatch.setattr(rescheduling, "write_cards", paused_write)

    def in_thread(func):
        def run():
            try:
                func()
            finally:
                connections.close_all()

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    worker = in_thread(lambda: rescheduling.reschedule_job_run(job_id=old.pk, batch_size=60))
    assert in_batch.wait(30)
    lead = in_thread(lambda: rules_save(program=Program.objects.get(pk=fitted.pk), maximum_interval_days=20))
    lead.join(1.5)
    assert lead.is_alive()  # waiting for the batch in flight
    go.set()
    lead.join(30)
    newer = RescheduleJob.objects.latest("id")
    assert newer.trigger == "rules" and newer.policy_version == old.policy_version + 1
    rescheduling.reschedule_job_run(job_id=newer.pk, batch_size=60)
    worker.join(30)
    assert not worker.is_alive()
    old.refresh_from_db()
    newer.refresh_from_db()
    assert old.status in {"superseded", "succeeded"} and newer.status == "succeeded"
    assert_replayed_under_current_policy(fitted)
