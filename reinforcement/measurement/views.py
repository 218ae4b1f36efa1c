import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from cohorts.models import Person, Team
from programs.access import program_for
from rolloutplanner.limits import parse_id

from . import access
from .figures import present
from .forms import DashboardFilterForm, MetricImportForm
from .health import program_health_for
from .models import MetricActual
from .selectors import (
    FiguresPending,
    ProgramNotLaunched,
    dashboard_programs,
    default_program,
    figures_for,
    not_launched_note,
    planned_for,
)
from .services import metric_actuals_import, snapshot_refresh

CSV_TABLES = ("adoption", "trend", "children", "leading", "lagging", "impact", "managers", "overdue")


def _dashboard(request):
    """Parse the filters, check the scope and load its figures (snapshot or live)."""
    programs = dashboard_programs()
    form = DashboardFilterForm(request.GET or None, programs=programs)
    data = {}
    if form.is_bound:
        form.is_valid()  # an invalid field is reported next to it; the valid ones still apply
        data = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    program = data.get("program") or default_program(programs)
    if program is None:
        return form, None
    team = manager = None
    if data.get("team"):
        team = get_object_or_404(Team.objects.select_related("region", "manager"), pk=data["team"])
    elif data.get("manager"):
        manager = get_object_or_404(Person.objects.select_related("region"), pk=data["manager"])
    scope = access.scope_for(
        request.user, program=program, region=data.get("region"), team=team, manager=manager
    )
    try:
        snapshot, figures = figures_for(scope)
    except ProgramNotLaunched:
        return form, {"program": program, "scope": scope, "not_launched": True, "filters": data}
    except FiguresPending:
        return form, {"program": program, "scope": scope, "pending": True, "filters": data}
    view = present(figures, date_from=data.get("date_from"), date_to=data.get("date_to"))
    return form, {"program": program, "scope": scope, "snapshot": snapshot, "view": view, "filters": data}


def _query(program, scope, filters, **extra):
    params = {"program": program.pk}
    for key in ("date_from", "date_to"):
        if filters.get(key):
            params[key] = filters[key].isoformat()
    params.update({k: v for k, v in extra.items() if v is not None})
    return "?" + urlencode(params)


def _crumbs(request, program, scope, filters):
    return [
        (label, _query(program, scope, filters, **params))
        for label, params in scope.breadcrumbs
        # Managers cannot open the org or region views: no links to them.
        if access.can_read_org(request.user) or "team" in params or "manager" in params
    ]


def dashboard(request):
    form, ctx = _dashboard(request)
    if ctx is None:
        return render(request, "measurement/dashboard.html", {"form": form, "ctx": None})
    if ctx.get("not_launched"):
        # Before launch nobody's progress shows: only what is planned, and when figures start.
        program, scope = ctx["program"], ctx["scope"]
        return render(
            request,
            "measurement/dashboard.html",
            {
                "form": form,
                "ctx": ctx,
                "not_launched": True,
                "note": not_launched_note(program),
                "planned": planned_for(scope),
                "program": program,
                "scope": scope,
                "crumbs": _crumbs(request, program, scope, ctx["filters"]),
                "can_refresh": access.can_refresh(request.user),
            },
        )
    if ctx.get("pending"):
        return render(
            request,
            "measurement/dashboard.html",
            {
                "form": form,
                "ctx": ctx,
                "pending": True,
                "program": ctx["program"],
                "scope": ctx["scope"],
                "can_refresh": access.can_refresh(request.user),
            },
        )
    program, scope, view, filters = ctx["program"], ctx["scope"], ctx["view"], ctx["filters"]
    crumbs = _crumbs(request, program, scope, filters)
    child_param = {"region_id": "region", "team_id": "team"}.get(view["child_group"])
    base = reverse("measurement:dashboard")
    person_base = reverse("reinforcement:person", args=[0])[:-2]  # ".../people/" (id appended)
    for row in view["children"]:
        if row.get("manager_id"):
            row["manager_url"] = base + _query(program, scope, filters, manager=row["manager_id"])
        if child_param and row["id"]:
            row["url"] = base + _query(program, scope, filters, **{child_param: row["id"]})
        elif view["child_group"] == "id":
            row["url"] = f"{person_base}{row['id']}/"
    for row in view["managers"]["lowest"] + view["managers"]["highest"]:
        row["url"] = base + _query(program, scope, filters, team=row["id"])
    chart = {
        "weeks": view["weeks"],
        "trend_weeks": view["trend_weeks"],
        "goal": view["goal"],
        "stretch": view["stretch"],
        "stages": [s["funnel"] for s in view["skills"]],
        "skills": [{"name": s["name"], "trend": s["trend"], "counts": s["counts"]} for s in view["skills"]],
        "stage_labels": [f["stage"] for f in view["skills"][0]["funnel"]] if view["skills"] else [],
        "leading": view["leading"]["weekly"],
        "metrics": view["metrics"],
    }
    csv_query = _query(program, scope, filters, **_scope_params(scope))
    trend_rows = [
        (week, [s["trend"][i] for s in view["skills"]]) for i, week in enumerate(view["trend_weeks"])
    ]
    weekly = view["leading"]["weekly"]
    leading_rows = [
        (week, weekly["attendance"][i], weekly["answer_rate"][i], weekly["recall"][i], weekly["coaching"][i])
        for i, week in enumerate(view["weeks"])
    ]
    for m in view["metrics"]:
        m["rows"] = list(zip(view["weeks"], m["series"], m["reporting"], strict=True))
    return render(
        request,
        "measurement/dashboard.html",
        {
            "form": form,
            "ctx": ctx,
            "program": program,
            "scope": scope,
            "view": view,
            "snapshot": ctx["snapshot"],
            "crumbs": crumbs,
            "chart": chart,
            "csv_query": csv_query,
            "trend_rows": trend_rows,
            "leading_rows": leading_rows,
            "can_refresh": access.can_refresh(request.user),
        },
    )


