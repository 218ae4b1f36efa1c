"""The points ledger, computed from the records that earn points (never typed in).

`points_refresh` reads review answers, stage events, scored attempts and certificates and
inserts one `PointEntry` per earning record under a unique source key; running it again
inserts nothing new, so the periodic task and the after-review refresh can both run freely.
"""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Max
from django.utils import timezone

from programs.models import Program
from reinforcement.models import ReviewLog, Stage, StageEvent

from . import rules
from .models import Attempt, Certificate, PointEntry, PointsSettings


def _programs(program_ids):
    qs = Program.objects.exclude(pk__in=PointsSettings.objects.filter(enabled=False).values("program_id"))
    if program_ids is not None:
        qs = qs.filter(pk__in=program_ids)
    return set(qs.values_list("pk", flat=True))


def _answers(program_ids, person_ids):
    """On-time answers (the first answer to a first ask, within ON_TIME_HOURS of its due time) and streaks."""
    # Only first asks: a question answered after reminders was not answered on time.
    qs = ReviewLog.objects.filter(
        card__program_id__in=program_ids, nudge__isnull=False, nudge__resend_number=0
    )
    if person_ids is not None:
        qs = qs.filter(card__person_id__in=person_ids)
    entries, weeks, seen = [], defaultdict(set), set()
    window = timedelta(hours=rules.ON_TIME_HOURS)
    for program_id, person_id, nudge_id, due_at, reviewed_at in qs.values_list(
        "card__program_id", "card__person_id", "nudge_id", "nudge__due_at", "reviewed_at"
    ).order_by("reviewed_at", "id"):
        if nudge_id in seen:  # the same question answered again earns nothing
            continue
        seen.add(nudge_id)
        if reviewed_at > due_at + window:
            continue
        entries.append(
            (
                program_id,
                person_id,
                PointEntry.Kind.ANSWER,
                rules.POINTS["answer"],
                f"answer:{nudge_id}",
                "",
                reviewed_at,
            )
        )
        year, week, _ = timezone.localtime(reviewed_at).isocalendar()
        weeks[(program_id, person_id)].add((year, week, reviewed_at))
    for (program_id, person_id), items in weeks.items():
        last_in_week = {}
        for year, week, at in items:
            last_in_week[(year, week)] = max(at, last_in_week.get((year, week), at))
        for year, week in rules.streak_weeks(last_in_week):
            entries.append(
                (
                    program_id,
                    person_id,
                    PointEntry.Kind.STREAK,
                    rules.POINTS["streak"],
                    f"streak:{person_id}:{year}-W{week:02d}",
                    f"Week {week} in a row",
                    last_in_week[(year, week)],
                )
            )
    return entries


def _stage_moves(program_ids, person_ids):
    """The first time a seller reaches each stage on a skill (falling back and returning earns nothing)."""
    qs = StageEvent.objects.filter(skill_stage__program_skill__program_id__in=program_ids)
    if person_ids is not None:
        qs = qs.filter(skill_stage__person_id__in=person_ids)
    entries = []
    for program_id, person_id, stage_id, from_stage, to_stage, skill, at in qs.values_list(
        "skill_stage__program_skill__program_id",
        "skill_stage__person_id",
        "skill_stage_id",
        "from_stage",
        "to_stage",
        "skill_stage__program_skill__skill__name",
        "created_at",
    ).order_by("created_at", "id"):
        if Stage.rank(to_stage) <= Stage.rank(from_stage):
            continue
        # A jump of several stages earns each stage passed through.
        for stage in Stage.values[Stage.rank(from_stage) + 1 : Stage.rank(to_stage) + 1]:
            entries.append(
                (
                    program_id,
                    person_id,
                    PointEntry.Kind.STAGE,
                    rules.POINTS["stage"][stage],
                    f"stage:{stage_id}:{stage}",
                    f"{Stage(stage).label} on {skill}",
                    at,
                )
            )
    return entries


def _practice(program_ids, person_ids):
    """Points for scored practice, in the program each attempt was practised for only."""
    attempts = Attempt.objects.filter(status=Attempt.Status.REVIEWED, program_id__in=program_ids)
    if person_ids is not None:
        attempts = attempts.filter(person_id__in=person_ids)
    rows = (
        attempts.annotate(best=Max("reviews__score"), reviewed_at=Max("reviews__created_at"))
        .values_list("id", "program_id", "person_id", "scenario_id", "scenario__title", "best", "reviewed_at")
        .order_by("created_at", "id")
    )
    # Firsts and better reruns are judged within one program: a rerun for program B is B's first.
    by_scenario = defaultdict(list)
    info = {}
    for attempt_id, program_id, person_id, scenario_id, title, best, reviewed_at in rows:
        by_scenario[(program_id, person_id, scenario_id)].append((attempt_id, best))
        info[attempt_id] = (title, reviewed_at)
    entries = []
    for (program_id, person_id, _scenario_id), attempts_in_order in by_scenario.items():
        for attempt_id, what, points in rules.practice_points(attempts_in_order):
            title, at = info[attempt_id]
            note = title if what == "first" else f"better rerun of {title}"
            entries.append(
                (program_id, person_id, PointEntry.Kind.PRACTICE, points, f"practice:{attempt_id}", note, at)
            )
    return entries


def _certificates(program_ids, person_ids):
    qs = Certificate.objects.filter(program_skill__program_id__in=program_ids)
    if person_ids is not None:
        qs = qs.filter(person_id__in=person_ids)
    return [
        (
            program_id,
            person_id,
            PointEntry.Kind.CERTIFICATE,
            rules.POINTS["certificate"],
            f"certificate:{pk}",
            f"Certified: {skill}",
            at,
        )
        for pk, program_id, person_id, skill, at in qs.values_list(
            "pk", "program_skill__program_id", "person_id", "program_skill__skill__name", "issued_at"
        )
    ]


def points_refresh(*, program_ids=None, person_ids=None):
    """Add the ledger lines earned since the last run (programs with points switched on).

    Returns how many new lines were written. Idempotent: source keys are unique per program.
    """
    programs = _programs(program_ids)
    if not programs:
        return 0
    candidates = (
        _answers(programs, person_ids)
        + _stage_moves(programs, person_ids)
        + _practice(programs, person_ids)
        + _certificates(programs, person_ids)
    )
    unique = {}
    for candidate in candidates:
        unique.setdefault((candidate[0], candidate[4]), candidate)
    held = PointEntry.objects.filter(program_id__in=programs)
    if person_ids is not None:
        held = held.filter(person_id__in=person_ids)
    existing = set(held.values_list("program_id", "source_key"))
    new = [
        PointEntry(
            program_id=program_id,
            person_id=person_id,
            kind=kind,
            points=points,
            source_key=key,
            note=note[:200],
            earned_at=at,
        )
        for (program_id, key), (_, person_id, kind, points, _, note, at) in unique.items()
        if (program_id, key) not in existing
    ]
    PointEntry.objects.bulk_create(new, ignore_conflicts=True, batch_size=2000)
    return len(new)
