"""The .ics invitation of a team reinforcement session (same shape as cohorts.calendars)."""

from django.conf import settings
from icalendar import Calendar, Event


def _host():
    return settings.SITE_URL.split("://", 1)[-1].split("/")[0].split(":")[0] or "rolloutplanner"


def session_ics(session, *, method="REQUEST"):
    """One VEVENT for the session, organised by its manager, with the invitees as attendees."""
    calendar = Calendar()
    calendar.add("prodid", "-//Rollout Planner//Team reinforcement//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    event = Event()
    event.add("uid", f"team-session-{session.pk}@{_host()}")
    event.add("summary", f"Team reinforcement: {session.program_skill.skill.name}")
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("dtstamp", session.created_at)
    event.add("status", "CONFIRMED")
    if session.where:
        event.add("location", session.where)
    event.add("organizer", f"mailto:{session.manager.email}", parameters={"cn": session.manager.full_name})
    for person in session.invitees.all():
        event.add(
            "attendee",
            f"mailto:{person.email}",
            parameters={"cn": person.full_name, "role": "REQ-PARTICIPANT"},
        )
    event.add(
        "description",
        f"{session.program.name}: a 30-minute team session on {session.program_skill.skill.name}.\n"
        f"Time zone: {session.time_zone}",
    )
    calendar.add_component(event)
    return calendar.to_ical()
