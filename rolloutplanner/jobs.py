"""Background jobs always end: a job whose worker died is marked failed after a timeout.

A job model qualifies when it has `status` (with QUEUED, RUNNING and FAILED), `created_at`,
`started_at`, `finished_at` and either an `errors` JSON list of {"row", "column", "message"} or a
`note` text (then its `lost_message` is written there). Add its
label to JOB_MODELS and the reaper (beat every five minutes, and on every look at a job page
through `job_reap_if_stale`) ends it as failed once it has been queued or running for longer
than JOB_TIMEOUT_SECONDS.
"""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

JOB_MODELS = ["cohorts.ImportJob", "accounts.InvitationJob", "reinforcement.RescheduleJob"]
LOST_MESSAGE = (
    "The job stopped without finishing (its worker was lost or it ran past {minutes} minutes); "
    "nothing was imported. Upload the file again."
)


class JobProgress:
    """`is_finished` and `percent` (for the progress bar) of a job model with `status` and two
    counters, named by `progress_fields` (done, total). A plain mixin: no fields, no migration."""

    progress_fields = ("processed", "total")

    @property
    def is_finished(self):
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def percent(self):
        if self.is_finished:
            return 100
        done, total = (getattr(self, name) for name in self.progress_fields)
        return min(100, int(100 * done / total)) if total else 0


def failure_note(exc, *, model, advice, field="note"):
    """The reason `Stopped: <exc>` and `advice`, cut to fit `model.field` and without NUL characters: a value
    too long, or with a NUL (PostgreSQL refuses it in text), would make the FAILED update fail
    too and leave the job running until the reaper."""
    limit = model._meta.get_field(field).max_length - len(advice)
    return f"Stopped: {exc}".replace("\x00", "")[:limit] + advice


def _stale(model, now):
    cutoff = now - timedelta(seconds=settings.JOB_TIMEOUT_SECONDS)
    Status = model.Status
    return Q(status=Status.RUNNING, started_at__lt=cutoff) | Q(status=Status.QUEUED, created_at__lt=cutoff)


def _fail(queryset, model, now):
    message = getattr(model, "lost_message", LOST_MESSAGE).format(minutes=settings.JOB_TIMEOUT_SECONDS // 60)
    if any(field.name == "errors" for field in model._meta.get_fields()):
        reason = {"errors": [{"row": 0, "column": "", "message": message}]}
    else:
        reason = {"note": message[: model._meta.get_field("note").max_length]}
    return queryset.update(status=model.Status.FAILED, finished_at=now, **reason)


def jobs_reap(*, now=None):
    """End every stale job of every job model as failed; returns how many."""
    now = now or timezone.now()
    reaped = 0
    for label in JOB_MODELS:
        model = apps.get_model(label)
        reaped += _fail(model.objects.filter(_stale(model, now)), model, now)
    return reaped


def job_reap_if_stale(job, *, now=None):
    """End this one job as failed if it is stale (a page showing it calls this); returns the job."""
    now = now or timezone.now()
    model = type(job)
    if _fail(model.objects.filter(_stale(model, now), pk=job.pk), model, now):
        job.refresh_from_db()
    return job
