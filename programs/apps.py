from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_catalogue(sender, **kwargs):
    # Also runs after a test database flush, which would otherwise leave the catalogue empty.
    from .services import catalogue_ensure

    catalogue_ensure()


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Programs and rollout design"

    def ready(self):
        post_migrate.connect(_ensure_catalogue, sender=self, dispatch_uid="programs_catalogue")
