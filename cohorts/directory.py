"""The org chart as planning's people directory (registered in programs.directory)."""

from django.db.models import Value
from django.db.models.functions import Concat, Lower
from django.urls import reverse

from .models import Person

MANAGER_LEVELS = (Person.Level.MANAGER, Person.Level.DIRECTOR, Person.Level.EXECUTIVE)


class OrgChartDirectory:
    def manager_search_url(self):
        return reverse("cohorts:people_search") + "?level=" + ",".join(MANAGER_LEVELS)

    def managers_named(self, names):
        """{lower-case full name: team name} of the active people managers among `names` (one query)."""
        wanted = {name.strip().lower() for name in names if name and name.strip()}
        if not wanted:
            return {}
        found = (
            Person.objects.filter(is_active=True, level__in=MANAGER_LEVELS)
            .annotate(key=Lower(Concat("first_name", Value(" "), "last_name")))
            .filter(key__in=wanted)
            .values_list("key", "team__name")
        )
        return {key: team or "" for key, team in found}
