"""Reads behind the leadership pages: kits, sessions held vs expected, briefs, reviews, alarms."""

from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from cohorts.models import Person, Team
from cohorts.selectors import people_in_scope, people_under
from programs.models import Expectation, Program, ProgramSkill, ReinforcementPlan
from reinforcement.models import Question

from .kits import KitInput, kit_build
from .models import FadeAlarm, FollowUp, Recognition, ReviewMeeting, TeamSession
from .rules import (
    CAUSE_TEXT,
    GOAL,
    SIGNAL_TEXT,
    STRETCH,
    BriefFacts,
    adoption_status,
    cadence_days,
    decisions_needed,
    expectation_met,
    expected_sessions,
    monday,
    trend,
    weeks_to_goal,
    weeks_without_review,
)


def kit_for(program_skill):
    """The kit of one program skill, from the program's own readiness answers and question bank."""
    ps = program_skill
    metrics = tuple(
        (pm.metric.name, f"{pm.baseline.normalize():f} → {pm.target.normalize():f} {pm.unit}".strip())
        for pm in ps.moves_metrics.select_related("metric").order_by("id")
    )
    gaps = list(ps.gaps.order_by("segment"))
    prompts = tuple(
        Question.objects.filter(skill_id=ps.skill_id, is_active=True)
        .order_by("id")
        .values_list("prompt", flat=True)[:3]
    )
    return kit_build(
        KitInput(
            program=ps.program.name,
            skill=ps.skill.name,
            purpose=ps.why_it_matters or ps.skill.description,
            metrics=metrics,
            questions=prompts,
            strengths=tuple(g.strengths for g in gaps if g.strengths.strip()),
            limiters=tuple(g.limiters for g in gaps if g.limiters.strip()),
            segment=gaps[0].segment if gaps else "",
        )
    )


def kit_programs(manager=None):
    """Programs with skills (launched and ready first), each with its program skills; for a manager
    only the programs some of their people are in."""
    programs = Program.objects.filter(skills__isnull=False).distinct()
    if manager is not None:
        programs = programs.filter(
            members__person__in=people_under(manager), members__status="confirmed"
        ).distinct()
    order = {Program.Status.LAUNCHED: 0, Program.Status.READY: 1}
    programs = sorted(programs, key=lambda p: (order.get(p.status, 2), p.name))
    skills = {}
    for ps in ProgramSkill.objects.filter(program__in=programs).select_related("skill").order_by("id"):
        skills.setdefault(ps.program_id, []).append(ps)
    return [(p, skills.get(p.pk, [])) for p in programs]


def team_for_session(manager, program):
    """Who a manager invites by default: active people under them confirmed for the program,
    else their active direct reports."""
    under = people_under(manager).filter(is_active=True)
    in_program = under.filter(pk__in=people_in_scope(program).values("pk"))
    return in_program if in_program.exists() else manager.direct_reports.filter(is_active=True)


def cadence_of(program):
    plan = ReinforcementPlan.objects.filter(program=program).only("coaching_cadence").first()
    return plan.coaching_cadence if plan else ""


def sessions_accountability(program, managers=None, *, today=None):
    """Per manager of the program's sellers: team sessions held, scheduled ahead and expected by
    the plan's cadence since launch. `managers` narrows to a queryset of people."""
    today = today or timezone.localdate()
    now = timezone.now()
    sellers = people_in_scope(program).filter(level=Person.Level.INDIVIDUAL, is_active=True)
    manager_ids = set(sellers.exclude(manager__isnull=True).values_list("manager_id", flat=True))
    people = (
        Person.objects.filter(pk__in=manager_ids).select_related("team").order_by("last_name", "first_name")
    )
    if managers is not None:
        people = people.filter(pk__in=managers.values("pk"))
    counts = {
        row["manager_id"]: row
        for row in TeamSession.objects.filter(program=program, manager__in=people)
        .values("manager_id")
        .annotate(
            held=Count("id", filter=Q(recorded_at__isnull=False)),
            ahead=Count("id", filter=Q(recorded_at__isnull=True, starts_at__gte=now)),
        )
        .order_by()
    }
    cadence = cadence_of(program)
    expected = expected_sessions(program.start_date, today, cadence)
    rows = []
    for person in people:
        row = counts.get(person.pk, {"held": 0, "ahead": 0})
        rows.append(
            {
                "manager": person,
                "held": row["held"],
                "ahead": row["ahead"],
                "expected": expected,
                "behind": max(0, expected - row["held"]),
            }
        )
    return {"rows": rows, "expected": expected, "cadence": cadence, "cadence_days": cadence_days(cadence)}


# ---------------------------------------------------------------- weekly brief and reviews
def review_gap(program, *, today=None):
    """Completed weeks since launch without a recorded review meeting (for health and the brief)."""
    today = today or timezone.localdate()
    if program.status != Program.Status.LAUNCHED:
        return []
    dates = list(ReviewMeeting.objects.filter(program=program).values_list("held_on", flat=True))
    return weeks_without_review(program.start_date, today, dates)


