"""Bench figures of the dashboards (run by `manage.py bench`, in a throw-away PostgreSQL database).

Generates the synthetic organisation of `scale.generate` (100,000 people by default), computes
the dashboard snapshots, then times page requests in-process with Django's test client (server
time: routing, views, queries and templates; no network) as the executive and as a manager.
"""

import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from programs.models import Program

from . import scale
from .services import snapshot_refresh

RUNS = 15
WARMUP = 2


def _median_ms(fn, runs=RUNS):
    for _ in range(WARMUP):
        fn()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def _get(client, url):
    def fetch():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return fetch


ADOPTION_SQL = """
SELECT ss.program_skill_id, ss.stage, COUNT(*)
FROM reinforcement_skillstage ss
JOIN programs_programskill ps ON ps.id = ss.program_skill_id
JOIN cohorts_person p ON p.id = ss.person_id
WHERE ps.program_id = %s AND p.level = 'individual' AND p.is_active
  AND EXISTS (SELECT 1 FROM cohorts_cohortmember m
              WHERE m.person_id = p.id AND m.program_id = %s AND m.status = 'confirmed')
GROUP BY 1, 2
"""


def bench(out, people=100_000, **_):
    from rolloutplanner.management.commands.bench import Figure

    if connection.vendor != "postgresql":
        out.write("  skipped: the dashboard bench needs PostgreSQL (DATABASE_URL).")
        return []
    scale.wipe()
    counts = scale.generate(people=people, out=out)
    size = f"{counts['people'] // 1000}k people"
    out.write(
        f"  generated in {counts['seconds']:.0f} s: {counts['people']:,} people, "
        f"{counts['stages']:,} stage rows, {counts['events']:,} events, "
        f"{counts['coaching']:,} coaching logs, {counts['reviews']:,} reviews, {counts['nudges']:,} nudges, "
        f"{counts['actuals']:,} metric actuals"
    )
    program = Program.objects.get(pk=counts["program_a"])
    start = time.perf_counter()
    scopes = snapshot_refresh(program=program)
    refresh = time.perf_counter() - start
    out.write(f"  snapshot refresh: {scopes} scopes in {refresh:.1f} s")

    users = get_user_model().objects
    executive, manager = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    executive.force_login(users.get(username="scale-exec"))
    manager.force_login(users.get(username="scale-manager"))
    region = program.snapshots.exclude(region_key=0).order_by("region_key").first().region_key
    team = 1
    base = f"/dashboard/?program={program.pk}"

    dashboard = _median_ms(_get(executive, base))
    with connection.cursor() as cursor:

        def aggregate():
            cursor.execute(ADOPTION_SQL, [program.pk, program.pk])
            cursor.fetchall()

        sql = _median_ms(aggregate, runs=5)
    region_ms = _median_ms(_get(executive, f"{base}&region={region}"))
    team_ms = _median_ms(_get(executive, f"{base}&team={team}"))
    manager_dashboard = _median_ms(_get(manager, "/dashboard/"))
    matrix = _median_ms(_get(manager, f"/reinforcement/team/?program={program.pk}"))
    api = _median_ms(_get(executive, f"/api/programs/{program.pk}/adoption/"))
    out.write(
        f"  medians: dashboard {dashboard:.0f} ms (adoption aggregate SQL alone {sql:.0f} ms), region "
        f"{region_ms:.0f} ms, team (live) {team_ms:.0f} ms, manager dashboard {manager_dashboard:.0f} ms, "
        f"manager team page {matrix:.0f} ms, adoption API {api:.0f} ms"
    )
    return [
        Figure(f"seed_scale generation, {size}", counts["seconds"], "s", 600),
        Figure(f"dashboard snapshot refresh, {size}", refresh, "s", 600),
        Figure(f"executive dashboard median, {size}", dashboard, "ms", 300),
        Figure("dashboard / adoption aggregate SQL", dashboard / sql, "×", 2),
        Figure(f"dashboard region drill median, {size}", region_ms, "ms", 300),
        Figure(f"dashboard team drill (live) median, {size}", team_ms, "ms", 300),
        Figure(f"manager's dashboard (live) median, {size}", manager_dashboard, "ms", 300),
        Figure(f"manager team page median, {size}", matrix, "ms", 100),
        Figure(f"adoption API median, {size}", api, "ms", 300),
    ]
