import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from rolloutplanner.embedded_beat import EmbeddedBeat


class Command(BaseCommand):
    help = (
        "Serve the app together with what runs the background jobs: an in-process beat "
        "without a broker, or a Celery worker with beat when REDIS_URL is set."
    )

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, addr, **options):
        worker = None
        if settings.CELERY_TASK_ALWAYS_EAGER:
            EmbeddedBeat(settings.CELERY_BEAT_SCHEDULE).start_thread()
            self.stdout.write("Background jobs: in-process scheduler (no broker configured).")
        else:
            worker = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "rolloutplanner",
                    "worker",
                    "--beat",
                    "--loglevel",
                    "INFO",
                    "--concurrency",
                    "2",
                ]
            )
            self.stdout.write(f"Background jobs: Celery worker with beat (pid {worker.pid}).")
        try:
            call_command("runserver", addr, use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=20)