def overdue_follow_ups(program, *, today=None):
    today = today or timezone.localdate()
    return FollowUp.objects.filter(meeting__program=program, done=False, due_on__lt=today).order_by("due_on")


def _overall(skills, length):
    """Adoption across all skills per week (every skill has the same people, so the mean share)."""
    out = []
    for i in range(length):
        values = [s["trend"][i] for s in skills if s["trend"][i] is not None]
        out.append(sum(values) / len(values) if values else None)
    return out


def _brief_figures(program, today):
    """(presented org figures, per-team rows) for the brief, as the dashboard has them.

    This week's brief reads the stored dashboard snapshots when there are any (the periodic
    job keeps them fresh); otherwise, or for an earlier week, one `collect` over the program's
    sellers grouped by team gives both. A program too big to compute live without a snapshot
    raises FiguresPending.
    """
    from reinforcement.measurement.figures import build, collect, present
    from reinforcement.measurement.selectors import (
        LIVE_LIMIT,
        FiguresPending,
        Scope,
        scope_snapshot,
        sellers_in_scope,
        team_rows,
    )

    if today >= timezone.localdate():
        snapshot = scope_snapshot(Scope(program))
        if snapshot is not None:
            return present(snapshot.data), team_rows(program)
    people = sellers_in_scope(program)
    if people.count() > LIVE_LIMIT:
        raise FiguresPending
    data = build(
        collect(program, people, group="team_id", today=today), child_group="team_id", seed=program.pk
    )
    return present(data), data["children"]


def brief_for(program, *, today=None):
    """The weekly leadership brief of a launched program, from the dashboard's own figures
    (see `_brief_figures`); the thresholds for "falling behind" are the health page's.
    Raises ProgramNotLaunched for a program that has not launched (or was taken back)."""
    from reinforcement.measurement.health import LOW_ADHERENCE, LOW_ANSWER_RATE, MIN_NUDGES
    from reinforcement.measurement.selectors import ProgramNotLaunched
    from reinforcement.selectors import shows_progress

    if not shows_progress(program):  # before the snapshot is read: one left from an earlier launch
        raise ProgramNotLaunched
    today = today or timezone.localdate()
    view, teams = _brief_figures(program, today)
    series = _overall(view["skills"], len(view["trend_weeks"]))
    behind = sorted(
        (t for t in teams if t["adoption"] is not None and t["adoption"] < GOAL),
        key=lambda t: (t["adoption"], t["name"]),
    )
    not_coaching = sorted(
        (
            t
            for t in teams
            if t.get("manager_id") and t["adherence"] is not None and t["adherence"] < LOW_ADHERENCE
        ),
        key=lambda t: t["adherence"],
    )
    low_answers = [t for t in teams if t["sent"] >= MIN_NUDGES and (t["answer_rate"] or 0) < LOW_ANSWER_RATE]
    sessions = sessions_accountability(program, today=today)
    sessions_behind = [r for r in sessions["rows"] if r["behind"]]
    unreviewed = review_gap(program, today=today)
    follow_ups = list(overdue_follow_ups(program, today=today))
    alarms = list(
        FadeAlarm.objects.filter(
            program=program, week__gte=monday(today) - timedelta(weeks=1)
        ).select_related("team", "manager")
    )
    impact = {m["name"]: m for design in view["impact"][:1] for m in design["metrics"]}
    lagging = []
    for m in view["metrics"]:
        known = [v for v in m["series"] if v is not None]
        lagging.append(
            {
                "name": m["name"],
                "unit": m["unit"],
                "baseline": m["baseline"],
                "target": m["target"],
                "latest": known[-1] if known else None,
                "verdict": impact.get(m["name"], {}).get("verdict", ""),
            }
        )
    change = trend(series)
    to_goal = weeks_to_goal(series)
    risks = [
        f"{t['name']}: only {t['answer_rate']:.0%} of {t['sent']} questions answered" for t in low_answers
    ]
    risks += [
        f"{a.team.name}: {', '.join(SIGNAL_TEXT[s].lower() for s in a.signals)}"
        + (f"; likely {', '.join(CAUSE_TEXT[c] for c in a.causes)}" if a.causes else "")
        for a in alarms
    ]
    if unreviewed:
        risks.append(f"{len(unreviewed)} week(s) since launch without a leadership review")
    risks += [f"Overdue follow-up: {f.action} ({f.owner}, due {f.due_on:%d %b})" for f in follow_ups]
    facts = BriefFacts(
        adoption=view["adoption"],
        trend_change=change,
        weeks_to_goal=to_goal,
        managers_not_coaching=len(not_coaching),
        managers_behind_on_sessions=len(sessions_behind),
        fading_teams=len({a.team_id for a in alarms}),
        overdue_follow_ups=len(follow_ups),
        weeks_unreviewed=len(unreviewed),
    )
    return {
        "program": program,
        "week": monday(today),
        "as_of": view["as_of"],
        "people": view["people"],
        "adoption": view["adoption"],
        "status": adoption_status(view["adoption"]),
        "goal": GOAL,
        "stretch": STRETCH,
        "trend": list(zip(map(date.fromisoformat, view["trend_weeks"]), series, strict=True))[-8:],
        "trend_change": change,
        "weeks_to_goal": to_goal,
        "skills": [{"name": s["name"], "adoption": s["adoption"]} for s in view["skills"]],
        "leading": view["leading"],
        "lagging": lagging,
        "teams_behind": behind,
        "managers_not_coaching": not_coaching,
        "sessions_behind": sessions_behind,
        "risks": risks,
        "decisions": decisions_needed(facts),
        "last_review": program.review_meetings.order_by("-held_on").first(),
    }


