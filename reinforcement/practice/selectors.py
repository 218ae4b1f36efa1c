"""Reads of the practice app that pages, the digest and the stage rules share."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, Sum
from django.utils import timezone

from cohorts.models import Person, Team
from cohorts.selectors import people_under
from programs.models import Program
from reinforcement.models import SkillStage
from reinforcement.selectors import PROGRESS_SHOWN

from . import rules
from .models import (
    Attempt,
    Certificate,
    CertificationRule,
    PointEntry,
    PracticeProfile,
    Review,
    ReviewerAssignment,
    Scenario,
)

# ---------------------------------------------------------------- scenarios and attempts


def _training(person):
    """The seller's stage rows in running programs: practice counts only where it is shown."""
    return SkillStage.objects.filter(person=person, program_skill__program__status=Program.Status.LAUNCHED)


def scenarios_for_person(person):
    """Active scenarios of the skills the seller trains in a running (launched) program."""
    skill_ids = _training(person).values("program_skill__skill_id")
    return list(
        Scenario.objects.filter(is_active=True, skill_id__in=skill_ids)
        .select_related("skill")
        .order_by("skill__name", "title")
    )


def practice_programs(person, skill):
    """The running programs in which the seller trains `skill`, newest first: the programs an
    attempt on one of its scenarios may count for (the first is the default)."""
    return list(
        Program.objects.filter(
            pk__in=_training(person).filter(program_skill__skill=skill).values("program_skill__program_id")
        ).order_by("-id")
    )


def attempts_of(person, scenario, program=None):
    """The seller's attempts on one scenario, oldest first, with reviews and their comments.

    With `program`: (its attempts, the others) so a page can label the others as evidence
    from another program (or from none)."""
    reviews = Review.objects.select_related("reviewer").prefetch_related("timed_comments")
    attempts = list(
        Attempt.objects.filter(person=person, scenario=scenario)
        .exclude(status=Attempt.Status.UPLOADING)
        .select_related("program")
        .prefetch_related(Prefetch("reviews", queryset=reviews))
        .order_by("number")
    )
    if program is None:
        return attempts
    return (
        [a for a in attempts if a.program_id == program.pk],
        [a for a in attempts if a.program_id != program.pk],
    )


def _due_before(now):
    return now - timedelta(days=settings.PRACTICE_REVIEW_DUE_DAYS)


def review_requests(reviewer, *, now=None):
    """Attempts waiting for `reviewer`: their people's (as manager) and assigned sellers', oldest first.

    Each attempt carries `overdue` (waiting longer than PRACTICE_REVIEW_DUE_DAYS).
    """
    now = now or timezone.now()
    # A peer is assigned in one program: they review the seller's practice for that program only.
    assigned = ReviewerAssignment.objects.filter(
        reviewer=reviewer, seller=OuterRef("person"), program=OuterRef("program")
    )
    attempts = list(
        Attempt.objects.filter(status=Attempt.Status.SUBMITTED)
        .filter(Q(person__in=people_under(reviewer)) | Exists(assigned))
        .exclude(person=reviewer)
        .exclude(reviews__reviewer=reviewer)
        .select_related("scenario__skill", "person", "program")
        .order_by("submitted_at", "id")
    )
    due_before = _due_before(now)
    for attempt in attempts:
        attempt.overdue = attempt.submitted_at < due_before
    return attempts


def overdue_reviews_for(people, *, now=None):
    """Attempts of `people` waiting for review longer than PRACTICE_REVIEW_DUE_DAYS."""
    now = now or timezone.now()
    return list(
        Attempt.objects.filter(
            person__in=people, status=Attempt.Status.SUBMITTED, submitted_at__lt=_due_before(now)
        )
        .select_related("person__manager", "scenario__skill", "program")
        .order_by("submitted_at")
    )


def review_counts_by_person(people, program, *, now=None):
    """{person_id: (reviewed, overdue)} of `people`'s (a queryset) attempts practised for
    `program`: those reviewed, and those waiting longer than PRACTICE_REVIEW_DUE_DAYS (one
    query). The dashboard's accountability figures, the "practice reviewed" expectation and
    the fade alarm's "practice not reviewed" cause all read it; practice for another program
    on the same skill is that program's."""
    if program.status not in PROGRESS_SHOWN:  # before launch a program shows nobody's progress
        return {}
    now = now or timezone.now()
    reviewed = Q(status=Attempt.Status.REVIEWED)
    overdue = Q(status=Attempt.Status.SUBMITTED, submitted_at__lt=_due_before(now))
    rows = (
        Attempt.objects.filter(person__in=people.values("pk"), program=program)
        .filter(reviewed | overdue)
        .values("person_id")
        .annotate(reviewed=Count("id", filter=reviewed), overdue=Count("id", filter=overdue))
        .values_list("person_id", "reviewed", "overdue")
        .order_by()
    )
    return {person_id: (reviewed, late) for person_id, reviewed, late in rows}


