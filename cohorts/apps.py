from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = "People, cohorts and sessions"

    def ready(self):
        from programs import directory

        from .directory import OrgChartDirectory

        directory.register(OrgChartDirectory())