def _scope_params(scope):
    return {
        "region": scope.region.pk if scope.kind == "region" else None,
        "team": scope.team.pk if scope.team else None,
        "manager": scope.manager.pk if scope.manager else None,
    }


class _SafeWriter:
    """A csv writer that keeps spreadsheets from running text cells as formulas: text starting
    with = + - @ (names come from imports) gets a leading apostrophe; numbers are left alone."""

    def __init__(self, writer):
        self.writer = writer

    def writerow(self, row):
        self.writer.writerow([_safe_cell(cell) for cell in row])


def _safe_cell(cell):
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@"):
        try:
            float(cell)
        except ValueError:
            return "'" + cell
    return cell


def _pct(value):
    return "" if value is None else f"{100 * value:.1f}"


def _num(value, digits=2):
    return "" if value is None else f"{value:.{digits}f}"


def dashboard_csv(request, table):
    """The numbers behind one chart or table of the dashboard, as CSV (same filters)."""
    if table not in CSV_TABLES:
        raise PermissionDenied
    form, ctx = _dashboard(request)
    if ctx is None:
        raise PermissionDenied
    if ctx.get("not_launched"):
        return HttpResponse(not_launched_note(ctx["program"]), status=409, content_type="text/plain")
    if ctx.get("pending"):
        return HttpResponse("The figures are not computed yet.", status=503, content_type="text/plain")
    view = ctx["view"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table}-{ctx["program"].pk}.csv"'
    out = _SafeWriter(csv.writer(response))
    if table == "adoption":
        stages = [f["stage"] for f in view["skills"][0]["funnel"]] if view["skills"] else []
        out.writerow(["skill", *stages, "people", "adoption_pct"])
        for s in view["skills"]:
            out.writerow([s["name"], *s["counts"], view["people"], _pct(s["adoption"])])
    elif table == "trend":
        out.writerow(["week", *[s["name"] for s in view["skills"]]])
        for i, week in enumerate(view["trend_weeks"]):
            out.writerow([week, *[_pct(s["trend"][i]) for s in view["skills"]]])
    elif table == "children":
        out.writerow(
            [
                "name",
                "manager",
                "people",
                "adoption_pct",
                "coaching_logged",
                "coaching_expected",
                "coaching_adherence_pct",
                "answer_rate_pct",
                "coaching_overdue",
                "plans_overdue",
            ]
        )
        for r in view["children"]:
            out.writerow(
                [
                    r["name"],
                    r.get("manager", ""),
                    r["people"],
                    _pct(r["adoption"]),
                    r["coaching"],
                    r["expected"],
                    _pct(r["adherence"]),
                    _pct(r["answer_rate"]),
                    r["coaching_overdue"],
                    r["plans_overdue"],
                ]
            )
    elif table == "leading":
        lead = view["leading"]
        out.writerow(["week", "attendance_pct", "answer_rate_pct", "average_recall_pct", "coaching_logged"])
        for i, week in enumerate(view["weeks"]):
            out.writerow(
                [
                    week,
                    _pct(lead["weekly"]["attendance"][i]),
                    _pct(lead["weekly"]["answer_rate"][i]),
                    _pct(lead["weekly"]["recall"][i]),
                    lead["weekly"]["coaching"][i],
                ]
            )
    elif table == "lagging":
        out.writerow(["metric", "unit", "week", "average", "people_reporting", "baseline", "target"])
        for m in view["metrics"]:
            for i, week in enumerate(view["weeks"]):
                out.writerow(
                    [
                        m["name"],
                        m["unit"],
                        week,
                        _num(m["series"][i]),
                        m["reporting"][i],
                        m["baseline"],
                        m["target"],
                    ]
                )
    elif table == "impact":
        out.writerow(
            [
                "comparison",
                "metric",
                "unit",
                "treated_n",
                "control_n",
                "treated_change",
                "control_change",
                "difference_in_differences",
                "ci95_low",
                "ci95_high",
                "method",
                "verdict",
            ]
        )
        for design in view["impact"]:
            for m in design["metrics"]:
                out.writerow(
                    [
                        design["label"],
                        m["name"],
                        m["unit"],
                        m["treated_n"],
                        m["control_n"],
                        _num(m["treated_change"]),
                        _num(m["control_change"]),
                        _num(m["estimate"]),
                        _num(m["ci_low"]),
                        _num(m["ci_high"]),
                        m["method"],
                        m["verdict"],
                    ]
                )
    elif table == "managers":
        out.writerow(
            [
                "team",
                "manager",
                "people",
                "coaching_logged",
                "coaching_expected",
                "coaching_adherence_pct",
                "practice_reviews_overdue",
                "adoption_pct",
            ]
        )
        for r in view["managers"]["lowest"] + view["managers"]["highest"]:
            out.writerow(
                [
                    r["name"],
                    r.get("manager", ""),
                    r["people"],
                    r["coaching"],
                    r["expected"],
                    _pct(r["adherence"]),
                    r.get("reviews_overdue", ""),
                    _pct(r["adoption"]),
                ]
            )
    else:
        out.writerow(["seller", "team", "last_coaching", "coaching_overdue", "action_plans_overdue"])
        for r in view["overdue"]["list"]:
            out.writerow(
                [r["name"], r["team"], r["last_coaching"] or "", r["coaching_overdue"], r["plans_overdue"]]
            )
    return response