def reviewers_with_requests():
    """Ids of active assigned peer reviewers with at least one attempt waiting for them (the
    same requests as `review_requests` makes through an assignment)."""
    waiting = Attempt.objects.filter(
        person=OuterRef("seller"), program=OuterRef("program"), status=Attempt.Status.SUBMITTED
    ).exclude(reviews__reviewer=OuterRef("reviewer"))
    return set(
        ReviewerAssignment.objects.filter(reviewer__is_active=True)
        .filter(Exists(waiting))
        .values_list("reviewer_id", flat=True)
        .distinct()
    )


# ---------------------------------------------------------------- evidence for the stage rules


@dataclass
class PracticeEvidence:
    # (person_id, program_id, skill_id) -> [rounded best score per attempt practised for that program]
    scores: dict = field(default_factory=dict)
    required: set = field(default_factory=set)  # program_skill ids that need a certificate for Master
    certified: set = field(default_factory=set)  # (person_id, program_skill_id) with a valid certificate


def practice_evidence(*, skill_ids, program_ids, program_skill_ids, person_ids, now=None):
    """Scored practice and certification per seller and program, for `_evidence_for` (three
    queries). An attempt counts only in the program it was practised for."""
    now = now or timezone.now()
    ev = PracticeEvidence()
    attempts = Attempt.objects.filter(
        status=Attempt.Status.REVIEWED, scenario__skill_id__in=skill_ids, program_id__in=program_ids
    )
    certificates = Certificate.objects.filter(program_skill_id__in=program_skill_ids).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )
    if person_ids is not None:
        attempts = attempts.filter(person_id__in=person_ids)
        certificates = certificates.filter(person_id__in=person_ids)
    for person_id, program_id, skill_id, best in (
        attempts.values("id")
        .annotate(best=Max("reviews__score"))
        .values_list("person_id", "program_id", "scenario__skill_id", "best")
    ):
        if best is not None:
            ev.scores.setdefault((person_id, program_id, skill_id), []).append(int(best + Decimal("0.5")))
    ev.required = set(
        CertificationRule.objects.filter(program_skill_id__in=program_skill_ids).values_list(
            "program_skill_id", flat=True
        )
    )
    ev.certified = set(certificates.values_list("person_id", "program_skill_id"))
    return ev


def certificates_of(person, *, now=None):
    now = now or timezone.now()
    certificates = list(
        Certificate.objects.filter(person=person).select_related(
            "program_skill__skill", "program_skill__program", "reviewer"
        )
    )
    for certificate in certificates:
        certificate.valid = certificate.is_valid(now)
    return certificates


# ---------------------------------------------------------------- points, leaderboards, competitions


def _members(program):
    """Everyone with a stage row in the program: the people who can earn its points."""
    return SkillStage.objects.filter(program_skill__program=program).values("person_id").order_by().distinct()


def _display_names(person_ids, viewer_id, reveal):
    names = {}
    for pk, first, last, team, hidden in Person.objects.filter(pk__in=person_ids).values_list(
        "pk", "first_name", "last_name", "team__name", "practice_profile__hide_name"
    ):
        hide = bool(hidden) and not reveal and pk != viewer_id
        names[pk] = {
            "name": "A colleague (name hidden)" if hide else f"{first} {last}",
            "team": "" if hide else team or "",
        }
    return names


def badges(program, person_ids):
    """{person_id: {"apply": n, "master": n}}: skills on which each person has reached those stages."""
    counts = defaultdict(lambda: {"apply": 0, "master": 0})
    for person_id, key in (
        PointEntry.objects.filter(program=program, person_id__in=person_ids, kind=PointEntry.Kind.STAGE)
        .filter(Q(source_key__endswith=":apply") | Q(source_key__endswith=":master"))
        .values_list("person_id", "source_key")
    ):
        counts[person_id][key.rsplit(":", 1)[1]] += 1
    return counts


