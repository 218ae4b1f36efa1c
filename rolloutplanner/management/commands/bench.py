"""`manage.py bench`: performance figures of each app, each printed with its target.

The figures are taken in a throw-away test database (`test_<name>` of the configured
database), so the bench never touches real data. Each app adds a module to BENCH_MODULES
with a `bench(out)` function returning a list of `Figure`s.
"""

import importlib
import resource
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import setup_databases, teardown_databases

BENCH_MODULES = [
    "cohorts.bench",
    "reinforcement.bench",
    "reinforcement.measurement.bench",
    "reinforcement.spacing_bench",
    "cohorts.accounts.bench",
    "reinforcement.practice.bench",
    "rolloutplanner.bench",
    "reinforcement.leadership.bench",
]


@dataclass
class Figure:
    label: str
    value: float
    unit: str
    target: float
    lower_is_better: bool = True

    @property
    def met(self):
        return self.value <= self.target if self.lower_is_better else self.value >= self.target


def peak_memory_mb():
    """Peak resident memory of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def stopwatch():
    """Yields a dict whose "seconds" is set when the block ends."""
    result = {}
    start = time.perf_counter()
    try:
        yield result
    finally:
        result["seconds"] = time.perf_counter() - start


class Command(BaseCommand):
    help = "Measure import, generation and other hot paths on synthetic data; print each with its target."

    def add_arguments(self, parser):
        parser.add_argument("--only", action="append", help="Run only these modules (e.g. cohorts.bench).")
        parser.add_argument("--people", type=int, default=100_000, help="Size of the synthetic org.")

    def handle(self, *args, only=None, people=100_000, **options):
        modules = only or BENCH_MODULES
        self.stdout.write(f"Database: {connection.vendor} (throw-away test database)")
        if connection.vendor == "sqlite":
            # A file, as `make run` uses, not the in-memory default of test databases: the
            # broker-down bench reads pages while a background thread writes.
            connection.settings_dict.setdefault("TEST", {})["NAME"] = str(settings.VAR_DIR / "bench.sqlite3")
        old_config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        figures = []
        try:
            for name in modules:
                module = importlib.import_module(name)
                self.stdout.write(f"\n== {name}")
                figures += module.bench(self.stdout, people=people)
        finally:
            teardown_databases(old_config, verbosity=0)
        self.stdout.write("\n== Results")
        for figure in figures:
            sign = "≤" if figure.lower_is_better else "≥"
            status = self.style.SUCCESS("met") if figure.met else self.style.ERROR("MISSED")
            target = f"target {sign} {figure.target:g} {figure.unit}"
            self.stdout.write(
                f"  {figure.label:<46} {figure.value:>10.2f} {figure.unit:<3} {target}  {status}"
            )
        if not all(f.met for f in figures):
            raise CommandError("Some targets were missed.")
