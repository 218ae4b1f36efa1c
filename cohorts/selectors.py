"""Reads of the org chart that several pages share."""

from .models import Person


def person_for_user(user):
    """The Person linked to a login, or None."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).select_related("team", "location", "region").first()


def people_under(manager):
    """Everyone who reports to `manager`, directly or through others (not the manager)."""
    return Person.objects.filter(org_path__startswith=manager.org_path).exclude(pk=manager.pk)
