"""iCalendar files for a person's sessions (download, subscription feed, e-mail attachment)."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from icalendar import Calendar, Event

from .models import Enrollment, Person

FEED_SALT = "cohorts.calendar-feed"
STATUS = {
    Enrollment.Status.ENROLLED: "CONFIRMED",
    Enrollment.Status.WAITLISTED: "TENTATIVE",
    Enrollment.Status.CANCELLED: "CANCELLED",
}


def feed_token(person):
    """A signed, unguessable token naming the person and their current feed key, so the owner
    can rotate the URL (no login needed to read the feed)."""
    return signing.dumps({"p": person.pk, "k": _feed_key(person)}, salt=FEED_SALT)


def _feed_key(person):
    from .accounts.models import Account

    if Person.account.is_cached(person):
        account = getattr(person, "account", None)
    else:
        account = Account.objects.filter(person_id=person.pk).only("feed_key").first()
    return account.feed_key if account else ""


def person_for_feed_token(token):
    """The active person a feed token was made for, or None (forged, rotated or deactivated)."""
    try:
        payload = signing.loads(token, salt=FEED_SALT)
    except signing.BadSignature:
        return None
    if isinstance(payload, int):  # links made before feeds could be rotated
        payload = {"p": payload, "k": ""}
    person = Person.objects.filter(pk=payload.get("p"), is_active=True).select_related("account").first()
    if person is None:
        return None
    account = getattr(person, "account", None)
    return person if (account.feed_key if account else "") == payload.get("k") else None


def feed_url(person):
    return settings.SITE_URL + reverse("cohorts:calendar_feed", args=[feed_token(person)])


def calendar_bytes(enrollments, *, name="Training sessions"):
    """An .ics calendar with one event per enrollment (session, cohort and location loaded)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Rollout Planner//Training sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    host = settings.SITE_URL.split("://", 1)[-1].split("/")[0].split(":")[0] or "rolloutplanner"
    for enrollment in enrollments:
        session = enrollment.session
        event = Event()
        event.add("uid", f"session-{session.pk}-person-{enrollment.person_id}@{host}")
        event.add("summary", session.title + (" (waitlist)" if enrollment.status == "waitlisted" else ""))
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("dtstamp", enrollment.created_at)
        event.add("status", STATUS[enrollment.status])
        event.add("location", session.where)
        description = [f"Cohort: {session.cohort.name}", f"Time zone: {session.time_zone}"]
        if session.meeting_url:
            description.append(f"Join: {session.meeting_url}")
            event.add("url", session.meeting_url)
        event.add("description", "\n".join(description))
        calendar.add_component(event)
    return calendar.to_ical()
