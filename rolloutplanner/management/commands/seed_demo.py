from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cohorts.demo import seed_cohorts, seed_org
from programs.demo import seed_programs
from reinforcement.demo import seed_reinforcement
from reinforcement.leadership.demo import seed_leadership
from reinforcement.measurement.demo import seed_measurement
from reinforcement.practice.demo import seed_practice
from rolloutplanner.roles import ensure_role_groups


class Command(BaseCommand):
    help = "Load the demo organisation and one login per role (safe to run again)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on: it sets well-known demo passwords.")
        ensure_role_groups()
        password = settings.DEMO_PASSWORD
        logins = seed_org(password)
        seed_programs()
        seed_cohorts()
        seed_reinforcement()
        seed_measurement()
        seed_practice()
        seed_leadership()
        self.stdout.write(
            self.style.SUCCESS("Demo data loaded. Log in at http://127.0.0.1:8000/accounts/login/ as:")
        )
        for username, role in logins.items():
            self.stdout.write(f"  {username:<10} password {password!r:<8} ({role.label})")