# ---------------------------------------------------------------- recognition and expectations
def recognitions_for(person, *, limit=10):
    """Recognitions addressed to the person or to their team, newest first."""
    target = Q(person=person) | (Q(team_id=person.team_id) if person.team_id else Q(pk__in=[]))
    return Recognition.objects.filter(target).select_related("giver", "team", "person", "program")[:limit]


def recognitions_for_digest(manager, *, days=7, now=None):
    """Last week's recognitions of the manager's people and teams (for the weekly digest)."""
    since = (now or timezone.now()) - timedelta(days=days)
    people = people_under(manager)
    teams = Team.objects.filter(manager__org_path__startswith=manager.org_path)
    return (
        Recognition.objects.filter(created_at__gte=since)
        .filter(Q(person__in=people) | Q(team__in=teams))
        .select_related("giver", "team", "person")[:20]
    )


def practice_reviewed_share(view):
    """Of the scope's practice attempts due for review (reviewed, or waiting past
    PRACTICE_REVIEW_DUE_DAYS), the share reviewed; None when there are none or the figures
    predate the count."""
    reviewed, overdue = view.get("practice_reviewed"), view["overdue"].get("reviews")
    if reviewed is None or overdue is None or not reviewed + overdue:
        return None
    return reviewed / (reviewed + overdue)


def expectations_against(program, view, scope=None, *, today=None):
    """Each of the program's expectations next to the value of its indicator in `view` (the
    dashboard's presented figures), as shares; team sessions and reviews are read here."""
    today = today or timezone.localdate()
    expectations = list(Expectation.objects.filter(program=program))
    if not expectations:
        return []
    kinds = {e.indicator for e in expectations}
    leading = view["leading"]
    values = {
        Expectation.Indicator.COACHING_CADENCE: leading["coaching_adherence"],
        Expectation.Indicator.QUESTIONS_ANSWERED: leading["answer_rate"],
        Expectation.Indicator.ATTENDANCE: leading["attendance_rate"],
        Expectation.Indicator.STAGE_REACHED: view["adoption"],
        Expectation.Indicator.PRACTICE_ATTEMPTS: practice_reviewed_share(view),
    }
    if Expectation.Indicator.TEAM_SESSIONS in kinds:
        managers = None
        if scope is not None and scope.kind == "manager":
            managers = Person.objects.filter(org_path__startswith=scope.manager.org_path)
        rows = sessions_accountability(program, managers, today=today)["rows"]
        expected = sum(r["expected"] for r in rows)
        values[Expectation.Indicator.TEAM_SESSIONS] = (
            min(1.0, sum(r["held"] for r in rows) / expected) if expected else None
        )
    if Expectation.Indicator.WEEKLY_REVIEWS in kinds:
        weeks = len(weeks_without_review(program.start_date, today, []))
        missed = len(review_gap(program, today=today))
        values[Expectation.Indicator.WEEKLY_REVIEWS] = (weeks - missed) / weeks if weeks else None
    out = []
    for e in expectations:
        value = values.get(e.indicator)
        out.append(
            {
                "expectation": e,
                "value": value,
                "target": e.target_percent / 100,
                "met": expectation_met(value, e.target_percent / 100),
            }
        )
    return out


# ---------------------------------------------------------------- fade alarms
def recent_alarms(manager=None, *, today=None):
    """This week's and last week's fade alarms (the newest per program and team); for a manager
    only the teams they or the managers under them lead."""
    today = today or timezone.localdate()
    alarms = FadeAlarm.objects.filter(week__gte=monday(today) - timedelta(weeks=1)).select_related(
        "program", "team", "manager"
    )
    if manager is not None:
        alarms = alarms.filter(team__manager__org_path__startswith=manager.org_path)
    latest = {}
    for alarm in alarms.order_by("-week", "team__name"):
        latest.setdefault((alarm.program_id, alarm.team_id), alarm)
    return list(latest.values())


def sessions_held_by_manager(program, manager_ids, *, today=None):
    """{manager id: (held, expected)} for the given managers (two queries)."""
    ids = [i for i in manager_ids if i]
    if not ids:
        return {}
    expected = expected_sessions(program.start_date, today or timezone.localdate(), cadence_of(program))
    held = dict(
        TeamSession.objects.filter(program=program, manager_id__in=ids, recorded_at__isnull=False)
        .values("manager_id")
        .annotate(n=Count("id"))
        .values_list("manager_id", "n")
        .order_by()
    )
    return {i: (held.get(i, 0), expected) for i in ids}
