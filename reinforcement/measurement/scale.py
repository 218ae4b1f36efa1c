"""A synthetic organisation at scale for the bench (`manage.py seed_scale`), PostgreSQL only.

For `people` = 100,000: one VP, 10 regional directors, ~7,700 managers with teams of 12 reps;
two launched programs of 5 skills each with everyone below the directors in scope, so about
1,000,000 stage rows; about 2,000,000 stage events, 500,000 coaching logs, 500,000 cards with
3,000,000 review-log rows and 1,500,000 nudges; 26 weeks of win rate and deal size per rep.
Program A has a pilot and a holdout (one team in twenty each) and training sessions spread
over its first 16 weeks; program B has no sessions (stages only).

Rows are streamed with COPY in chunks (a few seconds per million rows). Every value comes from
a seeded generator, so two runs build the same organisation. Columns a model gains later
without being listed here are filled with their model default.
"""

import io
import math
import random
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from programs.models import Metric, Program, ProgramMetric, ProgramSkill, Skill
from rolloutplanner.roles import Role, assign_role, ensure_role_groups

REGIONS = 10
LOCATIONS_PER_REGION = 5
REPS_PER_TEAM = 12
SKILLS = ("Qualifying", "Solution selling", "Negotiating", "Calling high", "Account planning")
WEEKS_SINCE_LAUNCH = 14
METRIC_WEEKS = 26
COACHING_LOGS_PER_PERSON = 5
REVIEWS_PER_CARD = 6
NUDGES_PER_CARD = 3
CHUNK = 250_000
STAGES = ("not_started", "learn", "remember", "practice", "apply", "master")
STAGE_DAYS = (0, 1, 17, 30, 50, 85)
# Share of trained seller-skills ending at each stage from Learn on (cumulative thresholds).
STAGE_CUTS = (0.2, 0.45, 0.65, 0.9, 1.0)

TABLES = [
    "measurement_dashboardsnapshot",
    "measurement_metricactual",
    "reinforcement_reviewlog",
    "reinforcement_delivery",
    "reinforcement_nudge",
    "reinforcement_card",
    "reinforcement_question",
    "reinforcement_stageevent",
    "reinforcement_skillstage",
    "reinforcement_coachingrating",
    "reinforcement_coachingsession_sellers",
    "reinforcement_coachingsession",
    "reinforcement_actionplan",
    "reinforcement_assessmentresult",
    "cohorts_enrollment",
    "cohorts_session",
    "cohorts_cohortmember",
    "cohorts_cohort",
    "cohorts_wave",
    "programs_program",
    "cohorts_person_account_groups",
    "cohorts_person",
    "cohorts_team",
    "cohorts_location",
    "cohorts_region",
]


def _text(value):
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dict | list):
        import json

        return json.dumps(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


@contextmanager
def _indexes_dropped(*labels):
    """Drop the plain (non-constraint) indexes of these tables while loading, then rebuild them:
    building an index once over sorted data is much cheaper than maintaining it row by row."""
    tables = [apps.get_model(label)._meta.db_table for label in labels]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = ANY(%s) AND i.schemaname = current_schema()
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [tables],
        )
        saved = cursor.fetchall()
        for name, _ in saved:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _, definition in saved:
                cursor.execute(definition)


class Copier:
    """COPY rows into a model's table; columns not given get the model's default."""

    def __init__(self, label, columns):
        model = apps.get_model(label)
        self.table = model._meta.db_table
        given = set(columns)
        self.extra = []
        for field in model._meta.concrete_fields:
            if field.column in given or field.primary_key:
                continue
            self.extra.append((field.column, _text(field.get_default())))
        self.columns = list(columns) + [c for c, _ in self.extra]
        self.tail = "".join("\t" + v for _, v in self.extra)
        self.count = 0

    def copy(self, rows):
        buffer, n = io.StringIO(), 0
        for row in rows:
            buffer.write("\t".join(_text(v) for v in row) + self.tail + "\n")
            n += 1
            if n % CHUNK == 0:
                self._flush(buffer)
                buffer = io.StringIO()
        self._flush(buffer)
        self.count += n
        return n

    def _flush(self, buffer):
        if not buffer.tell():
            return
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN", buffer)