@require_POST
def refresh(request):
    """Recompute the stored figures of one program now (leads)."""
    if not access.can_refresh(request.user):
        raise PermissionDenied
    program = get_object_or_404(dashboard_programs(), pk=parse_id(request.POST.get("program")) or 0)
    count = snapshot_refresh(program=program)
    if not count:
        messages.info(request, f"Nothing to compute. {not_launched_note(program)}")
    else:
        messages.success(request, f"Dashboard figures recomputed ({count} scope(s)).")
    return redirect(reverse("measurement:dashboard") + f"?program={program.pk}")


def program_health_default(request):
    """The health page of the program the dashboard shows first."""
    access.health_reader(request.user)
    program = default_program(dashboard_programs())
    if program is None:
        messages.info(request, "No program has skills to measure yet.")
        return redirect("programs:list")
    return redirect("measurement:health", pk=program.pk)


def program_health(request, pk):
    access.health_reader(request.user)
    program = program_for(request.user, pk)
    return render(request, "measurement/health.html", {"program": program, **program_health_for(program)})


@require_http_methods(["GET", "POST"])
def actuals_import(request):
    if not access.can_import(request.user):
        raise PermissionDenied
    result = None
    form = MetricImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = metric_actuals_import(content=form.cleaned_data["file"].read(), user=request.user)
        if result.ok:
            messages.success(
                request, f"Imported {result.created} new and {result.updated} replaced metric value(s)."
            )
            return redirect("measurement:actuals_import")
    recent = MetricActual.objects.select_related("metric", "person", "team").order_by("-updated_at", "-id")[
        :20
    ]
    return render(
        request, "measurement/actuals_import.html", {"form": form, "result": result, "recent": recent}
    )
