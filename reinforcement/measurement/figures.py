"""The dashboard's figures for any slice of a program's sellers, in two steps.

1. `collect` runs a fixed number of grouped aggregate queries over the in-scope sellers
   (weekly stage counts, activity and metric actuals per group, one light row per seller,
   each person's metric change for the impact estimate);
2. `build` turns those into the JSON-ready dict the dashboard shows, and `present` cuts that
   dict to a date range for the page.

The periodic snapshot job (services.snapshot_refresh) runs `collect` once for the whole org,
grouped by region, and stores `build` for the org and for every region; team and manager
views are small and are built live (selectors.live_data). Either way the page reads one dict
of the same shape.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from cohorts.models import Enrollment, Region, Team, Wave
from programs.models import ProgramMetric, ProgramSkill
from reinforcement.models import (
    ActionPlan,
    AssessmentResult,
    CoachingSession,
    Nudge,
    ReinforcementRules,
    ReviewLog,
    SkillStage,
    Stage,
    StageEvent,
)
from reinforcement.practice.selectors import review_counts_by_person
from reinforcement.selectors import shows_progress

from .models import MetricActual
from .stats import ADOPTION_GOAL, ADOPTION_STRETCH, coaching_adherence, did_estimate, share

WEEKS_BEFORE_LAUNCH = 12
MAX_WEEKS = 52
STAGES = list(Stage.values)
RANK = {value: index for index, value in enumerate(STAGES)}
ADOPTED_RANK = RANK[Stage.APPLY]
LEARN_RANK = RANK[Stage.LEARN]
ACTIVITY = ("scheduled", "attended", "sent", "answered", "reviews", "recall_sum", "recall_n", "coaching")
# `trained` is not summed over weeks: it is the number of trained sellers at each week's end.
SERIES = (*ACTIVITY, "trained")
OVERDUE_LIST = 25
MANAGER_LIST = 10
ALL = "all"


class ProgramNotLaunched(Exception):
    """The program has not launched (or was taken back): it shows nobody's progress, so there
    are no figures to compute, store or show."""


def monday(day):
    return day - timedelta(days=day.weekday())


def as_date(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def launch_of(program, today=None):
    """The program's launch: its start date, else today."""
    return program.start_date or today or timezone.localdate()


