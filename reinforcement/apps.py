from django.apps import AppConfig


class ReinforcementConfig(AppConfig):
    name = "reinforcement"
    verbose_name = "Reinforcement and coaching"

    def ready(self):
        # Register the Celery tasks in every process, so the in-process beat of the embedded
        # mode (no broker, no worker autodiscovery) finds the dispatcher by name.
        from . import tasks  # noqa: F401
