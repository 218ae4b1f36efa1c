"""Issue 11.4 and 11.5: imports never run inside the request when the broker is down, and
every job ends (done, or failed with a reason), even when its worker dies."""

import threading
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from cohorts.models import ImportJob, Person
from rolloutplanner.background import BoundedRunner, runner
from rolloutplanner.jobs import jobs_reap
from rolloutplanner.tasks import reap_stale_jobs

CSV = (
    b"email,first_name,last_name,manager_email,team\n"
    b"boss@x.com,Bea,Boss,,Team Z\n"
    b"rep@x.com,Rex,Rep,boss@x.com,Team Z\n"
)


def job(status, age_minutes):
    at = timezone.now() - timedelta(minutes=age_minutes)
    created = ImportJob.objects.create(file_name="org.csv", content=CSV, status=status)
    ImportJob.objects.filter(pk=created.pk).update(created_at=at, started_at=at)
    return created


@pytest.mark.django_db
def test_jobs_whose_worker_died_end_as_failed_after_the_timeout(settings):
    settings.JOB_TIMEOUT_SECONDS = 30 * 60
    dead = job(ImportJob.Status.RUNNING, 45)
    lost = job(ImportJob.Status.QUEUED, 45)
    busy = job(ImportJob.Status.RUNNING, 5)
    assert reap_stale_jobs() == 2
    for stale in (dead, lost):
        stale.refresh_from_db()
        assert stale.status == ImportJob.Status.FAILED and stale.finished_at
        assert "stopped without finishing" in stale.errors[0]["message"]
    busy.refresh_from_db()
    assert busy.status == ImportJob.Status.RUNNING
    assert jobs_reap() == 0


@pytest.mark.django_db
def test_the_job_page_shows_a_dead_job_as_failed(client, org):
    dead = job(ImportJob.Status.RUNNING, 120)
    client.force_login(org.lead)
    page = client.get(reverse("cohorts:import_progress", args=[dead.pk])).content.decode()
    assert "Rejected" in page and "stopped without finishing" in page
    assert "hx-get" not in page


def test_the_reaper_is_on_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "rolloutplanner.tasks.reap_stale_jobs" in tasks


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_import_runs_in_a_background_thread(client, org, monkeypatch):
    from cohorts import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("connection refused")

    ran_in = []
    real = tasks.org_import_run_safely

    def spy(*, job_id):
        ran_in.append(threading.current_thread().name)
        return real(job_id=job_id)

    monkeypatch.setattr(tasks.import_org_chart, "delay", broker_down)
    monkeypatch.setattr(tasks, "org_import_run_safely", spy)
    client.force_login(org.lead)
    upload = SimpleUploadedFile("org.csv", CSV, "text/csv")
    response = client.post(reverse("cohorts:import"), {"file": upload})
    assert response.status_code == 302
    runner().wait_idle(timeout=60)
    imported = ImportJob.objects.get()
    assert imported.status == ImportJob.Status.SUCCEEDED
    assert "background" in imported.note
    assert ran_in and ran_in[0].startswith("background-job")
    assert Person.objects.get(email="rep@x.com").manager.email == "boss@x.com"


def test_the_background_pool_is_bounded():
    pool = BoundedRunner(threads=1, capacity=2)
    release = threading.Event()
    assert pool.submit(release.wait, 10)
    assert pool.submit(release.wait, 10)
    assert not pool.submit(release.wait, 10)  # full: the caller is told, nothing starts
    release.set()
    pool.wait_idle(timeout=10)
    assert pool.submit(lambda: None)
    pool.wait_idle(timeout=10)
