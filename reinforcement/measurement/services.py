"""Writes of the measurement app: metric actuals in (CSV and API) and the dashboard snapshots."""

import csv
import io
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from cohorts.models import Person, Team
from programs.models import Metric, Program
from reinforcement.selectors import shows_progress
from rolloutplanner.limits import NUL_MESSAGE, date_in_range, date_range_message, nul_lines

from .figures import build, collect
from .models import DashboardSnapshot, MetricActual
from .selectors import sellers_in_scope

COLUMNS = ("metric", "email", "team", "period_start", "period_end", "value")
REQUIRED = ("metric", "period_start", "value")
MAX_ROWS = 200_000
VALUE_LIMIT = Decimal("1e12")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)  # [{"row": n, "column": name, "message": text}]

    @property
    def ok(self):
        return not self.errors


def _parse_date(raw):
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def _date_or_error(raw, column, err):
    value = _parse_date(raw)
    if value is None:
        err(column, f"{raw!r} is not a date (YYYY-MM-DD).")
    elif not date_in_range(value):
        err(column, f"{raw} is out of range. {date_range_message()}")
        value = None
    return value


def metric_actuals_validate(rows):
    """Check every row; return (clean rows, errors). Nothing is written.

    A row names a metric (catalogue name, any case), either a person's `email` or a `team`
    name, a `period_start` (YYYY-MM-DD), an optional `period_end` (default: six days later,
    a week) and a numeric `value`. `rows` are (number, mapping) pairs; errors cite the number
    (a CSV's line number, or an API list index).
    """
    rows = list(rows)
    metrics = {name.lower(): pk for pk, name in Metric.objects.values_list("pk", "name")}
    emails = {str(r.get("email") or "").strip().lower() for _, r in rows} - {""}
    teams_named = {str(r.get("team") or "").strip().lower() for _, r in rows} - {""}
    people = (
        dict(Person.objects.annotate(e=Lower("email")).filter(e__in=emails).values_list("e", "pk"))
        if emails
        else {}
    )
    teams = (
        dict(Team.objects.annotate(n=Lower("name")).filter(n__in=teams_named).values_list("n", "pk"))
        if teams_named
        else {}
    )
    clean, errors, seen = [], [], {}
    for number, row in rows:
        row_errors = []

        def err(column, message, number=number, row_errors=row_errors):
            row_errors.append({"row": number, "column": column, "message": message})

        values = {k: str(row.get(k) if row.get(k) is not None else "").strip() for k in COLUMNS}
        for name in REQUIRED:
            if not values[name]:
                err(name, "This value is required.")
        metric_id = metrics.get(values["metric"].lower()) if values["metric"] else None
        if values["metric"] and metric_id is None:
            err("metric", f"Unknown metric {values['metric']!r}: use a name from the metric catalogue.")
        person_id = team_id = None
        if values["email"] and values["team"]:
            err("email", "Give either a person's e-mail or a team name, not both.")
        elif values["email"]:
            person_id = people.get(values["email"].lower())
            if person_id is None:
                err("email", f"No person with e-mail {values['email']!r} in the org chart.")
        elif values["team"]:
            team_id = teams.get(values["team"].lower())
            if team_id is None:
                err("team", f"No team called {values['team']!r}.")
        else:
            err("email", "Say whose figure this is: a person's e-mail or a team name.")
        start = end = None
        if values["period_start"]:
            start = _date_or_error(values["period_start"], "period_start", err)
        if values["period_end"]:
            end = _date_or_error(values["period_end"], "period_end", err)
        elif start is not None:
            end = start + timedelta(days=6)
        if start and end and end < start:
            err("period_end", "The period ends before it starts.")
        value = None
        if values["value"]:
            try:
                value = Decimal(values["value"])
                if not value.is_finite() or abs(value) >= VALUE_LIMIT:
                    raise InvalidOperation
            except InvalidOperation:
                err("value", f"{values['value']!r} is not a number.")
        if not row_errors:
            key = (metric_id, person_id, team_id, start)
            if key in seen:
                err("period_start", f"Same metric, person or team and period as row {seen[key]}.")
            seen[key] = number
        if row_errors:
            errors += row_errors
            continue
        clean.append(
            {
                "metric_id": metric_id,
                "person_id": person_id,
                "team_id": team_id,
                "period_start": start,
                "period_end": end,
                "value": value.quantize(Decimal("0.0001")),
            }
        )
    return clean, errors


