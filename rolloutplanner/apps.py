from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _sync_role_groups(sender, **kwargs):
    """Give the role groups their permissions once the last app with models has migrated.

    Django sends post_migrate once per app that has a models module, in INSTALLED_APPS order,
    right after auth has created that app's permissions; so by the last such app every
    permission the roles name exists. (This app has no models: it never receives the signal
    for itself, hence no `sender=self`.)
    """
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender.label != last.label:
        return
    from .roles import ensure_role_groups

    ensure_role_groups(using=kwargs.get("using", "default"))


class RolloutPlannerConfig(AppConfig):
    name = "rolloutplanner"
    verbose_name = "Rollout Planner"

    def ready(self):
        post_migrate.connect(_sync_role_groups, dispatch_uid="rolloutplanner.sync_role_groups")
