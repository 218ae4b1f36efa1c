"""The buy-in plan: message, communication schedule and manager engagement, with its warnings."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from programs.buyin import buy_in_status
from programs.models import BuyInPlan, ManagerEngagement, ProgramChange, Touchpoint

pytestmark = pytest.mark.django_db

LAUNCH = date(2027, 3, 1)


def _formset(prefix, rows, extra_blank=1, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + extra_blank),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def _post(client, program, touchpoints, managers, initial=0, **plan):
    data = {
        "why_message": "Buyers changed how they buy.",
        "status_quo_risk": "We keep losing on price.",
        "leadership_actions": "Directors join calls.",
        "expectations": "Plans for top accounts.",
        **plan,
        **_formset("touch", touchpoints, initial=initial),
        **_formset("managers", managers),
    }
    return client.post(reverse("programs:buy_in", args=[program.pk]), data, follow=True)


SPREAD = [
    {"date": "2027-01-10", "channel": "video", "messenger": "VP of Sales", "forum": "All sales"},
    {"date": "2027-02-01", "channel": "kickoff", "messenger": "VP of Sales"},
    {"date": "2027-02-20", "channel": "team_meeting", "messenger": "Managers"},
]
MANAGERS = [{"manager_name": "Ana Ruiz", "team": "DACH", "helps_tailor": "on", "trained_before_reps": "on"}]


@pytest.fixture(autouse=True)
def ana_ruiz(org):
    """The org's manager is Ana Ruiz, the manager the plans below engage."""
    manager = org.people["manager"]
    manager.first_name, manager.last_name = "Ana", "Ruiz"
    manager.save()
    return manager


@pytest.fixture
def launch_ready(ready):
    ready.start_date = LAUNCH
    ready.save()
    return ready


def test_a_sound_plan_is_saved_without_warnings(client, org, launch_ready):
    client.force_login(org.lead)
    response = _post(client, launch_ready, SPREAD, MANAGERS)
    assert response.status_code == 200
    assert BuyInPlan.objects.get(program=launch_ready).why_message == "Buyers changed how they buy."
    assert Touchpoint.objects.filter(program=launch_ready).count() == 3
    assert ManagerEngagement.objects.get(program=launch_ready).helps_tailor
    assert "The schedule and the manager list look sound." in response.content.decode()
    assert ProgramChange.objects.filter(
        program=launch_ready, summary__startswith="Buy-in plan saved"
    ).exists()


def test_too_few_touchpoints_and_bunching_before_launch_are_warned(client, org, launch_ready):
    client.force_login(org.lead)
    bunched = [
        {"date": "2027-02-25", "channel": "email", "messenger": "VP"},
        {"date": "2027-02-27", "channel": "email", "messenger": "VP"},
    ]
    page = _post(client, launch_ready, bunched, MANAGERS).content.decode()
    assert "Only 2 touchpoint(s) before launch" in page
    assert "same channel" in page
    assert "last 7 days before launch" in page


def test_managers_trained_after_their_reps_and_nobody_tailoring_are_warned(launch_ready):
    touchpoints = [
        Touchpoint(date=LAUNCH - timedelta(days=d), channel=c, messenger="VP")
        for d, c in [(40, "video"), (20, "email"), (3, "team_meeting")]
    ]
    managers = [ManagerEngagement(manager_name="Kim Lee", trained_before_reps=False)]
    plan = BuyInPlan(why_message="Why", leadership_actions="Lead")
    warnings = buy_in_status(launch_ready, touchpoints, managers, plan).warnings
    assert warnings == [
        "No manager helps tailor the program to the field.",
        "Not trained before their reps: Kim Lee.",
    ]


def test_touchpoints_after_launch_do_not_count(launch_ready):
    touchpoints = [
        Touchpoint(date=LAUNCH + timedelta(days=d), channel="email", messenger="VP") for d in (1, 2, 3)
    ]
    status = buy_in_status(
        launch_ready, touchpoints, [], BuyInPlan(why_message="Why", leadership_actions="L")
    )
    assert status.before_launch == 0
    assert "No front-line managers are engaged yet." in status.warnings


