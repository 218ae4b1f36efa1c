"""Bench figure of invitations (run by `manage.py bench`): one job inviting 10,000 people.

Creates its own 10,000 people (so it runs alone or after the other modules), then runs the
invitation job in-process as a worker would: logins created, roles given, e-mails rendered
(HTML and text) and handed to the locmem backend in chunks.
"""

from django.core import mail
from django.test.utils import override_settings

from cohorts.models import Person

from .invitations import invitation_job_run
from .models import InvitationJob

INVITED = 10_000
TARGET_SECONDS = 60


def bench(out, **_):
    from rolloutplanner.management.commands.bench import Figure, stopwatch

    Person.objects.bulk_create(
        [
            Person(first_name=f"Invitee{n}", last_name="Bench", email=f"invitee{n:05d}@invite.bench.example")
            for n in range(INVITED)
        ],
        batch_size=5000,
    )
    ids = list(Person.objects.filter(email__endswith="@invite.bench.example").values_list("pk", flat=True))
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        mail.outbox = []
        job = InvitationJob.objects.create(scope=InvitationJob.Scope.SELECTION, person_ids=ids)
        with stopwatch() as took:
            job = invitation_job_run(job_id=job.pk)
        sent = len(mail.outbox)
        mail.outbox = []
    if job.status != InvitationJob.Status.SUCCEEDED or sent != INVITED:
        raise RuntimeError(f"Invitation bench failed: {job.status} {job.note} ({sent} e-mails)")
    out.write(f"Invitations: {sent:,} sent in {took['seconds']:.1f} s ({sent / took['seconds']:.0f}/s)")
    return [Figure(f"invitation job for {INVITED:,} people", took["seconds"], "s", TARGET_SECONDS)]
