"""Reads behind the dashboard pages: who is in scope, which slice a page shows, and where its
figures come from (a stored snapshot or `figures` computed live)."""

from dataclasses import dataclass

from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from cohorts.models import Cohort, CohortMember, Person, Region, Session, Team
from cohorts.selectors import people_in_scope
from programs.models import ProgramSkill
from reinforcement.selectors import shows_progress

from .figures import ProgramNotLaunched, build, collect
from .models import DashboardSnapshot


def sellers_in_scope(program):
    """Active individual contributors confirmed for `program` (the adoption denominator)."""
    return people_in_scope(program).filter(level=Person.Level.INDIVIDUAL, is_active=True)


# ---------------------------------------------------------------- scopes


@dataclass
class Scope:
    """A slice of the program's sellers the dashboard can show: org, region, team or manager."""

    program: object
    kind: str = "org"
    region: Region | None = None
    team: Team | None = None
    manager: Person | None = None

    def people(self):
        qs = sellers_in_scope(self.program)
        if self.kind == "region":
            qs = qs.filter(region=self.region)
        elif self.kind == "team":
            qs = qs.filter(team=self.team)
        elif self.kind == "manager":
            qs = qs.filter(org_path__startswith=self.manager.org_path).exclude(pk=self.manager.pk)
        return qs

    @property
    def child_group(self):
        return {"org": "region_id", "region": "team_id"}.get(self.kind, "id")

    @property
    def title(self):
        if self.kind == "region":
            return self.region.name
        if self.kind == "team":
            return self.team.name
        if self.kind == "manager":
            return f"{self.manager.full_name}'s organisation"
        return "Whole organisation"

    @property
    def breadcrumbs(self):
        """[(label, query dict)] from the org down to this scope."""
        crumbs = [("Whole organisation", {})]
        region = self.region or (self.team.region if self.team else None)
        if region is not None:
            crumbs.append((region.name, {"region": region.pk}))
        if self.team is not None:
            crumbs.append((self.team.name, {"team": self.team.pk}))
        if self.manager is not None:
            crumbs.append((self.title, {"manager": self.manager.pk}))
        return crumbs


# ---------------------------------------------------------------- figures


# Above this many sellers an org or region view is never computed during a request: it waits
# for the stored snapshot (the periodic job, or a lead's "Recompute now").
LIVE_LIMIT = 5000


class FiguresPending(Exception):
    """The scope is too big to compute live and has no snapshot yet."""


def figures_for(scope):
    """(snapshot or None, figures dict) for `scope`; raises FiguresPending for a big org or
    region view whose snapshot does not exist yet, and ProgramNotLaunched before launch (a
    snapshot or stage rows left from an earlier launch are never read then)."""
    if not shows_progress(scope.program):
        raise ProgramNotLaunched
    snapshot = scope_snapshot(scope)
    if snapshot is not None:
        return snapshot, snapshot.data
    if scope.kind in ("org", "region") and scope.people().count() > LIVE_LIMIT:
        raise FiguresPending
    return None, live_data(scope)


def live_data(scope, *, today=None):
    """Build the dashboard dict for `scope` straight from the database."""
    raw = collect(scope.program, scope.people(), today=today)
    return build(raw, child_group=scope.child_group, seed=scope.program.pk)


def scope_snapshot(scope):
    """The stored snapshot for an org or region scope, or None."""
    if scope.kind not in ("org", "region"):
        return None
    key = scope.region.pk if scope.kind == "region" else 0
    return DashboardSnapshot.objects.filter(program=scope.program, region_key=key).first()


# ---------------------------------------------------------------- pages


def dashboard_programs():
    """Programs with skills to measure, launched ones first."""
    from programs.models import Program

    return (
        Program.objects.filter(skills__isnull=False)
        .select_related("reinforcement_plan")  # its coaching cadence decides who is overdue
        .distinct()
        .order_by(F("start_date").desc(nulls_last=True), "-id")
    )


def default_program(programs):
    from programs.models import Program

    return programs.filter(status=Program.Status.LAUNCHED).first() or programs.first()


def team_rows(program):
    """Per-team rows (people, adoption, coaching, answer rate, overdue) for the whole program:
    from the stored region snapshots when there are any, else computed live (FiguresPending
    for a big program, ProgramNotLaunched before launch)."""
    if not shows_progress(program):
        raise ProgramNotLaunched
    snapshots = list(
        DashboardSnapshot.objects.filter(program=program, scope=DashboardSnapshot.Scope.REGION).only("data")
    )
    if snapshots:
        return [row for s in snapshots for row in s.data["children"]]
    people = sellers_in_scope(program)
    if people.count() > LIVE_LIMIT:
        raise FiguresPending
    raw = collect(program, people)
    return build(raw, child_group="team_id", seed=program.pk)["children"]


# ---------------------------------------------------------------- before launch


def _day(value):
    return f"{value.day} {value:%b %Y}"


def not_launched_note(program, today=None):
    """The sentence every page, export and API answer gives instead of figures before launch."""
    today = today or timezone.localdate()
    start = program.start_date
    if start is None:
        return "This program has not launched yet — progress appears after launch."
    if start >= today:
        return f"This program has not launched yet — progress appears after launch on {_day(start)}."
    return f"This program has not launched yet — progress appears after launch (planned for {_day(start)})."


def planned_for(scope):
    """What is planned for the scope's sellers before launch: participants, the cohorts and
    waves they are placed in, the sessions of those cohorts and the skills to be measured (no
    evidence, no progress). Four queries whatever the scope's size."""
    people = scope.people()
    placed = CohortMember.objects.filter(
        program=scope.program,
        status=CohortMember.Status.CONFIRMED,
        cohort__isnull=False,
        person__in=people.values("pk"),
    )
    cohorts = Cohort.objects.filter(pk__in=placed.values("cohort_id")).aggregate(
        cohorts=Count("id"), waves=Count("wave_id", distinct=True)
    )
    sessions = Session.objects.filter(cohort_id__in=placed.values("cohort_id")).aggregate(
        sessions=Count("id"),
        upcoming=Count("id", filter=Q(starts_at__gte=timezone.now())),
        first=Min("starts_at"),
        last=Max("starts_at"),
    )
    return {
        "people": people.count(),
        "cohorts": cohorts["cohorts"],
        "waves": cohorts["waves"],
        "sessions": sessions["sessions"],
        "upcoming_sessions": sessions["upcoming"],
        "first_session": sessions["first"],
        "last_session": sessions["last"],
        "skills": list(
            ProgramSkill.objects.filter(program=scope.program)
            .order_by("id")
            .values_list("skill__name", flat=True)
        ),
    }
