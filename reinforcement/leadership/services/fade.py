"""The fade check (daily): per team of every launched program, read the dashboard's weekly
figures (measurement.figures.collect grouped by team) and raise a FadeAlarm when adoption or the
answer rate fell two weeks in a row or stages fell back, with the likely causes (rules.fade).

Weeks are the last three completed ones (the running week is partial); the two-week windows for
fall-backs, coaching and questions are the last two completed weeks plus this one so far.
"""

import logging
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.utils import timezone

from cohorts.models import Team
from programs.models import Program
from reinforcement.measurement.figures import ADOPTED_RANK, RANK, collect
from reinforcement.measurement.selectors import sellers_in_scope
from reinforcement.models import StageEvent

from ..models import FadeAlarm
from ..rules import TeamWeeks, fade, monday

WINDOW_DAYS = 14

logger = logging.getLogger(__name__)


def _share(part, whole):
    return part / whole if whole else None


def team_weeks(raw, team_id, fall_backs, practice_unreviewed=0):
    """TeamWeeks for one team from `collect(..., group="team_id")` output; `practice_unreviewed`
    counts the team's practice attempts waiting for review past their due date."""
    weekly = raw["weekly"][team_id]
    axis, launch = raw["axis"], monday(raw["launch"])
    done = [i for i, week in enumerate(axis[:-1]) if week >= launch][-3:]  # completed weeks since launch
    pairs = weekly["people"] * len(weekly["stage_weeks"])
    adoption = [
        _share(sum(sum(series[i][ADOPTED_RANK:]) for series in weekly["stage_weeks"].values()), pairs)
        for i in done
    ]
    activity = weekly["activity"]
    answer_rate = [_share(activity["answered"][i], activity["sent"][i]) for i in done]
    recent = done[-2:] + [len(axis) - 1]
    return TeamWeeks(
        adoption=adoption,
        answer_rate=answer_rate,
        fall_backs=fall_backs,
        coaching=sum(activity["coaching"][i] for i in recent),
        sent=sum(activity["sent"][i] for i in recent),
        answered=sum(activity["answered"][i] for i in recent),
        practice_unreviewed=practice_unreviewed,
    )


def _unreviewed_by_team(raw):
    counts = {}
    for seller in raw["sellers"].values():
        counts[seller["team_id"]] = counts.get(seller["team_id"], 0) + seller["reviews_overdue"]
    return counts


def _fall_backs_by_team(program, since):
    counts = {}
    for team_id, before, after in StageEvent.objects.filter(
        skill_stage__program_skill__program=program, created_at__gte=since
    ).values_list("skill_stage__person__team_id", "from_stage", "to_stage"):
        if RANK[after] < RANK[before]:
            counts[team_id] = counts.get(team_id, 0) + 1
    return counts


def fade_alarms_for_program(program, *, today=None, now=None):
    """Raise (or refresh) this week's alarms of one program; returns the alarms raised."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    raw = collect(program, sellers_in_scope(program), group="team_id", today=today, now=now)
    fall_backs = _fall_backs_by_team(program, now - timedelta(days=WINDOW_DAYS))
    teams = Team.objects.in_bulk([k for k in raw["weekly"] if k])
    unreviewed = _unreviewed_by_team(raw)
    week = monday(today)
    raised = []
    with transaction.atomic():
        for team_id, team in teams.items():
            data = team_weeks(raw, team_id, fall_backs.get(team_id, 0), unreviewed.get(team_id, 0))
            signals, causes = fade(data)
            if not signals:
                FadeAlarm.objects.filter(program=program, team=team, week=week).delete()
                continue
            alarm, _ = FadeAlarm.objects.update_or_create(
                program=program,
                team=team,
                week=week,
                defaults={
                    "manager_id": team.manager_id,
                    "signals": signals,
                    "causes": causes,
                    "figures": {
                        "adoption": data.adoption,
                        "answer_rate": data.answer_rate,
                        "fall_backs": data.fall_backs,
                        "coaching": data.coaching,
                        "sent": data.sent,
                        "answered": data.answered,
                        "practice_unreviewed": data.practice_unreviewed,
                    },
                    "created_at": now,
                },
            )
            raised.append(alarm)
    return raised


def fade_alarms_refresh(*, today=None):
    """The daily job: check every launched program; returns how many alarms are up this week.

    A program whose check fails is logged with its reason and skipped, so one bad program
    never stops the others being checked (a time limit still stops the whole job).
    """
    raised = 0
    for program in Program.objects.filter(status=Program.Status.LAUNCHED):
        try:
            raised += len(fade_alarms_for_program(program, today=today))
        except SoftTimeLimitExceeded:
            raise
        except Exception:
            logger.exception(
                "Fade check failed for program %s; the other programs are still checked", program.pk
            )
    return raised
