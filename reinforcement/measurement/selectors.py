"""Reads behind the dashboard pages: who is in scope, which slice a page shows, and where its
figures come from (a stored snapshot or `figures` computed live)."""

from dataclasses import dataclass

from django.db.models import F

from cohorts.models import Person, Region, Team
from cohorts.selectors import people_in_scope

from .figures import build, collect
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
    region view whose snapshot does not exist yet."""
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
    for a big program)."""
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
