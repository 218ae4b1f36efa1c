"""Invitations: an e-mail with a single-use, expiring link to set a first password.

One person at a time (resend from the users page) or many in a background job with
progress (`InvitationJob`). Who can be invited: active people whose login has never been used
and has no password yet. A job skips people already invited unless asked to send again, and
a re-run of the same job never writes to the same person twice.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cohorts.models import CohortMember, Person
from cohorts.services.queue import enqueue_or_run
from rolloutplanner.jobs import failure_note

from .models import Account, InvitationJob, new_key
from .services import AccountError, accounts_provision, current_roles
from .tokens import invitation_tokens

logger = logging.getLogger(__name__)

CHUNK = 500
STALE_AFTER = timedelta(minutes=35)


def invitable(people):
    """Those of `people` who may get an invitation: active, and no password or sign-in yet."""
    return people.filter(is_active=True).filter(
        Q(user__isnull=True)
        | Q(
            user__is_active=True,
            user__last_login__isnull=True,
            user__password__startswith=UNUSABLE_PASSWORD_PREFIX,
        )
    )


def invitation_url(user, link_key=None, *, pattern=None):
    """The set-password link for `user`; `pattern` (from `welcome_url_pattern`) saves a reverse()
    per link when making many."""
    if link_key is not None:
        user._link_key = link_key
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    pattern = pattern or welcome_url_pattern()
    return pattern.replace("UID", uid).replace("TOKEN", invitation_tokens.make_token(user))


def welcome_url_pattern():
    return settings.SITE_URL + reverse("accounts:welcome", args=["UID", "TOKEN"])


def invitation_message(*, person, user, url, role, invited_by=None):
    context = {
        "person": person,
        "url": url,
        "role": role.label if role else "",
        "username": user.username,
        "invited_by": invited_by.get_full_name() or invited_by.username if invited_by else "",
        "expires_days": settings.INVITATION_LINK_MAX_AGE_DAYS,
        "login_url": settings.SITE_URL + reverse("login"),
    }
    subject = render_to_string("accounts/emails/invitation_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("accounts/emails/invitation.txt", context),
        to=[person.email],
    )
    message.attach_alternative(render_to_string("accounts/emails/invitation.html", context), "text/html")
    return message


def _mark_invited(person_ids, *, by, job=None):
    Account.objects.filter(person_id__in=person_ids).update(
        invited_at=timezone.now(),
        invited_by=by,
        invitation_count=F("invitation_count") + 1,
        invitation_job=job,
        invitation_revoked_at=None,
    )


@transaction.atomic
def invitation_send(*, person: Person, by):
    """Invite (or invite again) one person; the new link works, links sent before keep working
    until a password is set, they expire, or the invitation is revoked."""
    if not invitable(Person.objects.filter(pk=person.pk)).exists():
        raise AccountError(f"{person} cannot be invited: deactivated, or already has a password.")
    user = accounts_provision(people=[person], by=by)[person.pk]
    _mark_invited([person.pk], by=by)
    account = Account.objects.get(person=person)
    message = invitation_message(
        person=person,
        user=user,
        url=invitation_url(user, account.link_key),
        role=current_roles([user.pk]).get(user.pk),
        invited_by=by,
    )
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as exc:  # nothing is recorded: the transaction rolls back
        raise AccountError(f"The invitation to {person} could not be sent ({exc}); try again later.") from exc
    return account


@transaction.atomic
def invitation_revoke(*, person: Person, by=None):
    """Kill every invitation link sent to the person (a new key goes into future links)."""
    account = Account.objects.filter(person=person).first()
    if account is None or not account.invitation_open:
        raise AccountError(f"{person} has no open invitation.")
    account.link_key = new_key()
    account.invitation_revoked_at = timezone.now()
    account.save(update_fields=["link_key", "invitation_revoked_at"])
    return account


# ---------------------------------------------------------------- jobs
def invitation_job_start(*, user, scope, program=None, cohort=None, person_ids=(), include_invited=False):
    """Record an invitation job and queue it once the transaction commits (or run it here
    when the task queue is unreachable)."""
    job = InvitationJob.objects.create(
        created_by=user,
        scope=scope,
        program=program,
        cohort=cohort,
        person_ids=sorted({int(pk) for pk in person_ids}),
        include_invited=include_invited,
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id):
    from .tasks import send_invitations

    if not enqueue_or_run(send_invitations, job_id):
        InvitationJob.objects.filter(pk=job_id).update(
            note="The task queue was unreachable, so the invitations went out right away."
        )


def job_people(job):
    """Everyone the job is about (active or not; `invitable` narrows it down)."""
    people = Person.objects.all()
    confirmed = CohortMember.Status.CONFIRMED
    if job.scope == InvitationJob.Scope.PROGRAM and job.program_id is None:
        raise AccountError("the program was deleted after the job was started.")
    if job.scope == InvitationJob.Scope.COHORT and job.cohort_id is None:
        raise AccountError("the cohort was deleted after the job was started.")
    if job.scope == InvitationJob.Scope.PROGRAM:
        people = people.filter(memberships__program_id=job.program_id, memberships__status=confirmed)
    elif job.scope == InvitationJob.Scope.COHORT:
        people = people.filter(memberships__cohort_id=job.cohort_id, memberships__status=confirmed)
    elif job.scope == InvitationJob.Scope.SELECTION:
        people = people.filter(pk__in=job.person_ids)
    return people


def invitation_job_run(*, job_id):
    """Send a job's invitations in chunks, updating its progress; safe to call twice.

    Always ends: SUCCEEDED with counts, or FAILED with the reason in `note`. A job that no
    longer exists (deleted, or a bad id) is nothing to do: returns None.
    """
    stale = timezone.now() - STALE_AFTER
    claimable = Q(status=InvitationJob.Status.QUEUED) | Q(
        status=InvitationJob.Status.RUNNING, started_at__lt=stale
    )
    if not InvitationJob.objects.filter(claimable, pk=job_id).update(
        status=InvitationJob.Status.RUNNING, started_at=timezone.now()
    ):
        return InvitationJob.objects.filter(pk=job_id).first()
    job = InvitationJob.objects.select_related("created_by").get(pk=job_id)
    try:
        ids = list(job_people(job).order_by("pk").values_list("pk", flat=True).distinct())
        InvitationJob.objects.filter(pk=job_id).update(total=len(ids))
        connection = get_connection()
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            sent = _send_chunk(job, chunk, connection)
            InvitationJob.objects.filter(pk=job_id).update(
                processed=start + len(chunk),
                sent_count=F("sent_count") + sent,
                skipped_count=F("skipped_count") + len(chunk) - sent,
            )
    except Exception as exc:
        logger.exception("Invitation job %s failed", job_id)
        InvitationJob.objects.filter(pk=job_id).update(
            status=InvitationJob.Status.FAILED,
            finished_at=timezone.now(),
            note=_failure_note(exc),
        )
    else:
        InvitationJob.objects.filter(pk=job_id).update(
            status=InvitationJob.Status.SUCCEEDED, finished_at=timezone.now()
        )
    return InvitationJob.objects.filter(pk=job_id).first()


def _failure_note(exc):
    advice = " Invitations already sent stay sent; start the job again."
    return failure_note(exc, model=InvitationJob, advice=advice)


@transaction.atomic
def _send_chunk(job, person_ids, connection):
    people = invitable(Person.objects.filter(pk__in=person_ids)).select_related("user", "account")
    chosen = []
    for person in people:
        account = getattr(person, "account", None)
        if account is not None and account.invitation_job_id == job.pk:
            continue  # this job already wrote to them (a re-run)
        if account is not None and account.invitation_open and not job.include_invited:
            continue
        chosen.append(person)
    if not chosen:
        return 0
    users = accounts_provision(people=chosen, by=job.created_by)
    _mark_invited([p.pk for p in chosen], by=job.created_by, job=job)
    keys = dict(
        Account.objects.filter(person_id__in=[p.pk for p in chosen]).values_list("person_id", "link_key")
    )
    roles = current_roles([u.pk for u in users.values()])
    pattern = welcome_url_pattern()
    messages = [
        invitation_message(
            person=person,
            user=users[person.pk],
            url=invitation_url(users[person.pk], keys[person.pk], pattern=pattern),
            role=roles.get(users[person.pk].pk),
            invited_by=job.created_by,
        )
        for person in chosen
    ]
    connection.send_messages(messages)
    return len(messages)
