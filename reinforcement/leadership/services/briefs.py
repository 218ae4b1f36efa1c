"""The weekly leadership brief's outbox: plan one row per program, week and recipient; claim rows
under a lease; deliver each once; hand lost leases back.

Like the nudge outbox (reinforcement.services.nudges): rows are durable, planning twice adds
nothing (unique program + week + recipient), a claim is a conditional UPDATE (plus SKIP LOCKED
on PostgreSQL), and delivery only sends rows still claimed under the caller's token.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from programs.models import Program
from reinforcement.measurement.selectors import FiguresPending, ProgramNotLaunched
from rolloutplanner.outbox import lease_claim, lease_reap
from rolloutplanner.roles import Role

from ..models import BriefDelivery
from ..rules import monday
from ..selectors import brief_for

MAX_ATTEMPTS = 5
NOT_LAUNCHED = object()  # brief_for's answer for a program taken back before its brief went out


def brief_recipients(program):
    """The program's lead (its owner) and every active executive with an e-mail address."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return users.filter(pk=program.owner_id) | users.filter(groups__name=Role.EXECUTIVE.label)


def briefs_plan(*, now=None):
    """One pending row per launched program and recipient for this week; returns rows new or not."""
    now = now or timezone.now()
    week = monday(timezone.localdate(now))
    rows = [
        BriefDelivery(program=program, week=week, recipient_id=user_id, created_at=now)
        for program in Program.objects.filter(status=Program.Status.LAUNCHED)
        for user_id in brief_recipients(program).values_list("pk", flat=True).distinct()
    ]
    BriefDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def briefs_claim(*, now=None, limit=100, lease_seconds=None):
    """Claim up to `limit` pending rows under a fresh lease; returns (token, ids)."""
    now = now or timezone.now()
    lease_seconds = lease_seconds or getattr(settings, "NUDGE_LEASE_SECONDS", 300)
    due = BriefDelivery.objects.filter(status=BriefDelivery.Status.PENDING).order_by("id")
    return lease_claim(due, now=now, limit=limit, lease_seconds=lease_seconds)


def briefs_release(*, lease_token):
    """Hand claimed rows back at once (the broker refused the task)."""
    return BriefDelivery.objects.filter(lease_token=lease_token, status=BriefDelivery.Status.CLAIMED).update(
        status=BriefDelivery.Status.PENDING, lease_token=None, lease_expires_at=None
    )


def briefs_reap(*, now=None, max_attempts=MAX_ATTEMPTS):
    """Return claims whose lease ran out (a worker died) to pending; give up after `max_attempts`."""
    return lease_reap(BriefDelivery, now=now or timezone.now(), max_attempts=max_attempts)


def brief_url(program, week):
    return f"{settings.SITE_URL}{reverse('leadership:brief', args=[program.pk])}?week={week.isoformat()}"


def brief_message(row, brief):
    context = {**brief, "recipient": row.recipient, "url": brief_url(row.program, row.week)}
    subject = render_to_string("leadership/email/brief_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("leadership/email/brief.txt", context),
        to=[row.recipient.email],
        headers={"Message-ID": row.message_id},
    )
    message.attach_alternative(render_to_string("leadership/email/brief.html", context), "text/html")
    return message


def briefs_deliver(*, ids, lease_token, connection=None):
    """Send the claimed rows (figures computed once per program); returns how many were sent.

    Safe to run twice: only rows still claimed under `lease_token` are sent, and they are
    locked while sending. A crash between the send and the commit can repeat an e-mail (same
    Message-ID) but never records a row as sent twice.
    """
    now = timezone.now()
    with transaction.atomic():
        qs = BriefDelivery.objects.filter(
            id__in=ids, status=BriefDelivery.Status.CLAIMED, lease_token=lease_token
        )
        if db_connection.features.has_select_for_update:
            qs = qs.select_for_update(of=("self",))
        rows = list(qs.select_related("program", "recipient").order_by("program_id", "id"))
        if not rows:
            return 0
        briefs = {}
        for row in rows:
            if row.program_id not in briefs:
                # As of today for this week's brief; as of its Sunday for a late one.
                as_of = min(row.week + timedelta(days=6), timezone.localdate(now))
                try:
                    briefs[row.program_id] = brief_for(row.program, today=as_of)
                except ProgramNotLaunched:
                    briefs[row.program_id] = NOT_LAUNCHED
                except FiguresPending:
                    briefs[row.program_id] = None
        # A program taken back before launch after its brief was planned: nothing to report.
        taken_back = [r.pk for r in rows if briefs[r.program_id] is NOT_LAUNCHED]
        BriefDelivery.objects.filter(id__in=taken_back).update(
            status=BriefDelivery.Status.FAILED,
            lease_token=None,
            lease_expires_at=None,
            last_error="The program has not launched: it has no brief.",
        )
        rows = [r for r in rows if briefs[r.program_id] is not NOT_LAUNCHED]
        # A big program whose figures are not computed yet: this week's brief tries again on a
        # later run (the snapshot job will catch up); a past week's brief never reads snapshots,
        # so it would wait for ever: it fails with the reason instead.
        this_week = monday(timezone.localdate(now))
        waiting = [r for r in rows if briefs[r.program_id] is None]
        BriefDelivery.objects.filter(id__in=[r.pk for r in waiting if r.week >= this_week]).update(
            status=BriefDelivery.Status.PENDING,
            lease_token=None,
            lease_expires_at=None,
            last_error="Waiting for the dashboard figures to be computed.",
        )
        BriefDelivery.objects.filter(id__in=[r.pk for r in waiting if r.week < this_week]).update(
            status=BriefDelivery.Status.FAILED,
            lease_token=None,
            lease_expires_at=None,
            last_error="The program is too big to compute past figures live and its week is over.",
        )
        rows = [r for r in rows if briefs[r.program_id] is not None]
        if not rows:
            return 0
        (connection or get_connection()).send_messages(
            [brief_message(row, briefs[row.program_id]) for row in rows]
        )
        BriefDelivery.objects.filter(id__in=[r.pk for r in rows]).update(
            status=BriefDelivery.Status.SENT,
            sent_at=now,
            lease_token=None,
            lease_expires_at=None,
            last_error="",
        )
    return len(rows)


def briefs_record_failure(*, ids, lease_token, error):
    BriefDelivery.objects.filter(id__in=ids, lease_token=lease_token).update(last_error=str(error)[:500])
