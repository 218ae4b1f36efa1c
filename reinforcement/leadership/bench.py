"""Bench figures of leadership follow-through (run by `manage.py bench`, on PostgreSQL).

On the synthetic organisation of `measurement.scale` (generated here unless the measurement
bench left it in place): this week's brief read from the stored snapshots, last week's brief
computed live, the brief page as the executive sees it, and the daily fade check.
"""

import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import timezone

from programs.models import Program
from reinforcement.measurement import scale
from reinforcement.measurement.bench import _get, _median_ms
from reinforcement.measurement.services import snapshot_refresh

from .selectors import brief_for
from .services.fade import fade_alarms_for_program


def _seconds(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def bench(out, people=100_000, **_):
    from rolloutplanner.management.commands.bench import Figure

    if connection.vendor != "postgresql":
        out.write("  skipped: the leadership bench needs PostgreSQL (DATABASE_URL).")
        return []
    program = Program.objects.filter(status=Program.Status.LAUNCHED, snapshots__isnull=False).first()
    if program is None:
        scale.wipe()
        counts = scale.generate(people=people, out=out)
        program = Program.objects.get(pk=counts["program_a"])
        snapshot_refresh(program=program)
    size = f"{program.members.count() // 1000}k in scope"
    brief_ms = _median_ms(lambda: brief_for(program), runs=5)
    last_week = timezone.localdate() - timedelta(days=7)
    live, _ = _seconds(lambda: brief_for(program, today=last_week))
    executive = Client(HTTP_HOST="localhost")
    executive.force_login(get_user_model().objects.get(username="scale-exec"))
    page_ms = _median_ms(_get(executive, f"/leadership/programs/{program.pk}/brief/"), runs=5)
    fade, alarms = _seconds(lambda: fade_alarms_for_program(program))
    out.write(
        f"  brief from snapshots {brief_ms:.0f} ms, brief page {page_ms:.0f} ms, last week's brief (live) "
        f"{live:.1f} s, fade check {fade:.1f} s ({len(alarms)} teams fading)"
    )
    return [
        Figure(f"weekly brief from snapshots median, {size}", brief_ms, "ms", 1000),
        Figure(f"weekly brief page median, {size}", page_ms, "ms", 1000),
        Figure(f"weekly brief computed live, {size}", live, "s", 120),
        Figure(f"daily fade check of one program, {size}", fade, "s", 300),
    ]
