"""The timeline of a program: waves laid out over the calendar, with trained vs in-scope counts."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q

from .models import CohortMember, Enrollment, Session, Wave

MAX_DOTS_PER_WAVE = 300


@dataclass
class WaveRow:
    wave: Wave
    sessions: list = field(default_factory=list)
    dots: list = field(default_factory=list)
    in_scope: int = 0
    trained: int = 0
    start: object = None
    end: object = None
    left: float = 0.0
    width: float = 0.0


def program_timeline(program):
    """Rows per wave with sessions positioned in percent of the calendar span, and totals.

    A fixed number of queries whatever the size of the program.
    """
    waves = list(Wave.objects.filter(program=program).order_by("number"))
    rows = {w.pk: WaveRow(wave=w) for w in waves}
    sessions = list(
        Session.objects.filter(cohort__program=program)
        .select_related("cohort")
        .annotate(
            seats=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.ENROLLED)),
            attended=Count("enrollments", filter=Q(enrollments__attendance=Enrollment.Attendance.ATTENDED)),
        )
        .order_by("starts_at")
    )
    for wave_id, count in (
        CohortMember.objects.filter(
            program=program, status=CohortMember.Status.CONFIRMED, cohort__isnull=False
        )
        .values_list("cohort__wave_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        rows[wave_id].in_scope = count
    trained_by_wave = defaultdict(set)
    for wave_id, person_id in (
        Enrollment.objects.filter(session__cohort__program=program, attendance=Enrollment.Attendance.ATTENDED)
        .values_list("session__cohort__wave_id", "person_id")
        .distinct()
    ):
        trained_by_wave[wave_id].add(person_id)
    for wave_id, people in trained_by_wave.items():
        rows[wave_id].trained = len(people)
    in_scope = CohortMember.objects.filter(program=program, status=CohortMember.Status.CONFIRMED).count()
    trained = len(set().union(*trained_by_wave.values())) if trained_by_wave else 0

    for session in sessions:
        rows[session.cohort.wave_id].sessions.append(session)
    span_start = min((s.starts_at for s in sessions), default=None)
    span_end = max((s.ends_at for s in sessions), default=None)
    months = []
    if span_start:
        span_start = span_start.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=1)
        span_end = span_end + timedelta(days=1)
        total = (span_end - span_start).total_seconds()

        def pos(moment):
            return round(100 * (moment - span_start).total_seconds() / total, 2)

        for row in rows.values():
            if row.sessions:
                row.start = row.sessions[0].starts_at
                row.end = max(s.ends_at for s in row.sessions)
                row.left = pos(row.start)
                row.width = max(round(pos(row.end) - row.left, 2), 0.8)
                # A dot per session, up to a limit that keeps huge programs' pages light.
                row.dots = row.sessions[:MAX_DOTS_PER_WAVE]
                for session in row.dots:
                    session.left = pos(session.starts_at)
        cursor = span_start.replace(day=1)
        while cursor <= span_end:
            if cursor >= span_start:
                months.append({"label": cursor.strftime("%b %Y"), "left": pos(cursor)})
            cursor = (cursor + timedelta(days=32)).replace(day=1)
    return {
        "rows": list(rows.values()),
        "in_scope": in_scope,
        "trained": trained,
        "percent": round(100 * trained / in_scope) if in_scope else 0,
        "start": span_start,
        "end": span_end,
        "months": months,
        "session_count": len(sessions),
    }
