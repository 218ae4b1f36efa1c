"""The four roles of Rollout Planner, kept as auth Groups with real model permissions.

Model permissions say what a role may do to a kind of object; which objects it may see
(a manager's own teams, a seller's own items) is decided by each app's access helpers.
"""

from django.contrib.auth.models import Group, Permission
from django.db import models

ALL = ("add", "change", "delete", "view")
VIEW = ("view",)


class Role(models.TextChoices):
    LEAD = "lead", "Enablement lead"
    MANAGER = "manager", "Sales manager"
    EXECUTIVE = "executive", "Executive"
    SELLER = "seller", "Seller"


# Group name is the role's label. An entry is either a tuple of actions applied to every
# model of the app, or a list of explicit permission codenames.
ROLE_PERMISSIONS = {
    Role.LEAD: {"programs": ALL, "cohorts": ALL, "reinforcement": ALL, "measurement": ALL, "accounts": ALL},
    Role.MANAGER: {
        "programs": VIEW,
        "cohorts": VIEW,
        "reinforcement": [
            "view_skillstage",
            "view_coachingsession",
            "add_coachingsession",
            "change_coachingsession",
            "view_actionplan",
            "change_actionplan",
        ],
        "measurement": ["view_metricactual"],
    },
    Role.EXECUTIVE: {"programs": VIEW, "cohorts": VIEW, "reinforcement": VIEW, "measurement": VIEW},
    Role.SELLER: {
        "reinforcement": ["view_skillstage", "view_actionplan", "add_actionplan", "change_actionplan"],
    },
}

# When a user is in several groups, the broadest role wins.
ROLE_PRECEDENCE = (Role.LEAD, Role.EXECUTIVE, Role.MANAGER, Role.SELLER)


def ensure_role_groups(using="default"):
    """Create the four groups and give each exactly the permissions in ROLE_PERMISSIONS."""
    for role, spec in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role.label)
        permissions = []
        for app_label, entry in spec.items():
            app_perms = Permission.objects.using(using).filter(content_type__app_label=app_label)
            if isinstance(entry, tuple):
                permissions += [p for p in app_perms if p.codename.split("_", 1)[0] in entry]
            else:
                permissions += list(app_perms.filter(codename__in=entry))
        group.permissions.set(permissions)


def role_of(user):
    """The user's role, or None for anonymous users and users with no role.

    Superusers count as enablement leads. Cached on the user object for the request.
    """
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_rollout_role"):
        if user.is_superuser:
            user._rollout_role = Role.LEAD
        else:
            names = {group.name for group in user.groups.all()}  # free when prefetched
            user._rollout_role = next((r for r in ROLE_PRECEDENCE if r.label in names), None)
    return user._rollout_role


def assign_role(user, role):
    """Put the user in exactly one role group."""
    user.groups.remove(*Group.objects.filter(name__in=Role.labels))
    user.groups.add(Group.objects.get(name=Role(role).label))
    if hasattr(user, "_rollout_role"):
        del user._rollout_role
