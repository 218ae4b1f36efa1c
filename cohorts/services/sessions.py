"""Sessions, seats and attendance: scheduling, enrollment with a waitlist, no-show follow-up,
invitations by e-mail."""

import logging
from collections import Counter
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ..calendars import calendar_bytes, feed_url
from ..models import Cohort, CohortMember, Enrollment, Location, Session, Wave
from .planning import is_eligible, upcoming_seats_cancel
from .queue import enqueue_or_run

logger = logging.getLogger(__name__)


def _next_workday(day):
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@transaction.atomic
def sessions_schedule(
    *,
    program,
    first_day,
    start_time=time(9, 0),
    duration_minutes=180,
    per_day=2,
    mode=Session.Mode.VIRTUAL,
    meeting_url="",
    trainer=None,
    wave_gap_days=14,
    include_holdout=False,
):
    """Give every cohort without sessions one session, in plan order, and enroll its members.

    Up to `per_day` sessions run on each working day from `first_day` (a managers' cohort on
    a day of its own, so managers train before their reports), at `start_time` in
    the cohort's own time zone (its location's when in person, else its members' most common
    one). A wave starts `wave_gap_days` after the previous one ends. Holdout waves wait for
    the pilot review unless `include_holdout`. Returns the sessions created.
    """
    cohorts = list(
        Cohort.objects.filter(program=program, sessions__isnull=True)
        .select_related("wave")
        .order_by("wave__number", "sequence", "pk")
    )
    if not include_holdout:
        cohorts = [c for c in cohorts if c.wave.kind != Wave.Kind.HOLDOUT]
    if not cohorts:
        return []
    members = CohortMember.objects.filter(
        cohort__in=cohorts, status=CohortMember.Status.CONFIRMED
    ).values_list("cohort_id", "person__time_zone", "person__location_id")
    zones, places = {}, {}
    for cohort_id, tz, location_id in members:
        zones.setdefault(cohort_id, Counter())[tz] += 1
        if location_id:
            places.setdefault(cohort_id, Counter())[location_id] += 1
    locations = Location.objects.in_bulk({loc for c in places.values() for loc in c})
    latest = Session.objects.filter(cohort__program=program).order_by("-starts_at").first()
    day = _next_workday(first_day)
    if latest and latest.starts_at.date() >= day:
        day = _next_workday(latest.starts_at.date() + timedelta(days=1))
    used_today, wave, previous = 0, None, None
    created = []
    for cohort in cohorts:
        if wave is not None and cohort.wave_id != wave:
            day = _next_workday(day + timedelta(days=max(wave_gap_days, 1)))
            used_today = 0
        elif used_today >= per_day or (used_today and (cohort.is_leaders or previous.is_leaders)):
            # Each managers' cohort gets a day of its own, before the next tier and their teams.
            day = _next_workday(day + timedelta(days=1))
            used_today = 0
        wave, previous = cohort.wave_id, cohort
        used_today += 1
        location = None
        if mode == Session.Mode.IN_PERSON and places.get(cohort.pk):
            location = locations[places[cohort.pk].most_common(1)[0][0]]
        if location is not None:
            tz_name = location.time_zone
        elif zones.get(cohort.pk):
            tz_name = sorted(zones[cohort.pk].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        else:
            tz_name = settings.TIME_ZONE
        starts = datetime.combine(day, start_time, tzinfo=ZoneInfo(tz_name))
        session = Session.objects.create(
            cohort=cohort,
            title=f"{program.name}: {cohort.name}",
            starts_at=starts,
            ends_at=starts + timedelta(minutes=duration_minutes),
            time_zone=tz_name,
            mode=mode,
            location=location,
            meeting_url=meeting_url if mode == Session.Mode.VIRTUAL else "",
            capacity=max(cohort.capacity, 1),
            trainer=trainer,
        )
        cohort_enroll(session=session)
        created.append(session)
    return created


def cohort_enroll(*, session):
    """Seat the cohort's confirmed members in `session` (waitlisting beyond capacity)."""
    people = CohortMember.objects.filter(
        cohort_id=session.cohort_id, status=CohortMember.Status.CONFIRMED
    ).exclude(person__enrollments__session=session)
    taken = session.enrollments.filter(status=Enrollment.Status.ENROLLED).count()
    rows = []
    for member in people.order_by("person__last_name", "person__first_name", "pk"):
        status = Enrollment.Status.ENROLLED if taken < session.capacity else Enrollment.Status.WAITLISTED
        taken += status == Enrollment.Status.ENROLLED
        rows.append(Enrollment(session=session, person_id=member.person_id, status=status))
    Enrollment.objects.bulk_create(rows)
    return rows


@transaction.atomic
def session_save(*, session):
    """Create or update a session from a validated form instance; new sessions seat the cohort.

    Returns the session and the enrollments moved to the waitlist because the capacity dropped
    below the seats taken (the latest seated move first), so the lead can be told who moved.
    """
    is_new = session.pk is None
    session.save()
    if is_new:
        cohort_enroll(session=session)
        return session, []
    moved = waitlist_overflow(session=session)
    waitlist_promote(session=session)
    return session, moved


def waitlist_overflow(*, session):
    """Move the seats beyond `session.capacity` to the front of the waitlist, last seated first.

    People already marked as attended keep their seat. Returns the moved enrollments.
    """
    session = Session.objects.select_for_update().get(pk=session.pk)
    seated = session.enrollments.filter(status=Enrollment.Status.ENROLLED)
    extra = seated.count() - session.capacity
    if extra <= 0:
        return []
    moved = list(
        seated.exclude(attendance=Enrollment.Attendance.ATTENDED)
        .select_related("person")
        .order_by("-created_at", "-pk")[:extra]
    )
    # The earliest created_at on the waitlist goes first: give the moved people that place.
    first_waiting = (
        session.enrollments.filter(status=Enrollment.Status.WAITLISTED).order_by("created_at").first()
    )
    front = first_waiting.created_at if first_waiting else timezone.now()
    for offset, enrollment in enumerate(reversed(moved), start=1):
        enrollment.status = Enrollment.Status.WAITLISTED
        enrollment.created_at = front - timedelta(seconds=offset)
    Enrollment.objects.bulk_update(moved, ["status", "created_at"])
    return moved


@transaction.atomic
def enrollment_add(*, session, person):
    """Give `person` a seat in `session`, or a place on its waitlist when it is full.

    The session row is locked so two sign-ups cannot take the last seat together.
    An earlier cancelled enrollment is reopened.
    """
    session = Session.objects.select_for_update().get(pk=session.pk)
    existing = Enrollment.objects.filter(session=session, person=person).first()
    if existing and existing.status != Enrollment.Status.CANCELLED:
        return existing
    taken = session.enrollments.filter(status=Enrollment.Status.ENROLLED).count()
    status = Enrollment.Status.ENROLLED if taken < session.capacity else Enrollment.Status.WAITLISTED
    if existing:
        existing.status, existing.invited_at = status, None
        existing.save(update_fields=["status", "invited_at"])
        return existing
    return Enrollment.objects.create(session=session, person=person, status=status)


@transaction.atomic
def enrollment_cancel(*, enrollment):
    """Give up a seat; the first person on the waitlist takes it."""
    enrollment.status = Enrollment.Status.CANCELLED
    enrollment.save(update_fields=["status"])
    waitlist_promote(session=enrollment.session)
    return enrollment


def waitlist_promote(*, session):
    """Fill free seats from the waitlist, first come first served. Returns the promoted rows."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    free = session.capacity - session.enrollments.filter(status=Enrollment.Status.ENROLLED).count()
    if free <= 0:
        return []
    promoted = list(
        session.enrollments.filter(status=Enrollment.Status.WAITLISTED).order_by("created_at", "pk")[:free]
    )
    Enrollment.objects.filter(pk__in=[e.pk for e in promoted]).update(status=Enrollment.Status.ENROLLED)
    return promoted


@transaction.atomic
def self_enroll(*, session, person):
    """Sign up for an open session: places the person in the program and in the session's cohort."""
    cohort = session.cohort
    if not is_eligible(person, cohort.program):
        raise ValueError("This program is for a different audience; ask your manager to nominate you.")
    member, created = CohortMember.objects.get_or_create(
        program_id=cohort.program_id,
        person=person,
        defaults={"cohort": cohort, "status": CohortMember.Status.CONFIRMED},
    )
    if not created and member.status == CohortMember.Status.DECLINED:
        raise ValueError("You are not part of this program.")
    if not created and member.cohort_id != cohort.pk:
        upcoming_seats_cancel(member)
        member.cohort = cohort
        member.status = CohortMember.Status.CONFIRMED
        member.save(update_fields=["cohort", "status"])
    return enrollment_add(session=session, person=person)


class AttendanceTooEarly(ValueError):
    """Attendance was marked for a session that has not started yet."""


@transaction.atomic
def attendance_mark(*, enrollment, attendance, user):
    """Record whether the person came. A no-show is offered a seat in a later session of the
    program and invited to it; returns that new enrollment (or None).

    Refused (AttendanceTooEarly) before the session starts: nobody counts as trained early.
    """
    if not enrollment.session.has_started and attendance != Enrollment.Attendance.UNMARKED:
        raise AttendanceTooEarly(
            f"{enrollment.session} starts on {enrollment.session.starts_at:%d %b %Y}: "
            "attendance can be marked once it has started."
        )
    enrollment.attendance = attendance
    enrollment.marked_by = user
    enrollment.marked_at = timezone.now()
    enrollment.save(update_fields=["attendance", "marked_by", "marked_at"])
    if attendance != Enrollment.Attendance.NO_SHOW:
        return None
    return no_show_reinvite(enrollment=enrollment)


def no_show_reinvite(*, enrollment):
    """Seat a no-show in the next session of the same program that has not started and has room
    (the waitlist of the next one when all are full), and invite them. None if there is no later session."""
    session = enrollment.session
    later = (
        Session.objects.filter(
            cohort__program_id=session.cohort.program_id,
            starts_at__gt=max(timezone.now(), session.ends_at),
        )
        .exclude(enrollments__person_id=enrollment.person_id)
        .select_related("cohort")
        .order_by("starts_at", "pk")
    )
    candidates = list(later[:50])
    if not candidates:
        return None
    seats = Counter(
        Enrollment.objects.filter(session__in=candidates, status=Enrollment.Status.ENROLLED).values_list(
            "session_id", flat=True
        )
    )
    target = next((s for s in candidates if seats[s.pk] < s.capacity), candidates[0])
    new = enrollment_add(session=target, person=enrollment.person)
    transaction.on_commit(lambda: invitations_send(enrollment_ids=[new.pk]))
    return new


def invitations_send(*, enrollment_ids=None, session=None, program_id=None):
    """E-mail an invitation (HTML and text, with the session as .ics) to everyone enrolled or
    waitlisted who has not been invited yet. Each row is claimed before sending, so running
    this twice never sends twice. Returns the number of e-mails sent."""
    rows = Enrollment.objects.filter(invited_at__isnull=True).exclude(status=Enrollment.Status.CANCELLED)
    if enrollment_ids is not None:
        rows = rows.filter(pk__in=enrollment_ids)
    if session is not None:
        rows = rows.filter(session=session)
    if program_id is not None:
        rows = rows.filter(session__cohort__program_id=program_id)
    sent = 0
    for enrollment in rows.select_related("person", "session__cohort__program", "session__location"):
        claimed = Enrollment.objects.filter(pk=enrollment.pk, invited_at__isnull=True).update(
            invited_at=timezone.now()
        )
        if not claimed:
            continue
        _send_invitation(enrollment)
        sent += 1
    return sent


def _send_invitation(enrollment):
    session, person = enrollment.session, enrollment.person
    local = ZoneInfo(session.time_zone)
    context = {
        "person": person,
        "session": session,
        "program": session.cohort.program,
        "enrollment": enrollment,
        "starts": session.starts_at.astimezone(local),
        "ends": session.ends_at.astimezone(local),
        "feed_url": feed_url(person),
        "my_sessions_url": settings.SITE_URL + reverse("cohorts:my_sessions"),
    }
    # Templates show datetimes in the active zone: make it the session's, as on its page.
    with timezone.override(local):
        subject = render_to_string("cohorts/emails/invitation_subject.txt", context).strip()
        body = render_to_string("cohorts/emails/invitation.txt", context)
        html = render_to_string("cohorts/emails/invitation.html", context)
    message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=body, to=[person.email])
    message.attach_alternative(html, "text/html")
    message.attach("session.ics", calendar_bytes([enrollment], name=session.title), "text/calendar")
    message.send()


def program_invitations_start(*, program):
    """Queue the invitations of a whole program once the transaction commits (they can be many)."""
    from ..tasks import send_program_invitations

    transaction.on_commit(lambda: enqueue_or_run(send_program_invitations, program.pk))