def test_a_touchpoint_row_missing_its_messenger_is_refused_and_nothing_is_saved(client, org, launch_ready):
    client.force_login(org.lead)
    rows = [*SPREAD[:2], {"date": "2027-02-20", "channel": "team_meeting", "messenger": ""}]
    response = _post(client, launch_ready, rows, MANAGERS)
    assert response.context["touchpoints"].forms[2].errors["messenger"] == ["This field is required."]
    assert not BuyInPlan.objects.exists()
    assert not Touchpoint.objects.exists()


def test_the_why_message_is_required(client, org, launch_ready):
    client.force_login(org.lead)
    response = _post(client, launch_ready, SPREAD, MANAGERS, why_message="  ")
    assert "Write the &#x27;why&#x27;" in response.content.decode()
    assert not BuyInPlan.objects.exists()


def test_saving_again_replaces_the_schedule(client, org, launch_ready):
    client.force_login(org.lead)
    _post(client, launch_ready, SPREAD, MANAGERS)
    # As rendered after the first save: three existing rows; the lead deletes the last two.
    rows = [SPREAD[0], {**SPREAD[1], "DELETE": "on"}, {**SPREAD[2], "DELETE": "on"}]
    _post(client, launch_ready, rows, MANAGERS, initial=3)
    assert Touchpoint.objects.filter(program=launch_ready).count() == 1


def test_a_manager_not_in_the_org_chart_is_refused_beside_the_field(client, org, launch_ready):
    client.force_login(org.lead)
    stranger = [{"manager_name": "Some Manager", "helps_tailor": "on", "trained_before_reps": "on"}]
    page = _post(client, launch_ready, SPREAD, stranger).content.decode()
    assert "“Some Manager” is not a manager in the org chart: pick one from the list." in page
    assert 'value="Some Manager"' in page  # what was typed stays
    assert not ManagerEngagement.objects.filter(program=launch_ready).exists()
    seller = org.people["seller"].full_name  # a seller is not a manager either
    page = _post(client, launch_ready, SPREAD, [{"manager_name": seller}]).content.decode()
    assert "is not a manager in the org chart" in page


def test_a_picked_manager_gets_their_team_from_the_org_chart(client, org, launch_ready):
    client.force_login(org.lead)
    _post(client, launch_ready, SPREAD, [{"manager_name": "ana ruiz", "helps_tailor": "on"}])
    assert ManagerEngagement.objects.get(program=launch_ready).team == "Team A"
    page = client.get(reverse("programs:buy_in", args=[launch_ready.pk])).content.decode()
    assert "data-person-picker" in page and "level=manager" in page


def test_the_warnings_are_listed_once_after_saving(client, org, launch_ready):
    client.force_login(org.lead)
    page = _post(client, launch_ready, SPREAD[:1], MANAGERS).content.decode()
    assert "Buy-in plan saved." in page
    assert page.count("Only 1 touchpoint(s) before launch") == 1


def test_expectations_are_saved_with_their_indicator_and_a_half_row_is_refused(client, org, launch_ready):
    from programs.models import Expectation

    client.force_login(org.lead)
    half = [{"audience": "managers", "expected": "A team session every two weeks", "target_percent": "80"}]
    response = _post(client, launch_ready, SPREAD, MANAGERS, **_formset("expect", half))
    assert "This field is required." in response.content.decode()
    assert not Expectation.objects.exists() and not BuyInPlan.objects.filter(program=launch_ready).exists()
    full = [{**half[0], "indicator": "team_sessions", "recognition": "Named in the monthly sales call"}]
    _post(client, launch_ready, SPREAD, MANAGERS, **_formset("expect", full))
    saved = Expectation.objects.get(program=launch_ready)
    assert (saved.audience, saved.indicator, saved.target_percent) == ("managers", "team_sessions", 80)
    # A post without the expectations table keeps them.
    _post(client, launch_ready, SPREAD, MANAGERS, initial=3)
    assert Expectation.objects.filter(program=launch_ready).count() == 1
