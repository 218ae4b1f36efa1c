from django.core.management.base import BaseCommand

from reinforcement.practice.services import scenarios_load_starter


class Command(BaseCommand):
    help = "Add the starter role-play scenarios for the built-in skills (existing ones are kept)."

    def handle(self, *args, **options):
        created = scenarios_load_starter()
        self.stdout.write(f"{created} starter scenario(s) added.")
