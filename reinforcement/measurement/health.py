"""The enablement lead's program health: readiness, rollout progress, buy-in and risks."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from cohorts.models import CohortMember, Enrollment, Session, Wave
from cohorts.selectors import plan_violations
from programs.buyin import buy_in_status
from programs.readiness import readiness_of
from reinforcement.selectors import shows_progress

from ..leadership.selectors import review_gap
from .selectors import FiguresPending, ProgramNotLaunched, not_launched_note, team_rows
from .stats import share

LOW_ANSWER_RATE = 0.5
MIN_NUDGES = 5
LOW_ADHERENCE = 0.5
RISK_LIST = 10


def rollout_progress(program):
    """Per wave: people in scope (confirmed and placed) and how many attended a session.

    Before launch nobody's progress shows: `trained` and `share` are None (attendance left
    from an earlier launch is not counted)."""
    attended = Enrollment.objects.filter(
        person=OuterRef("person"),
        session__cohort__program=program,
        attendance=Enrollment.Attendance.ATTENDED,
    )
    counts = {
        row["cohort__wave_id"]: row
        for row in CohortMember.objects.filter(program=program, status=CohortMember.Status.CONFIRMED)
        .annotate(trained=Exists(attended))
        .values("cohort__wave_id")
        .annotate(in_scope=Count("id"), done=Count("id", filter=Q(trained=True)))
        .order_by()
    }
    waves = []
    for wave in Wave.objects.filter(program=program).order_by("number"):
        row = counts.get(wave.pk, {"in_scope": 0, "done": 0})
        waves.append(
            {
                "wave": wave,
                "in_scope": row["in_scope"],
                "trained": row["done"],
                "share": share(row["done"], row["in_scope"]),
            }
        )
    unplaced = counts.get(None, {"in_scope": 0})["in_scope"]
    total = sum(w["in_scope"] for w in waves) + unplaced
    trained = sum(w["trained"] for w in waves) + counts.get(None, {"done": 0})["done"]
    if not shows_progress(program):
        for wave in waves:
            wave["trained"] = wave["share"] = None
        trained = None
    return {
        "waves": waves,
        "unplaced": unplaced,
        "in_scope": total,
        "trained": trained,
        "share": share(trained, total) if trained is not None else None,
    }


def program_health_for(program):
    today = timezone.localdate()
    now = timezone.now()
    touchpoints = list(program.touchpoints.all())
    sessions = Session.objects.filter(cohort__program=program).aggregate(
        total=Count("id"), held=Count("id", filter=Q(starts_at__lte=now))
    )
    not_launched = None
    try:
        teams, pending = team_rows(program), False
    except ProgramNotLaunched:
        teams, pending, not_launched = [], False, not_launched_note(program)
    except FiguresPending:
        teams, pending = [], True
    low_answers = sorted(
        (t for t in teams if t["sent"] >= MIN_NUDGES and (t["answer_rate"] or 0) < LOW_ANSWER_RATE),
        key=lambda t: t["answer_rate"] or 0,
    )
    not_coaching = sorted(
        (
            t
            for t in teams
            if t.get("manager_id") and t["adherence"] is not None and t["adherence"] < LOW_ADHERENCE
        ),
        key=lambda t: t["adherence"],
    )
    violations = plan_violations(program)
    return {
        "weeks_without_review": review_gap(program),
        "readiness": readiness_of(program),
        "progress": rollout_progress(program),
        "sessions": sessions,
        "touchpoints_done": sum(1 for t in touchpoints if t.date <= today),
        "touchpoints_total": len(touchpoints),
        "buy_in": buy_in_status(program, touchpoints=touchpoints),
        "violations": violations[:RISK_LIST],
        "violation_count": len(violations),
        "low_answers": low_answers[:RISK_LIST],
        "low_answer_count": len(low_answers),
        "not_coaching": not_coaching[:RISK_LIST],
        "not_coaching_count": len(not_coaching),
        "team_figures_pending": pending,
        "not_launched": not_launched,
        "thresholds": {"answer_rate": LOW_ANSWER_RATE, "adherence": LOW_ADHERENCE, "min_nudges": MIN_NUDGES},
    }
