"""Team reinforcement sessions: schedule from a kit (inviting the team), record who came."""

import logging
from zoneinfo import ZoneInfo

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ..calendars import session_ics
from ..models import TeamSession

logger = logging.getLogger(__name__)


def team_session_schedule(*, manager, program_skill, starts_at, ends_at, time_zone, where, invitees, user):
    """Create the session and e-mail every invitee an invitation with the .ics attached.

    The session is kept even when the mail server refuses the invitations: it then has no
    `invited_at`, and its page offers to send them again.
    """
    with transaction.atomic():
        session = TeamSession.objects.create(
            program=program_skill.program,
            program_skill=program_skill,
            manager=manager,
            starts_at=starts_at,
            ends_at=ends_at,
            time_zone=time_zone,
            where=where,
            created_by=user,
        )
        session.invitees.set(invitees)
    team_session_invite(session=session)
    return session


def team_session_invite(*, session):
    """Send the invitations once (the session's `invited_at` is claimed first)."""
    if not TeamSession.objects.filter(pk=session.pk, invited_at__isnull=True).update(
        invited_at=timezone.now()
    ):
        return 0
    local = ZoneInfo(session.time_zone)
    ics = session_ics(session)
    context = {
        "session": session,
        "skill": session.program_skill.skill.name,
        "program": session.program,
        "manager": session.manager,
        "starts": session.starts_at.astimezone(local),
        "ends": session.ends_at.astimezone(local),
    }
    messages = []
    for person in session.invitees.all():
        ctx = {**context, "person": person}
        subject = render_to_string("leadership/email/session_invite_subject.txt", ctx).strip()
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("leadership/email/session_invite.txt", ctx),
            to=[person.email],
            reply_to=[session.manager.email],
        )
        message.attach_alternative(render_to_string("leadership/email/session_invite.html", ctx), "text/html")
        message.attach("team-session.ics", ics, "text/calendar; method=REQUEST")
        messages.append(message)
    try:
        if messages:
            get_connection().send_messages(messages)
    except Exception:  # SMTP down or refusing: hand the claim back so the manager can retry
        logger.exception("Invitations of team session %s could not be sent", session.pk)
        TeamSession.objects.filter(pk=session.pk).update(invited_at=None)
        return None
    return len(messages)


def team_session_record(*, session, attendees, note):
    """Record who came and a short note; from then on the session counts as held."""
    session.attendees.set(attendees)
    session.note = note
    session.recorded_at = timezone.now()
    session.save(update_fields=["note", "recorded_at"])
    return session