def _insert_select(label, columns, select_sql, params):
    """INSERT INTO <model table> (columns + any other column) <select_sql>; the other columns get
    their model default, so a field added to the model later does not break the generator."""
    model = apps.get_model(label)
    given = set(columns)
    extra = [f for f in model._meta.concrete_fields if f.column not in given and not f.primary_key]
    params = dict(params)
    for field in extra:
        params[f"default_{field.column}"] = field.get_db_prep_save(field.get_default(), connection)
    names = ", ".join(list(columns) + [f.column for f in extra])
    defaults = "".join(f", %(default_{f.column})s" for f in extra)
    sql = select_sql.replace("/*defaults*/", defaults)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {model._meta.db_table} ({names}) {sql}", params)
        return cursor.rowcount


def _reset_sequences():
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )


def wipe():
    """Empty the org, program, cohort, reinforcement and measurement tables (destructive)."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")


def generate(*, people=100_000, seed=20261125, out=None, today=None):
    """Build the synthetic organisation; returns {table: rows written} and timings."""
    if connection.vendor != "postgresql":
        raise RuntimeError("seed_scale needs PostgreSQL (it streams rows with COPY).")
    say = (lambda msg: out.write(msg)) if out else (lambda msg: None)
    rng = random.Random(seed)
    today = today or timezone.localdate()
    now = timezone.now()
    started = time.perf_counter()
    counts = {}
    with transaction.atomic():
        _skip_triggers()
        ensure_role_groups()
        plan = _org(people, counts)
        say(f"  org: {counts['people']:,} people, {plan['managers']:,} teams ({_since(started)})")
        programs = _programs(today)
        members = _membership(plan, programs, today, rng, counts)
        say(f"  cohorts, sessions, attendance ({_since(started)})")
        trained = members["trained"]
        with _indexes_dropped("reinforcement.SkillStage", "reinforcement.StageEvent"):
            _stages(plan, programs, trained, today, now, rng, counts)
        say(f"  {counts['stages']:,} stage rows, {counts['events']:,} events ({_since(started)})")
        with _indexes_dropped("reinforcement.CoachingSession", "reinforcement.CoachingSession_sellers"):
            _coaching(plan, programs, trained, today, rng, counts)
        say(f"  {counts['coaching']:,} coaching logs ({_since(started)})")
        with _indexes_dropped("reinforcement.Card", "reinforcement.ReviewLog", "reinforcement.Nudge"):
            _retrieval(plan, programs, trained, today, now, rng, counts)
        sizes = f"{counts['cards']:,} cards, {counts['reviews']:,} reviews, {counts['nudges']:,} nudges"
        say(f"  {sizes} ({_since(started)})")
        with _indexes_dropped("measurement.MetricActual"):
            _actuals(plan, programs, trained, today, now, rng, counts)
        say(f"  {counts['actuals']:,} metric actuals ({_since(started)})")
        _logins(plan)
        _reset_sequences()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts["seconds"] = time.perf_counter() - started
    counts["program_a"] = programs["a"].pk
    return counts


def _skip_triggers():
    """Skip the per-row deferred foreign-key triggers while loading (the rows are consistent by
    construction); needs a superuser, otherwise the load just runs slower."""
    with connection.cursor() as cursor:
        try:
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
        except Exception:  # noqa: BLE001 - not a superuser: keep the triggers
            pass


def _since(started):
    return f"{time.perf_counter() - started:.1f} s"


def _org(people, counts):
    managers = math.ceil((people - 1 - REGIONS) / (REPS_PER_TEAM + 1))
    reps = people - 1 - REGIONS - managers
    Copier("cohorts.Region", ["id", "name"]).copy((r, f"Region {r:02d}") for r in range(1, REGIONS + 1))
    Copier("cohorts.Location", ["id", "name", "region_id", "time_zone"]).copy(
        (loc, f"City {loc:03d}", (loc - 1) // LOCATIONS_PER_REGION + 1, "UTC")
        for loc in range(1, REGIONS * LOCATIONS_PER_REGION + 1)
    )

    def region_of_team(k):
        return (k - 1) % REGIONS + 1

    def location_of_team(k):
        return (region_of_team(k) - 1) * LOCATIONS_PER_REGION + (k // REGIONS) % LOCATIONS_PER_REGION + 1

    first_rep = 2 + REGIONS + managers
    columns = [
        "id",
        "first_name",
        "last_name",
        "email",
        "title",
        "level",
        "function",
        "manager_id",
        "team_id",
        "location_id",
        "region_id",
        "time_zone",
        "is_active",
        "org_path",
    ]

    def rows():
        yield (
            1,
            "Vera",
            "Scale",
            "vp@scale.example",
            "VP of Sales",
            "executive",
            "sales_leadership",
            None,
            None,
            1,
            1,
            "UTC",
            True,
            "/1/",
        )
        for d in range(1, REGIONS + 1):
            pk = 1 + d
            yield (
                pk,
                "Director",
                f"{d:02d}",
                f"director{d}@scale.example",
                "Regional Director",
                "director",
                "sales_leadership",
                1,
                None,
                (d - 1) * LOCATIONS_PER_REGION + 1,
                d,
                "UTC",
                True,
                f"/1/{pk}/",
            )
        for k in range(1, managers + 1):
            pk, director = 1 + REGIONS + k, 1 + region_of_team(k)
            yield (
                pk,
                "Manager",
                f"{k:05d}",
                f"manager{k}@scale.example",
                "Sales Manager",
                "manager",
                "sales_leadership",
                director,
                k,
                location_of_team(k),
                region_of_team(k),
                "UTC",
                True,
                f"/1/{director}/{pk}/",
            )
        for j in range(reps):
            pk, k = first_rep + j, min(j // REPS_PER_TEAM + 1, managers)
            manager, director = 1 + REGIONS + k, 1 + region_of_team(k)
            yield (
                pk,
                "Rep",
                f"{j:06d}",
                f"rep{j}@scale.example",
                "Account Executive",
                "individual",
                "field_sales",
                manager,
                k,
                location_of_team(k),
                region_of_team(k),
                "UTC",
                True,
                f"/1/{director}/{manager}/{pk}/",
            )

    # Teams first without managers (people point at teams), then set the managers.
    Copier("cohorts.Team", ["id", "name", "region_id"]).copy(
        (k, f"Team {k:05d}", region_of_team(k)) for k in range(1, managers + 1)
    )
    counts["people"] = Copier("cohorts.Person", columns).copy(rows())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cohorts_team SET manager_id = id + %s", [1 + REGIONS])
    return {
        "managers": managers,
        "reps": reps,
        "first_manager": 2 + REGIONS,
        "first_rep": first_rep,
        "team_of": lambda pk: (
            pk - 1 - REGIONS if pk < first_rep else min((pk - first_rep) // REPS_PER_TEAM + 1, managers)
        ),
    }


def _programs(today):
    lead, _ = get_user_model().objects.get_or_create(username="scale-lead")
    launch = today - timedelta(days=today.weekday()) - timedelta(weeks=WEEKS_SINCE_LAUNCH)
    skills = [Skill.objects.get_or_create(name=n)[0] for n in SKILLS]
    programs = {}
    for key, name, start in (
        ("a", "Scale: program A", launch),
        ("b", "Scale: program B", launch + timedelta(weeks=6)),
    ):
        program = Program.objects.create(
            name=name,
            owner=lead,
            status=Program.Status.LAUNCHED,
            start_date=start,
            rollout=Program.Rollout.PILOT,
        )
        for skill in skills:
            ProgramSkill.objects.create(program=program, skill=skill)
        programs[key] = program
    for metric, baseline, target, unit in (("Win rate", 22, 27, "%"), ("Deal size", 85, 95, "USD k")):
        ProgramMetric.objects.create(
            program=programs["a"],
            metric=Metric.objects.get(name=metric),
            baseline=baseline,
            target=target,
            unit=unit,
            direction="up",
            horizon_months=9,
            data_source="CRM",
        )
    return programs


def _membership(plan, programs, today, rng, counts):
    """Waves and one cohort per team; program A sessions (pilot at launch, main over 16 weeks)."""
    managers, a, b = plan["managers"], programs["a"], programs["b"]
    waves = {}
    for program, specs in ((a, (("pilot", 1), ("main", 2), ("holdout", 3))), (b, (("main", 1),))):
        for kind, number in specs:
            waves[(program.pk, kind)] = (
                apps.get_model("cohorts.Wave")
                .objects.create(program=program, number=number, name=kind.title(), kind=kind)
                .pk
            )

    def kind_of(k):
        return "pilot" if k % 20 == 0 else "holdout" if k % 20 == 1 else "main"

    Copier("cohorts.Cohort", ["id", "program_id", "wave_id", "name", "sequence"]).copy(
        row
        for k in range(1, managers + 1)
        for row in (
            (k, a.pk, waves[(a.pk, kind_of(k))], f"A: Team {k:05d}", k),
            (managers + k, b.pk, waves[(b.pk, "main")], f"B: Team {k:05d}", k),
        )
    )
    everyone = range(plan["first_manager"], plan["first_rep"] + plan["reps"])
    team_of = plan["team_of"]
    counts["members"] = Copier(
        "cohorts.CohortMember", ["program_id", "cohort_id", "person_id", "status"]
    ).copy(
        row
        for pk in everyone
        for row in ((a.pk, team_of(pk), pk, "confirmed"), (b.pk, managers + team_of(pk), pk, "confirmed"))
    )
    launch = a.start_date
    session_day = {}
    for k in range(1, managers + 1):
        kind = kind_of(k)
        if kind == "pilot":
            session_day[k] = launch
        elif kind == "main":
            session_day[k] = launch + timedelta(weeks=2 + k % 16)
    Copier("cohorts.Session", ["id", "cohort_id", "title", "starts_at", "ends_at"]).copy(
        (k, k, f"Training, team {k:05d}", _dt(day, 9), _dt(day, 16)) for k, day in session_day.items()
    )
    trained = {}
    now = timezone.now()

    def enrollments():
        for pk in everyone:
            k = team_of(pk)
            day = session_day.get(k)
            if day is None:
                continue
            held = day < today
            attended = held and rng.random() < 0.92
            if attended:
                trained[pk] = day
            attendance = "attended" if attended else "no_show" if held else "unmarked"
            yield (k, pk, "enrolled", attendance, now)

    counts["enrollments"] = Copier(
        "cohorts.Enrollment", ["session_id", "person_id", "status", "attendance", "created_at"]
    ).copy(enrollments())
    return {"trained": trained}


def _dt(day, hour=12):
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _stages(plan, programs, trained, today, now, rng, counts):
    skill_ids = {
        program.pk: list(
            ProgramSkill.objects.filter(program=program).order_by("id").values_list("id", flat=True)
        )
        for program in programs.values()
    }
    everyone = range(plan["first_manager"], plan["first_rep"] + plan["reps"])
    b_start = programs["b"].start_date
    stage_copier = Copier(
        "reinforcement.SkillStage", ["id", "person_id", "program_skill_id", "stage", "updated_at"]
    )
    event_copier = Copier(
        "reinforcement.StageEvent", ["skill_stage_id", "from_stage", "to_stage", "reason", "created_at"]
    )
    next_id = 1
    for program in (programs["a"], programs["b"]):
        for start in range(everyone.start, everyone.stop, 20_000):
            stage_rows, events = [], []
            for pk in range(start, min(start + 20_000, everyone.stop)):
                # Program B has no sessions: 80% of its sellers count as trained at its start.
                in_b = program is programs["b"]
                day = (b_start if rng.random() < 0.8 else None) if in_b else trained.get(pk)
                for ps in skill_ids[program.pk]:
                    rank = 0
                    if day is not None:
                        weeks = (today - day).days // 7
                        draw = rng.random() * min(1.0, 0.5 + weeks / 10)
                        rank = next(i + 1 for i, cut in enumerate(STAGE_CUTS) if draw <= cut)
                    stage_rows.append((next_id, pk, ps, STAGES[rank], now))
                    for step in range(1, rank + 1):
                        when = _dt(day + timedelta(days=STAGE_DAYS[step] + rng.randint(0, 6)))
                        when = min(when, now - timedelta(hours=6 - step))
                        events.append((next_id, STAGES[step - 1], STAGES[step], "Synthetic history", when))
                    next_id += 1
            stage_copier.copy(stage_rows)
            event_copier.copy(events)
    counts["stages"], counts["events"] = stage_copier.count, event_copier.count


def _coaching(plan, programs, trained, today, rng, counts):
    """COACHING_LOGS_PER_PERSON sessions per rep and manager, one seller each, since launch."""
    everyone = range(plan["first_manager"], plan["first_rep"] + plan["reps"])
    reps = [pk for pk in everyone if pk >= plan["first_rep"]]
    total = COACHING_LOGS_PER_PERSON * len(list(everyone))
    launch = programs["a"].start_date
    span = (today - launch).days
    team_of, first_manager = plan["team_of"], plan["first_manager"]
    # Managers differ: a per-team share of the coaching they log.
    effort = [rng.random() for _ in range(plan["managers"] + 1)]
    sessions, links = [], []
    now = timezone.now()
    i = 0
    while len(sessions) < total:
        pk = reps[i % len(reps)]
        i += 1
        k = team_of(pk)
        if rng.random() > 0.3 + 0.7 * effort[k]:
            continue
        session_id = len(sessions) + 1
        day = launch + timedelta(days=rng.randint(0, span))
        sessions.append((session_id, first_manager + k - 1, programs["a"].pk, "one_on_one", day, now))
        links.append((session_id, pk))
    counts["coaching"] = Copier(
        "reinforcement.CoachingSession",
        ["id", "manager_id", "program_id", "kind", "occurred_on", "created_at"],
    ).copy(sessions)
    Copier("reinforcement.CoachingSession_sellers", ["coachingsession_id", "person_id"]).copy(links)


def _retrieval(plan, programs, trained, today, now, rng, counts):
    """One card per seller and skill of program A (COPY), then REVIEWS_PER_CARD reviews and
    NUDGES_PER_CARD nudges per card generated inside PostgreSQL (seeded random())."""
    question_model = apps.get_model("reinforcement.Question")
    skills = list(ProgramSkill.objects.filter(program=programs["a"]).order_by("id").select_related("skill"))
    questions = [
        question_model.objects.create(
            skill=ps.skill,
            prompt=f"Synthetic question on {ps.skill.name}",
            choices=["Right", "Wrong"],
            correct_index=0,
            explanation="Synthetic.",
        ).pk
        for ps in skills
    ]
    everyone = range(plan["first_manager"], plan["first_rep"] + plan["reps"])
    launch = programs["a"].start_date
    # A card's created_at is the day its seller was trained: the reviews below start from it.
    card_copier = Copier(
        "reinforcement.Card",
        [
            "id",
            "person_id",
            "question_id",
            "program_id",
            "state",
            "stability",
            "difficulty",
            "due_at",
            "last_review_at",
            "reviews",
            "created_at",
        ],
    )

    def cards():
        card_id = 0
        for pk in everyone:
            day = trained.get(pk) or launch
            span = max(1, (today - day).days)
            last = _dt(day + timedelta(days=span * REVIEWS_PER_CARD // (REVIEWS_PER_CARD + 1)))
            for question in questions:
                card_id += 1
                stability = round(rng.uniform(2, 60), 2)
                yield (
                    card_id,
                    pk,
                    question,
                    programs["a"].pk,
                    2,
                    stability,
                    5.0,
                    last + timedelta(days=stability),
                    last,
                    REVIEWS_PER_CARD,
                    _dt(day, 9),
                )

    counts["cards"] = card_copier.copy(cards())
    params = {"today": today, "program": programs["a"].pk}
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [rng.random() * 2 - 1])
    counts["reviews"] = _insert_select(
        "reinforcement.ReviewLog",
        [
            "card_id",
            "chosen_index",
            "is_correct",
            "confidence",
            "rating",
            "predicted_recall",
            "stability_after",
            "due_after",
            "reviewed_at",
        ],
        """
        SELECT id, CASE WHEN ok THEN 0 ELSE 1 END, ok, '', CASE WHEN ok THEN 3 ELSE 1 END,
               round((0.6 + random() * 0.38)::numeric, 3), stability, at + interval '3 days', at /*defaults*/
        FROM (
            SELECT c.id, c.stability, random() < 0.85 AS ok,
                   c.created_at + interval '1 hour' + make_interval(
                       days => 1 + (GREATEST(1, %(today)s - c.created_at::date) * r) / %(n1)s) AS at
            FROM reinforcement_card c CROSS JOIN generate_series(0, %(n)s - 1) AS r
            WHERE c.program_id = %(program)s
            ORDER BY c.id, r
        ) reviews
        """,
        {**params, "n": REVIEWS_PER_CARD, "n1": REVIEWS_PER_CARD + 1},
    )
    counts["nudges"] = _insert_select(
        "reinforcement.Nudge",
        [
            "kind",
            "person_id",
            "card_id",
            "due_at",
            "status",
            "attempts",
            "idempotency_key",
            "created_at",
            "sent_at",
            "answered_at",
        ],
        """
        SELECT 'question', person_id, id, sent, CASE WHEN ok THEN 'answered' ELSE 'expired' END, 1,
               's' || id || '-' || n, sent, sent, CASE WHEN ok THEN sent + interval '2 hours' END /*defaults*/
        FROM (
            SELECT c.id, c.person_id, n, random() < 0.7 AS ok,
                   c.created_at + make_interval(
                       days => 2 + (GREATEST(1, %(today)s - c.created_at::date) * n) / %(n1)s) AS sent
            FROM reinforcement_card c CROSS JOIN generate_series(0, %(n)s - 1) AS n
            WHERE c.program_id = %(program)s
            ORDER BY c.id, n
        ) nudges
        """,
        {**params, "n": NUDGES_PER_CARD, "n1": NUDGES_PER_CARD + 1},
    )


def _actuals(plan, programs, trained, today, now, rng, counts):
    """METRIC_WEEKS weeks of win rate and deal size per rep, generated inside PostgreSQL: a
    per-rep baseline, weekly noise, a small drift for everyone after launch and, for reps who
    attended training, an effect that ramps up over the eight weeks after it."""
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=METRIC_WEEKS - 1)
    metrics = {
        "win": Metric.objects.get(name="Win rate").pk,
        "size": Metric.objects.get(name="Deal size").pk,
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [rng.random() * 2 - 1])
        cursor.execute(
            """
            WITH reps AS (
                SELECT p.id,
                       22 + 4 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS base_win,
                       85 + 14 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS base_size,
                       (SELECT min(s.starts_at)::date FROM cohorts_enrollment e
                        JOIN cohorts_session s ON s.id = e.session_id
                        WHERE e.person_id = p.id AND e.attendance = 'attended') AS trained_on
                FROM cohorts_person p
                WHERE p.id BETWEEN %(first_rep)s AND %(last_rep)s
                ORDER BY p.id
            ),
            weeks AS (
                SELECT (%(first)s::date + 7 * w) AS start FROM generate_series(0, %(weeks)s - 1) AS w
            ),
            cells AS (
                SELECT r.id, w.start, r.base_win, r.base_size,
                       CASE WHEN w.start >= %(launch)s THEN 0.5 ELSE 0 END AS drift,
                       CASE WHEN r.trained_on IS NULL THEN 0
                            ELSE LEAST(1.0, GREATEST(0.0, (w.start - r.trained_on) / 56.0)) END AS ramp
                FROM reps r CROSS JOIN weeks w
                ORDER BY r.id, w.start
            )
            INSERT INTO measurement_metricactual (metric_id, person_id, team_id, period_start, period_end,
                value, source, recorded_by_id, updated_at)
            SELECT m.metric_id, c.id, NULL, c.start, c.start + 6,
                   round((CASE WHEN m.kind = 'win'
                               THEN c.base_win + c.drift + 3 * c.ramp
                                    + 4 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())
                               ELSE c.base_size + 2 * c.drift + 8 * c.ramp
                                    + 12 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())
                          END)::numeric, 2),
                   'synthetic', NULL, %(now)s
            FROM cells c CROSS JOIN (VALUES ('win', %(win)s), ('size', %(size)s)) AS m(kind, metric_id)
            ORDER BY c.id, c.start, m.kind
            """,
            {
                "first_rep": plan["first_rep"],
                "last_rep": plan["first_rep"] + plan["reps"] - 1,
                "first": first,
                "weeks": METRIC_WEEKS,
                "launch": programs["a"].start_date,
                "now": now,
                **metrics,
            },
        )
        counts["actuals"] = cursor.rowcount


def _logins(plan):
    """Logins for the bench: the VP (executive) and the first team's manager."""
    from cohorts.models import Person

    user_model = get_user_model()
    for username, role, pk in (
        ("scale-exec", Role.EXECUTIVE, 1),
        ("scale-manager", Role.MANAGER, plan["first_manager"]),
    ):
        user, _ = user_model.objects.get_or_create(username=username)
        assign_role(user, role)
        Person.objects.filter(pk=pk).update(user=user)