def _program_totals(program):
    return (
        PointEntry.objects.filter(program=program)
        .values("person_id")
        .annotate(total=Sum("points"))
        .order_by()
    )


def _top_and_me(program, top, viewer_id):
    """The top `top` people and the viewer's rank, computed in the database (no full list).

    The top rows are the highest totals, so ranking them among themselves gives their program
    rank; the viewer's rank is one more than the number of people with more points.
    """
    totals = _program_totals(program)
    scored = list(totals.order_by("-total", "person_id").values_list("person_id", "total")[:top])
    if len(scored) < top:  # fewer people with points than places: fill with members on 0
        have = [pk for pk, _ in scored]
        zero = (
            _members(program)
            .exclude(person_id__in=have)
            .order_by("person_id")
            .values_list("person_id", flat=True)
        )
        scored += [(pk, 0) for pk in zero[: top - len(scored)]]
    shown = rules.rank(dict(scored))
    me = next((r for r in shown if r.key == viewer_id), None)
    if me is None and viewer_id and _members(program).filter(person_id=viewer_id).exists():
        mine = next(iter(totals.filter(person_id=viewer_id).values_list("total", flat=True)), 0)
        me = rules.Ranked(key=viewer_id, score=mine, rank=totals.filter(total__gt=mine).count() + 1)
    return shown, me


def leaderboard(program, *, viewer, scope_ids=None, reveal_names=False, top=10):
    """Program ranks by total points (ties share a rank), in a fixed number of queries.

    For a seller (`scope_ids` None): the top `top` and the viewer's own row, computed in the
    database. For a manager: everyone in `scope_ids` with their rank in the whole program.
    Returns {"rows": [...], "me": row or None, "me_shown": bool, "size": members}.
    """
    viewer_id = viewer.pk if viewer else None
    if scope_ids is None:
        shown, me = _top_and_me(program, top, viewer_id)
        size = _members(program).count()
    else:
        members = set(_members(program).values_list("person_id", flat=True))
        totals = dict(_program_totals(program).values_list("person_id", "total"))
        ranked = rules.rank({pk: totals.get(pk, 0) for pk in members})
        scope_ids = set(scope_ids)
        shown = [r for r in ranked if r.key in scope_ids]
        me = next((r for r in ranked if r.key == viewer_id), None)
        size = len(members)
    ids = {r.key for r in shown} | ({viewer_id} if me else set())
    names = _display_names(ids, viewer_id, reveal_names)
    earned = badges(program, ids)

    def row(r):
        return {
            "person_id": r.key,
            "rank": r.rank,
            "points": r.score,
            "is_me": r.key == viewer_id,
            **names[r.key],
            "badges": earned.get(r.key),
        }

    return {
        "rows": [row(r) for r in shown],
        "me": row(me) if me else None,
        "me_shown": any(r.key == viewer_id for r in shown),
        "size": size,
    }


def competition_standings(competition):
    """Teams ranked by points per head earned in the competition's dates (three queries)."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(competition.starts_on, time.min), tz)
    end = timezone.make_aware(datetime.combine(competition.ends_on + timedelta(days=1), time.min), tz)
    team_by_person = dict(
        Person.objects.filter(
            pk__in=_members(competition.program), team__isnull=False, is_active=True
        ).values_list("pk", "team_id")
    )
    points = dict(
        PointEntry.objects.filter(program=competition.program, earned_at__gte=start, earned_at__lt=end)
        .values("person_id")
        .annotate(total=Sum("points"))
        .values_list("person_id", "total")
        .order_by()
    )
    per_team = rules.per_head(points, team_by_person)  # counts only members with a team
    ranked = rules.rank({team: score for team, (score, _, _) in per_team.items()})
    team_names = dict(Team.objects.filter(pk__in=list(per_team)).values_list("pk", "name"))
    return [
        {
            "rank": r.rank,
            "team": team_names[r.key],
            "team_id": r.key,
            "per_head": r.score,
            "headcount": per_team[r.key][1],
            "total": per_team[r.key][2],
        }
        for r in ranked
    ]


def points_of(person, program):
    entries = list(PointEntry.objects.filter(person=person, program=program)[:50])
    total = PointEntry.objects.filter(person=person, program=program).aggregate(t=Sum("points"))["t"] or 0
    return {"entries": entries, "total": total}


def hides_name(person):
    return PracticeProfile.objects.filter(person=person, hide_name=True).exists()