@transaction.atomic
def metric_actuals_save(*, rows, source, user=None):
    """Insert or replace the validated `rows`; returns (created, updated)."""
    now = timezone.now()
    existing = {}
    starts = {r["period_start"] for r in rows}
    metric_ids = {r["metric_id"] for r in rows}
    for pk, metric_id, person_id, team_id, start in MetricActual.objects.filter(
        metric_id__in=metric_ids, period_start__in=starts
    ).values_list("pk", "metric_id", "person_id", "team_id", "period_start"):
        existing[(metric_id, person_id, team_id, start)] = pk
    new, changed = [], []
    for r in rows:
        pk = existing.get((r["metric_id"], r["person_id"], r["team_id"], r["period_start"]))
        actual = MetricActual(pk=pk, source=source, recorded_by=user, updated_at=now, **r)
        (changed if pk else new).append(actual)
    MetricActual.objects.bulk_create(new, batch_size=5000)
    MetricActual.objects.bulk_update(
        changed, ["period_end", "value", "source", "recorded_by", "updated_at"], batch_size=5000
    )
    return len(new), len(changed)


def metric_actuals_import(*, content, user=None, source=MetricActual.Source.CSV):
    """Import a CSV of metric actuals: every bad row is reported and nothing is saved on error."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return ImportResult(errors=[{"row": 0, "column": "", "message": "The file is not UTF-8 text."}])
    if nul_lines(content):
        return ImportResult(
            errors=[{"row": n, "column": "", "message": NUL_MESSAGE} for n in nul_lines(content)]
        )
    reader = csv.DictReader(io.StringIO(content))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("metric", "period_start", "value") if c not in header]
    if not header or missing or not ({"email", "team"} & set(header)):
        need = missing or ["email or team"]
        return ImportResult(
            errors=[
                {
                    "row": 1,
                    "column": "",
                    "message": f"Missing column(s): {', '.join(need)}. Expected: {', '.join(COLUMNS)}.",
                }
            ]
        )
    reader.fieldnames = header
    rows = []
    for number, row in enumerate(reader, start=2):
        if number - 1 > MAX_ROWS:
            return ImportResult(
                errors=[{"row": number, "column": "", "message": f"More than {MAX_ROWS} rows."}]
            )
        if not any((v or "").strip() for k, v in row.items() if k):
            continue
        rows.append((number, row))
    if not rows:
        return ImportResult(errors=[{"row": 2, "column": "", "message": "The file has no data rows."}])
    clean, errors = metric_actuals_validate(rows)
    if errors:
        return ImportResult(errors=errors)
    created, updated = metric_actuals_save(rows=clean, source=source, user=user)
    return ImportResult(created=created, updated=updated)


# ---------------------------------------------------------------- snapshots


def snapshot_refresh(*, program, today=None):
    """Recompute and store the dashboard figures of `program` for the org and every region.

    One pass of grouped queries over the whole org (grouped by region), then one stored dict
    per scope. Returns the number of snapshots written. A program that has not launched (or
    was taken back) has no figures: its stored snapshots are deleted and 0 is returned.
    """
    if not shows_progress(program):
        DashboardSnapshot.objects.filter(program=program).delete()
        return 0
    started = time.monotonic()
    raw = collect(program, sellers_in_scope(program), group="region_id", today=today)
    org = build(raw, child_group="region_id", seed=program.pk)
    scopes = [(0, DashboardSnapshot.Scope.ORG, org)]
    for region_id in raw["weekly"]:
        if region_id is None:
            continue
        scopes.append(
            (
                region_id,
                DashboardSnapshot.Scope.REGION,
                build(raw, groups=[region_id], child_group="team_id", seed=program.pk),
            )
        )
    now = timezone.now()
    duration = int((time.monotonic() - started) * 1000)
    with transaction.atomic():
        for key, scope, data in scopes:
            DashboardSnapshot.objects.update_or_create(
                program=program,
                region_key=key,
                defaults={"scope": scope, "computed_at": now, "duration_ms": duration, "data": data},
            )
        DashboardSnapshot.objects.filter(program=program).exclude(
            region_key__in=[k for k, *_ in scopes]
        ).delete()
    return len(scopes)


def snapshots_refresh_all(*, today=None):
    """Refresh the snapshots of every launched program (and any that already has snapshots: a
    closed one keeps its last figures fresh, one taken back before launch loses them)."""
    programs = Program.objects.filter(status=Program.Status.LAUNCHED) | Program.objects.filter(
        snapshots__isnull=False
    )
    count = 0
    for program in programs.distinct():
        count += snapshot_refresh(program=program, today=today)
    return count
