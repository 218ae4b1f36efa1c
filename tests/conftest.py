import os

import pytest

# Playwright runs an event loop in the test thread; without this the ORM refuses to work
# inside browser tests (SynchronousOnlyOperation).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from cohorts.services import org_paths_rebuild  # noqa: E402
from rolloutplanner.roles import Role, ensure_role_groups  # noqa: E402
from tests.factories import PersonFactory, TeamFactory, UserFactory  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Personas and demo logins hash passwords many times per run; a fast hasher keeps it quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def roles(db):
    """Role groups with their permissions (flushed by transactional tests, so recreate)."""
    ensure_role_groups()


@pytest.fixture
def org(roles):
    """A small org with named personas.

    executive (VP) -> manager (Team A, sellers seller + seller_b)
                   -> other_manager (Team B, seller other_seller)
    lead is the enablement lead, outside the sales line.
    """
    vp_person = PersonFactory(level="executive", title="VP of Sales", team=None)
    team_a = TeamFactory(name="Team A")
    team_b = TeamFactory(name="Team B")
    manager_person = PersonFactory(level="manager", title="Sales Manager", manager=vp_person, team=team_a)
    other_manager_person = PersonFactory(
        level="manager", title="Sales Manager", manager=vp_person, team=team_b
    )
    team_a.manager, team_b.manager = manager_person, other_manager_person
    team_a.save()
    team_b.save()
    seller_person = PersonFactory(manager=manager_person, team=team_a)
    seller_b_person = PersonFactory(manager=manager_person, team=team_a)
    other_seller_person = PersonFactory(manager=other_manager_person, team=team_b)
    org_paths_rebuild()

    def login(username, role, person=None):
        user = UserFactory(username=username, role=role)
        if person is not None:
            person.user = user
            person.save(update_fields=["user"])
        return user

    class Org:
        lead = login("lead", Role.LEAD)
        executive = login("executive", Role.EXECUTIVE, vp_person)
        manager = login("manager", Role.MANAGER, manager_person)
        other_manager = login("other_manager", Role.MANAGER, other_manager_person)
        seller = login("seller", Role.SELLER, seller_person)
        other_seller = login("other_seller", Role.SELLER, other_seller_person)
        no_role = login("nobody", None)
        people = {
            "vp": vp_person,
            "manager": manager_person,
            "other_manager": other_manager_person,
            "seller": seller_person,
            "seller_b": seller_b_person,
            "other_seller": other_seller_person,
        }
        teams = {"a": team_a, "b": team_b}

    for person in Org.people.values():
        person.refresh_from_db()
    return Org


@pytest.fixture
def demo_data(roles, settings):
    """The full demo organisation from `seed_demo` (it runs only with DEBUG on)."""
    from io import StringIO

    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())


@pytest.fixture
def eager_celery(settings):
    """Run Celery tasks in-process even when REDIS_URL is set (CI), e.g. for a background import."""
    from rolloutplanner.celery import app

    previous = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
