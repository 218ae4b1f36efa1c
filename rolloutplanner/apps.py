from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_role_groups(sender, **kwargs):
    from .roles import ensure_role_groups

    ensure_role_groups()


class RolloutPlannerConfig(AppConfig):
    name = "rolloutplanner"
    verbose_name = "Rollout Planner"

    def ready(self):
        # Listed last in INSTALLED_APPS, so every app's permissions exist by the time
        # this app's post_migrate fires.
        post_migrate.connect(_sync_role_groups, sender=self, dispatch_uid="sync_role_groups")
