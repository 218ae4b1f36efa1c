from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cohorts.models import Person
from reinforcement.measurement import scale
from reinforcement.measurement.services import snapshot_refresh


class Command(BaseCommand):
    help = (
        "Generate a synthetic organisation at scale (PostgreSQL): people, two programs of five skills, "
        "stages and their history, coaching, reviews, nudges and 26 weeks of metric actuals."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=20261125)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Empty the org, program, cohort, reinforcement and measurement tables first (destructive).",
        )

    def handle(self, *args, people, seed, replace, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_scale needs PostgreSQL: set DATABASE_URL.")
        if people < 200:
            raise CommandError("--people must be at least 200.")
        if Person.objects.exists():
            if not replace:
                raise CommandError("The database already has people: pass --replace to empty it first.")
            scale.wipe()
        counts = scale.generate(people=people, seed=seed, out=self.stdout)
        self.stdout.write(f"Generated in {counts['seconds']:.1f} s.")
        from programs.models import Program

        written = snapshot_refresh(program=Program.objects.get(pk=counts["program_a"]))
        self.stdout.write(self.style.SUCCESS(f"Dashboard snapshots computed ({written} scopes)."))
