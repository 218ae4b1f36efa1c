from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from cohorts.models import Location, Person, Region, Team
from rolloutplanner.roles import Role, role_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug_on(settings):
    settings.DEBUG = True


def test_it_loads_about_two_hundred_people_in_three_regions():
    call_command("seed_demo", stdout=StringIO())
    assert 180 <= Person.objects.count() <= 220
    assert Region.objects.count() == 3
    assert Location.objects.count() >= 6
    assert Team.objects.filter(manager__isnull=False).count() == 12
    assert not Person.objects.filter(org_path="").exists()


def test_running_it_twice_changes_nothing():
    from reinforcement.leadership.models import ReviewMeeting, TeamSession

    call_command("seed_demo", stdout=StringIO())
    before = sorted(Person.objects.values_list("email", "manager__email", "org_path", "team__name"))
    follow_through = (ReviewMeeting.objects.count(), TeamSession.objects.count())
    call_command("seed_demo", stdout=StringIO())
    after = sorted(Person.objects.values_list("email", "manager__email", "org_path", "team__name"))
    assert before == after
    assert follow_through == (ReviewMeeting.objects.count(), TeamSession.objects.count()) == (2, 2)


def test_each_demo_login_works_with_its_role(settings):
    settings.DEMO_PASSWORD = "s3cret-demo"
    call_command("seed_demo", stdout=StringIO())
    for username, role in [
        ("lead", Role.LEAD),
        ("manager", Role.MANAGER),
        ("executive", Role.EXECUTIVE),
        ("seller", Role.SELLER),
    ]:
        user = authenticate(username=username, password="s3cret-demo")
        assert user is not None, username
        assert role_of(user) == role


def test_demo_seller_reports_to_demo_manager():
    call_command("seed_demo", stdout=StringIO())
    seller = Person.objects.get(user__username="seller")
    assert seller.manager.user.username == "manager"


def test_it_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert Person.objects.count() == 0