def week_axis(program, today=None):
    """Mondays from 12 weeks before launch to this week (at most a year, at least one week)."""
    today = today or timezone.localdate()
    end = monday(today)
    start = monday(launch_of(program, today)) - timedelta(weeks=WEEKS_BEFORE_LAUNCH)
    start = max(min(start, end), end - timedelta(weeks=MAX_WEEKS - 1))
    return [start + timedelta(weeks=i) for i in range((end - start).days // 7 + 1)]


# ---------------------------------------------------------------- collect


def _group_key(row, field):
    return ALL if field is None else row[field]


def _values(qs, field, *names):
    return qs.values(*([field] if field else []), *names)


def _person_filter(prefix, people):
    return {f"{prefix}__in": people.values("pk")}


def _week_slot(week, index):
    return index.get(monday(as_date(week)))


def _new_weekly(axis, skills, metrics):
    n = len(axis)
    return {
        "people": 0,
        "stage_weeks": {str(ps): [[0] * len(STAGES) for _ in range(n)] for ps in skills},
        "current": {str(ps): [0] * len(STAGES) for ps in skills},
        "activity": {name: [0] * n for name in SERIES},
        "assessment": {"pairs": 0, "gain_sum": 0.0},
        "metrics": {str(pm): {"sum": [0.0] * n, "n": [0] * n} for pm in metrics},
    }


def collect(program, people, *, group=None, today=None, now=None):
    """Grouped raw figures for `people` (a queryset of in-scope sellers).

    `group` is a Person field ("region_id", "team_id") or None for one group called "all".
    Returns a dict with the axis, the program's skills and metrics, `weekly` per group,
    `sellers` (one light row per seller) and `changes` (per-person metric changes).
    Raises ProgramNotLaunched for a program that has not launched: every caller shows a
    "not launched" state instead of zeros that would look measured.
    """
    if not shows_progress(program):
        raise ProgramNotLaunched
    now = now or timezone.now()
    today = today or timezone.localdate()
    axis = week_axis(program, today)
    index = {week: i for i, week in enumerate(axis)}
    launch = launch_of(program, today)
    rules = ReinforcementRules.for_program(program)
    skills = list(ProgramSkill.objects.filter(program=program).select_related("skill").order_by("id"))
    metrics = list(ProgramMetric.objects.filter(program=program).select_related("metric").order_by("id"))
    skill_ids = [ps.pk for ps in skills]
    weekly = defaultdict(lambda: _new_weekly(axis, skill_ids, [pm.pk for pm in metrics]))
    g = (lambda prefix: f"{prefix}__{group}") if group else (lambda prefix: None)
    start = timezone.make_aware(datetime.combine(axis[0], datetime.min.time()))

    # People and today's stages.
    sellers = {}
    for row in people.values("pk", "first_name", "last_name", "region_id", "team_id", "manager_id"):
        row["stages"] = {}
        sellers[row["pk"]] = row
        weekly[_group_key(row, group)]["people"] += 1
    for person_id, ps_id, stage in SkillStage.objects.filter(
        program_skill__program=program, **_person_filter("person", people)
    ).values_list("person_id", "program_skill_id", "stage"):
        seller = sellers.get(person_id)
        if seller is None:
            continue
        seller["stages"][str(ps_id)] = RANK[stage]
        weekly[_group_key(seller, group)]["current"][str(ps_id)][RANK[stage]] += 1
    for agg in weekly.values():
        for counts in agg["current"].values():
            counts[0] += agg["people"] - sum(counts)

    # Stage moves per week, to walk today's counts back in time.
    moves = (
        _values(
            StageEvent.objects.filter(
                skill_stage__program_skill__program=program,
                created_at__gte=start + timedelta(weeks=1),
                **_person_filter("skill_stage__person", people),
            ).annotate(week=TruncWeek("created_at")),
            g("skill_stage__person"),
            "week",
            "skill_stage__program_skill_id",
            "from_stage",
            "to_stage",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    deltas = defaultdict(lambda: defaultdict(lambda: [0] * len(STAGES)))
    for row in moves:
        slot = _week_slot(row["week"], index)
        if slot is None:
            continue
        key = row[g("skill_stage__person")] if group else ALL
        delta = deltas[(key, str(row["skill_stage__program_skill_id"]))][slot]
        delta[RANK[row["to_stage"]]] += row["n"]
        delta[RANK[row["from_stage"]]] -= row["n"]
    for key, agg in weekly.items():
        for ps, current in agg["current"].items():
            series, counts = agg["stage_weeks"][ps], list(current)
            moved = deltas.get((key, ps), {})
            for slot in range(len(axis) - 1, -1, -1):
                series[slot] = list(counts)
                if slot in moved:
                    counts = [c - d for c, d in zip(counts, moved[slot], strict=True)]

    def add_weekly(rows, prefix, week_field, mapping):
        for row in rows:
            slot = _week_slot(row[week_field], index)
            if slot is None:
                continue
            activity = weekly[row[g(prefix)] if group else ALL]["activity"]
            for target, source in mapping.items():
                activity[target][slot] += float(row[source] or 0) if target == "recall_sum" else row[source]

    add_weekly(
        _values(
            Enrollment.objects.filter(
                session__cohort__program=program,
                session__starts_at__gte=start,
                session__starts_at__lte=now,
                **_person_filter("person", people),
            )
            .exclude(status=Enrollment.Status.CANCELLED)
            .annotate(week=TruncWeek("session__starts_at")),
            g("person"),
            "week",
        )
        .annotate(
            scheduled=Count("id"), attended=Count("id", filter=Q(attendance=Enrollment.Attendance.ATTENDED))
        )
        .order_by(),
        "person",
        "week",
        {"scheduled": "scheduled", "attended": "attended"},
    )
    add_weekly(
        _values(
            Nudge.objects.filter(
                kind=Nudge.Kind.QUESTION,
                card__program=program,
                sent_at__gte=start,
                **_person_filter("person", people),
            ).annotate(week=TruncWeek("sent_at")),
            g("person"),
            "week",
        )
        .annotate(sent=Count("id"), answered=Count("id", filter=Q(status=Nudge.Status.ANSWERED)))
        .order_by(),
        "person",
        "week",
        {"sent": "sent", "answered": "answered"},
    )
    add_weekly(
        _values(
            ReviewLog.objects.filter(
                card__program=program, reviewed_at__gte=start, **_person_filter("card__person", people)
            ).annotate(week=TruncWeek("reviewed_at")),
            g("card__person"),
            "week",
        )
        .annotate(reviews=Count("id"), recall_sum=Sum("predicted_recall"), recall_n=Count("predicted_recall"))
        .order_by(),
        "card__person",
        "week",
        {"reviews": "reviews", "recall_sum": "recall_sum", "recall_n": "recall_n"},
    )
    # Evidence belongs to a program: only coaching logged for this one counts.
    coached = CoachingSession.sellers.through.objects.filter(
        coachingsession__program=program, **_person_filter("person", people)
    )
    add_weekly(
        _values(
            coached.filter(coachingsession__occurred_on__gte=axis[0]).annotate(
                week=TruncWeek("coachingsession__occurred_on")
            ),
            g("person"),
            "week",
        )
        .annotate(coaching=Count("id"))
        .order_by(),
        "person",
        "week",
        {"coaching": "coaching"},
    )

    # Assessment gain: post − pre for every person and skill with both.
    pre = AssessmentResult.objects.filter(
        person=OuterRef("person"), program_skill=OuterRef("program_skill"), kind=AssessmentResult.Kind.PRE
    ).values("score")[:1]
    for row in (
        _values(
            AssessmentResult.objects.filter(
                program_skill__program=program,
                kind=AssessmentResult.Kind.POST,
                **_person_filter("person", people),
            )
            .annotate(pre=Subquery(pre))
            .filter(pre__isnull=False),
            g("person"),
        )
        .annotate(pairs=Count("id"), gain_sum=Sum(F("score") - F("pre")))
        .order_by()
    ):
        assessment = weekly[row[g("person")] if group else ALL]["assessment"]
        assessment["pairs"] += row["pairs"]
        assessment["gain_sum"] += float(row["gain_sum"] or 0)

    # Lagging: person-level actuals of the program's metrics, per week.
    metric_of = {pm.metric_id: str(pm.pk) for pm in metrics}
    for row in (
        _values(
            MetricActual.objects.filter(
                metric_id__in=metric_of, period_start__gte=axis[0], **_person_filter("person", people)
            ).annotate(week=TruncWeek("period_start")),
            g("person"),
            "week",
            "metric_id",
        )
        .annotate(total=Sum("value"), n=Count("id"))
        .order_by()
    ):
        slot = _week_slot(row["week"], index)
        if slot is None:
            continue
        series = weekly[row[g("person")] if group else ALL]["metrics"][metric_of[row["metric_id"]]]
        series["sum"][slot] += float(row["total"])
        series["n"][slot] += row["n"]

    # One light row per seller: coaching, nudges, overdue items since launch.
    for person_id, n, last in (
        coached.values("person_id")
        .annotate(
            n=Count("id", filter=Q(coachingsession__occurred_on__gte=launch)),
            last=Max("coachingsession__occurred_on"),
        )
        .values_list("person_id", "n", "last")
        .order_by()
    ):
        if person_id in sellers:
            sellers[person_id]["coaching"] = n
            sellers[person_id]["last_coaching"] = last
    for person_id, sent, answered in (
        Nudge.objects.filter(
            kind=Nudge.Kind.QUESTION,
            card__program=program,
            sent_at__gte=start,
            **_person_filter("person", people),
        )
        .values("person_id")
        .annotate(sent=Count("id"), answered=Count("id", filter=Q(status=Nudge.Status.ANSWERED)))
        .values_list("person_id", "sent", "answered")
        .order_by()
    ):
        if person_id in sellers:
            sellers[person_id]["sent"], sellers[person_id]["answered"] = sent, answered
    for person_id, n in (
        ActionPlan.objects.filter(
            program=program,
            status=ActionPlan.Status.OPEN,
            due_on__lt=today,
            **_person_filter("person", people),
        )
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
        .order_by()
    ):
        if person_id in sellers:
            sellers[person_id]["plans_overdue"] = n
    # Practice attempts for this program reviewed, and waiting for review past their due date
    # (accountability); practice for another program on the same skill is that program's.
    for person_id, (reviewed, late) in review_counts_by_person(people, program, now=now).items():
        if person_id in sellers:
            sellers[person_id]["practice_reviewed"], sellers[person_id]["reviews_overdue"] = reviewed, late
    # Training date: the first attended session; sellers at Learn or beyond without a recorded
    # attendance count as trained from launch. Coaching is expected only once trained.
    first_attended = {
        person_id: as_date(first)
        for person_id, first in Enrollment.objects.filter(
            session__cohort__program=program,
            attendance=Enrollment.Attendance.ATTENDED,
            **_person_filter("person", people),
        )
        .values("person_id")
        .annotate(first=Min("session__starts_at"))
        .values_list("person_id", "first")
        .order_by()
    }
    due_before = today - timedelta(days=rules.coaching_cadence_days)
    for seller in sellers.values():
        seller.setdefault("coaching", 0)
        seller.setdefault("last_coaching", None)
        seller.setdefault("sent", 0)
        seller.setdefault("answered", 0)
        seller.setdefault("plans_overdue", 0)
        seller.setdefault("practice_reviewed", 0)
        seller.setdefault("reviews_overdue", 0)
        trained_on = first_attended.get(seller["pk"])
        if trained_on is None and any(rank >= LEARN_RANK for rank in seller["stages"].values()):
            trained_on = launch
        if trained_on is not None:
            trained_on = max(trained_on, launch)
        seller["trained_on"] = trained_on
        seller["trained_days"] = max(0, (today - trained_on).days + 1) if trained_on else 0
        last = seller["last_coaching"]
        seller["coaching_overdue"] = bool(trained_on) and (last is None or last < due_before)
        if trained_on is not None:
            trained = weekly[_group_key(seller, group)]["activity"]["trained"]
            for slot, week in enumerate(axis):
                if trained_on <= week + timedelta(days=6):
                    trained[slot] += 1

    return {
        "group": group,
        "axis": axis,
        "launch": launch,
        "today": today,
        "rules": rules,
        "skills": skills,
        "metrics": metrics,
        "weekly": dict(weekly),
        "sellers": sellers,
        "changes": _metric_changes(
            program, people, metrics, launch, group, {pk for pk, s in sellers.items() if s["trained_on"]}
        ),
    }


def _metric_changes(program, people, metrics, launch, group, trained):
    """Each person's change in every program metric (mean after launch − mean before), with
    the groups they belong to: trained (see `collect`), pilot wave, holdout wave."""
    if not metrics:
        return []
    waves = dict(
        people.filter(
            memberships__program=program,
            memberships__cohort__wave__kind__in=[Wave.Kind.PILOT, Wave.Kind.HOLDOUT],
        ).values_list("pk", "memberships__cohort__wave__kind")
    )
    metric_of = {pm.metric_id: str(pm.pk) for pm in metrics}
    before, after = Q(period_start__lt=launch), Q(period_start__gte=launch)
    rows = (
        MetricActual.objects.filter(metric_id__in=metric_of, **_person_filter("person", people))
        .values("person_id", "metric_id", *([f"person__{group}"] if group else []))
        .annotate(
            pre_sum=Sum("value", filter=before),
            pre_n=Count("id", filter=before),
            post_sum=Sum("value", filter=after),
            post_n=Count("id", filter=after),
        )
        .order_by()
    )
    changes = []
    for row in rows:
        if not row["pre_n"] or not row["post_n"]:
            continue
        person_id = row["person_id"]
        changes.append(
            (
                row[f"person__{group}"] if group else ALL,
                metric_of[row["metric_id"]],
                float(row["post_sum"]) / row["post_n"] - float(row["pre_sum"]) / row["pre_n"],
                person_id in trained,
                waves.get(person_id, ""),
            )
        )
    return changes


# ---------------------------------------------------------------- build


def _merge(aggs, axis, skill_ids, metric_ids):
    total = _new_weekly(axis, skill_ids, metric_ids)
    for agg in aggs:
        total["people"] += agg["people"]
        for ps, series in agg["stage_weeks"].items():
            for slot, counts in enumerate(series):
                row = total["stage_weeks"][ps][slot]
                for i, c in enumerate(counts):
                    row[i] += c
        for name, series in agg["activity"].items():
            total["activity"][name] = [a + b for a, b in zip(total["activity"][name], series, strict=True)]
        total["assessment"]["pairs"] += agg["assessment"]["pairs"]
        total["assessment"]["gain_sum"] += agg["assessment"]["gain_sum"]
        for pm, series in agg["metrics"].items():
            target = total["metrics"][pm]
            target["sum"] = [a + b for a, b in zip(target["sum"], series["sum"], strict=True)]
            target["n"] = [a + b for a, b in zip(target["n"], series["n"], strict=True)]
    total.pop("current")
    return total


def _impact(changes, metrics, seed):
    designs = []
    pilot = any(wave == Wave.Kind.PILOT for *_, wave in changes)
    holdout = any(wave == Wave.Kind.HOLDOUT for *_, wave in changes)
    plans = [("trained", "Trained vs not yet trained", ("Trained people", "people not yet trained"))]
    if pilot and holdout:
        plans.append(("pilot", "Pilot vs holdout", ("The pilot group", "the holdout group")))
    for key, label, labels in plans:
        rows = []
        for pm in metrics:
            mine = [c for c in changes if c[1] == str(pm.pk)]
            if key == "trained":
                treated = [c[2] for c in mine if c[3]]
                control = [c[2] for c in mine if not c[3]]
            else:
                treated = [c[2] for c in mine if c[4] == Wave.Kind.PILOT]
                control = [c[2] for c in mine if c[4] == Wave.Kind.HOLDOUT]
            impact = did_estimate(treated, control, direction=pm.direction, seed=seed + pm.pk, labels=labels)
            rows.append({"id": pm.pk, "name": pm.metric.name, "unit": pm.unit, **impact.as_json()})
        designs.append({"key": key, "label": label, "metrics": rows})
    return designs


def _child_rows(sellers, child_group, skill_count, names, cadence):
    rows = {}
    for seller in sellers:
        key = seller[child_group] if child_group != "id" else seller["pk"]
        row = rows.setdefault(
            key,
            {
                "id": key,
                "people": 0,
                "adopted": 0,
                "pairs": 0,
                "coaching": 0,
                "trained_days": 0,
                "sent": 0,
                "answered": 0,
                "coaching_overdue": 0,
                "plans_overdue": 0,
                "reviews_overdue": 0,
            },
        )
        row["people"] += 1
        row["pairs"] += skill_count
        row["adopted"] += sum(1 for rank in seller["stages"].values() if rank >= ADOPTED_RANK)
        for name in ("coaching", "sent", "answered", "plans_overdue", "reviews_overdue", "trained_days"):
            row[name] += seller[name]
        row["coaching_overdue"] += seller["coaching_overdue"]
    result = []
    for key, row in rows.items():
        expected, adherence = coaching_adherence(row["coaching"], row.pop("trained_days"), cadence)
        row.update(names.get(key, {"name": "No team" if key is None else str(key)}))
        row["adoption"] = share(row["adopted"], row["pairs"])
        row["expected"] = expected
        row["adherence"] = adherence
        row["answer_rate"] = share(row["answered"], row["sent"])
        result.append(row)
    result.sort(key=lambda r: r["name"] or "")
    return result


def _names_for(child_group, keys, sellers):
    if child_group == "region_id":
        return {r.pk: {"name": r.name} for r in Region.objects.filter(pk__in=[k for k in keys if k])}
    if child_group == "team_id":
        return {
            t.pk: {
                "name": t.name,
                "manager": t.manager.full_name if t.manager else "",
                "manager_id": t.manager_id,
            }
            for t in Team.objects.filter(pk__in=[k for k in keys if k]).select_related("manager")
        }
    return {s["pk"]: {"name": f"{s['first_name']} {s['last_name']}", "stages": s["stages"]} for s in sellers}


def build(raw, *, groups=None, child_group="region_id", team_rows=None, seed=0):
    """The dashboard dict for the groups `groups` of `raw` (all when None).

    `team_rows` (precomputed per-team rows) feed the managers' ranking; when None they are
    computed from the sellers of the chosen groups.
    """
    axis, skills, metrics = raw["axis"], raw["skills"], raw["metrics"]
    keys = set(raw["weekly"]) if groups is None else set(groups)
    weekly = _merge(
        [raw["weekly"][k] for k in keys if k in raw["weekly"]],
        axis,
        [ps.pk for ps in skills],
        [pm.pk for pm in metrics],
    )
    group_field = raw.get("group")
    sellers = [
        s
        for s in raw["sellers"].values()
        if groups is None or (s[group_field] if group_field else ALL) in keys
    ]
    cadence = raw["rules"].coaching_cadence_days
    children = _child_rows(
        sellers,
        child_group,
        len(skills),
        _names_for(
            child_group, {s[child_group] if child_group != "id" else s["pk"] for s in sellers}, sellers
        ),
        cadence,
    )
    if team_rows is None:
        team_rows = (
            children
            if child_group == "team_id"
            else _child_rows(
                sellers,
                "team_id",
                len(skills),
                _names_for("team_id", {s["team_id"] for s in sellers}, sellers),
                cadence,
            )
        )
    managers = [r for r in team_rows if r.get("manager_id")]
    managers.sort(key=lambda r: (r["adherence"] is None, r["adherence"] or 0, r["adoption"] or 0, r["name"]))
    overdue = sorted(
        (s for s in sellers if s["coaching_overdue"] or s["plans_overdue"]),
        key=lambda s: (-(s["plans_overdue"]), s["last_coaching"] or date.min, s["last_name"]),
    )
    team_names = _names_for("team_id", {s["team_id"] for s in overdue[:OVERDUE_LIST]}, [])
    changes = [c for c in raw["changes"] if groups is None or c[0] in keys]
    return {
        "axis": [d.isoformat() for d in axis],
        "launch": raw["launch"].isoformat(),
        "today": raw["today"].isoformat(),
        "cadence_days": cadence,
        "people": weekly["people"],
        "skills": [{"id": str(ps.pk), "name": ps.skill.name} for ps in skills],
        "stage_weeks": weekly["stage_weeks"],
        "activity": weekly["activity"],
        "assessment": weekly["assessment"],
        "metrics": [
            {
                "id": str(pm.pk),
                "name": pm.metric.name,
                "unit": pm.unit,
                "direction": pm.direction,
                "baseline": float(pm.baseline),
                "target": float(pm.target),
                **weekly["metrics"][str(pm.pk)],
            }
            for pm in metrics
        ],
        "impact": _impact(changes, metrics, seed),
        "children": [_jsonable(r) for r in children],
        "child_group": child_group,
        "managers": {
            "count": len(managers),
            "lowest": [_jsonable(r) for r in managers[:MANAGER_LIST]],
            "highest": [_jsonable(r) for r in reversed(managers[-MANAGER_LIST:])]
            if len(managers) > MANAGER_LIST
            else [],
        },
        "practice_reviewed": sum(s["practice_reviewed"] for s in sellers),
        "overdue": {
            "coaching": sum(s["coaching_overdue"] for s in sellers),
            "plans": sum(s["plans_overdue"] for s in sellers),
            "reviews": sum(s["reviews_overdue"] for s in sellers),
            "sellers": len(overdue),
            "list": [
                {
                    "id": s["pk"],
                    "name": f"{s['first_name']} {s['last_name']}",
                    "team": team_names.get(s["team_id"], {}).get("name", ""),
                    "last_coaching": s["last_coaching"].isoformat() if s["last_coaching"] else None,
                    "coaching_overdue": s["coaching_overdue"],
                    "plans_overdue": s["plans_overdue"],
                }
                for s in overdue[:OVERDUE_LIST]
            ],
        },
    }


def _jsonable(row):
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()}


# ---------------------------------------------------------------- present


def present(data, *, date_from=None, date_to=None):
    """What the page shows for a date range: adoption at the end of the range, trends within it."""
    axis = [date.fromisoformat(d) for d in data["axis"]]
    today = date.fromisoformat(data["today"])
    launch = date.fromisoformat(data["launch"])
    date_from = date_from or axis[0]
    date_to = min(date_to or today, today)
    slots = [i for i, week in enumerate(axis) if monday(date_from) <= week <= date_to] or [len(axis) - 1]
    end = slots[-1]
    people = data["people"]
    weeks = [axis[i].isoformat() for i in slots]
    # Adoption is followed from the launch week on (earlier weeks are all "not started").
    trend_slots = [i for i in slots if axis[i] >= monday(launch)] or [end]

    skills = []
    for skill in data["skills"]:
        series = data["stage_weeks"][skill["id"]]
        counts = series[end]
        adopted = counts[ADOPTED_RANK] + counts[ADOPTED_RANK + 1]
        skills.append(
            {
                **skill,
                "counts": counts,
                "funnel": [
                    {"stage": label, "count": c} for label, c in zip(Stage.labels, counts, strict=True)
                ],
                "adopted": adopted,
                "adoption": share(adopted, people),
                "trend": [
                    share(series[i][ADOPTED_RANK] + series[i][ADOPTED_RANK + 1], people) for i in trend_slots
                ],
            }
        )
    act = {name: sum(data["activity"][name][i] for i in slots) for name in ACTIVITY}
    # Seller-days of trained sellers within the range: each week's trained count times the days
    # of that week inside [max(from, launch), to].
    start_day = max(date_from, launch)
    seller_days = 0
    for i in slots:
        first, last = max(axis[i], start_day), min(axis[i] + timedelta(days=6), date_to)
        if last >= first:
            seller_days += data["activity"]["trained"][i] * ((last - first).days + 1)
    expected, adherence = coaching_adherence(act["coaching"], seller_days, data["cadence_days"])
    assessment = data["assessment"]
    leading = {
        "sessions_scheduled": act["scheduled"],
        "sessions_attended": act["attended"],
        "attendance_rate": share(act["attended"], act["scheduled"]),
        "assessment_pairs": assessment["pairs"],
        "assessment_gain": share(assessment["gain_sum"], assessment["pairs"]),
        "nudges_sent": act["sent"],
        "nudges_answered": act["answered"],
        "answer_rate": share(act["answered"], act["sent"]),
        "reviews": act["reviews"],
        "average_recall": share(act["recall_sum"], act["recall_n"]),
        "coaching_logged": act["coaching"],
        "coaching_expected": expected,
        "coaching_adherence": adherence,
        "weekly": {
            "attendance": [
                share(data["activity"]["attended"][i], data["activity"]["scheduled"][i]) for i in slots
            ],
            "answer_rate": [
                share(data["activity"]["answered"][i], data["activity"]["sent"][i]) for i in slots
            ],
            "recall": [
                share(data["activity"]["recall_sum"][i], data["activity"]["recall_n"][i]) for i in slots
            ],
            "coaching": [data["activity"]["coaching"][i] for i in slots],
        },
    }
    metrics = [
        {
            **{k: v for k, v in m.items() if k not in ("sum", "n")},
            "series": [share(m["sum"][i], m["n"][i]) for i in slots],
            "reporting": [m["n"][i] for i in slots],
        }
        for m in data["metrics"]
    ]
    adoption_all = share(sum(s["adopted"] for s in skills), people * len(skills))
    return {
        "weeks": weeks,
        "trend_weeks": [axis[i].isoformat() for i in trend_slots],
        "as_of": min(axis[end] + timedelta(days=6), today),
        "people": people,
        "skills": skills,
        "adoption": adoption_all,
        "goal": ADOPTION_GOAL,
        "stretch": ADOPTION_STRETCH,
        "leading": leading,
        "metrics": metrics,
        "impact": data["impact"],
        "children": data["children"],
        "child_group": data["child_group"],
        "managers": data["managers"],
        "overdue": data["overdue"],
        "practice_reviewed": data.get("practice_reviewed"),  # absent in snapshots stored before it
        "launch": launch,
        "date_from": axis[slots[0]],
        "date_to": date_to,
        "axis_start": axis[0],
        "cadence_days": data["cadence_days"],
    }
