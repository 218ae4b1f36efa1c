"""The dashboard's numbers on the hand-built org of conftest.py, where every figure is known."""

from datetime import timedelta

import pytest

from reinforcement.measurement.figures import present
from reinforcement.measurement.models import DashboardSnapshot
from reinforcement.measurement.selectors import Scope, live_data
from reinforcement.measurement.services import snapshot_refresh

from .conftest import LAUNCH, TODAY

pytestmark = pytest.mark.django_db


def _view(program, **scope):
    return present(live_data(Scope(program, **scope)))


def test_adoption_counts_sellers_at_apply_or_master_per_skill(measured):
    view = _view(measured["program"])
    by_name = {s["name"]: s for s in view["skills"]}
    assert view["people"] == 3
    assert by_name["Qualifying"]["adopted"] == 2
    assert by_name["Qualifying"]["adoption"] == pytest.approx(2 / 3)
    assert by_name["Negotiating"]["adoption"] == 0
    assert view["adoption"] == pytest.approx(2 / 6)


def test_the_funnel_counts_people_without_a_stage_row_as_not_started(measured):
    view = _view(measured["program"])
    negotiating = next(s for s in view["skills"] if s["name"] == "Negotiating")
    assert negotiating["counts"] == [1, 1, 0, 1, 0, 0]


def test_the_trend_walks_stage_moves_back_week_by_week(measured):
    view = _view(measured["program"])
    qualifying = next(s for s in view["skills"] if s["name"] == "Qualifying")
    assert qualifying["trend"][-1] == pytest.approx(2 / 3)
    assert qualifying["trend"][-2] == pytest.approx(1 / 3)


def test_a_date_range_ending_last_week_shows_adoption_as_of_then(measured):
    data = live_data(Scope(measured["program"]))
    view = present(data, date_to=TODAY - timedelta(days=7))
    qualifying = next(s for s in view["skills"] if s["name"] == "Qualifying")
    assert qualifying["adoption"] == pytest.approx(1 / 3)


def test_coaching_adherence_compares_logged_with_one_per_seller_per_cadence(measured):
    view = _view(measured["program"])
    # 3 sellers over 28 days at one conversation per 14 days: 6 expected, 3 logged.
    assert view["leading"]["coaching_logged"] == 3
    assert view["leading"]["coaching_expected"] == 6
    assert view["leading"]["coaching_adherence"] == pytest.approx(0.5)


def test_managers_are_ranked_by_coaching_done_against_expected(measured, org):
    view = _view(measured["program"])
    ranking = view["managers"]["lowest"]
    assert [r["manager_id"] for r in ranking] == [org.people["other_manager"].pk, org.people["manager"].pk]
    team_a = ranking[1]
    assert (team_a["coaching"], team_a["expected"], team_a["adherence"]) == (3, 4, 0.75)
    assert ranking[0]["adherence"] == 0


def test_a_team_view_lists_its_sellers_with_their_stages(measured, org):
    view = _view(measured["program"], kind="team", team=org.teams["a"])
    assert view["people"] == 2
    names = {r["id"] for r in view["children"]}
    assert names == {org.people["seller"].pk, org.people["seller_b"].pk}
    assert view["adoption"] == pytest.approx(2 / 4)


def test_trained_sellers_without_recent_coaching_are_overdue(measured, org):
    view = _view(measured["program"])
    overdue = {r["id"] for r in view["overdue"]["list"]}
    # seller_b was coached 3 days ago, seller too; other_seller (at Learn) never.
    assert overdue == {org.people["other_seller"].pk}


def test_the_snapshot_stores_the_same_figures_for_the_org_and_each_region(measured, org):
    program = measured["program"]
    count = snapshot_refresh(program=program)
    regions = {p.region_id for p in org.people.values() if p.level == "individual"}
    assert count == 1 + len(regions)
    stored = DashboardSnapshot.objects.get(program=program, region_key=0)
    assert present(stored.data)["adoption"] == pytest.approx(2 / 6)
    assert stored.data["launch"] == LAUNCH.isoformat()


def test_coaching_is_expected_only_from_the_day_a_seller_was_trained(measured, org, today):
    from cohorts.models import Cohort, CohortMember, Enrollment, Session, Wave
    from tests.factories import PersonFactory

    from .conftest import at

    program = measured["program"]
    newcomer = PersonFactory(manager=org.people["other_manager"], team=org.teams["b"])
    untrained = PersonFactory(manager=org.people["other_manager"], team=org.teams["b"])
    wave = Wave.objects.create(program=program, number=1, name="Main")
    cohort = Cohort.objects.create(program=program, wave=wave, name="Late cohort")
    for person in (newcomer, untrained):
        CohortMember.objects.create(program=program, person=person, cohort=cohort)
    # Trained 14 days ago (counting today): one more conversation expected; the other never trained.
    day = today - timedelta(days=13)
    session = Session.objects.create(cohort=cohort, title="Day 1", starts_at=at(day, 9), ends_at=at(day, 17))
    Enrollment.objects.create(session=session, person=newcomer, attendance=Enrollment.Attendance.ATTENDED)
    view = _view(program)
    team_b = next(r for r in view["managers"]["lowest"] if r["manager_id"] == org.people["other_manager"].pk)
    assert team_b["people"] == 3
    assert team_b["expected"] == 2 + 1
    assert view["leading"]["coaching_expected"] == 6 + 1


def _weekly(pre, post, weeks=8):
    """Values for the last `weeks` weeks: `pre` before launch, `post` from launch on."""
    from .conftest import LAUNCH

    first = TODAY - timedelta(days=TODAY.weekday()) - timedelta(weeks=weeks - 1)
    return [pre if first + timedelta(weeks=i) < LAUNCH else post for i in range(weeks)]


def test_pilot_and_holdout_are_compared_by_difference_in_differences(measured, org):
    from cohorts.models import Cohort, CohortMember, Wave
    from tests.factories import PersonFactory

    from .conftest import add_actuals

    program = measured["program"]
    cohorts = {}
    for number, kind in ((1, Wave.Kind.PILOT), (2, Wave.Kind.HOLDOUT)):
        wave = Wave.objects.create(program=program, number=number, name=kind, kind=kind)
        cohorts[kind] = Cohort.objects.create(program=program, wave=wave, name=kind)
    for kind, post in ((Wave.Kind.PILOT, 23), (Wave.Kind.HOLDOUT, 21)):
        for _ in range(12):
            person = PersonFactory(manager=org.people["manager"], team=org.teams["a"])
            CohortMember.objects.create(program=program, person=person, cohort=cohorts[kind])
            add_actuals(program, person, _weekly(20, post))
    view = _view(program)
    pilot = next(d for d in view["impact"] if d["key"] == "pilot")
    win = next(m for m in pilot["metrics"] if m["name"] == "Win rate")
    assert (win["treated_n"], win["control_n"]) == (12, 12)
    assert win["treated_change"] == pytest.approx(3)
    assert win["control_change"] == pytest.approx(1)
    assert win["estimate"] == pytest.approx(2)
    assert win["ci_low"] == pytest.approx(2) and win["ci_high"] == pytest.approx(2)
    assert win["method"] == "bootstrap"
    assert "pilot group improved more" in win["verdict"]


def test_with_few_people_the_page_says_nothing_can_be_concluded(measured, org):
    from .conftest import add_actuals

    program = measured["program"]
    add_actuals(program, org.people["seller"], _weekly(20, 25))
    add_actuals(program, org.people["other_seller"], _weekly(20, 21))
    view = _view(program)
    trained = next(d for d in view["impact"] if d["key"] == "trained")
    win = next(m for m in trained["metrics"] if m["name"] == "Win rate")
    # Both reached Learn, so both count as trained: there is nobody to compare with.
    assert win["treated_n"] == 2 and win["control_n"] == 0
    assert win["treated_change"] == pytest.approx(3)
    assert "empty" in win["verdict"]
    assert [d["key"] for d in view["impact"]] == ["trained"]


def test_lagging_series_are_weekly_averages_per_seller(measured, org):
    from .conftest import add_actuals

    program = measured["program"]
    add_actuals(program, org.people["seller"], [20, 30])
    add_actuals(program, org.people["seller_b"], [22, 34])
    view = _view(program)
    win = next(m for m in view["metrics"] if m["name"] == "Win rate")
    assert win["series"][-2:] == [pytest.approx(21), pytest.approx(32)]
    assert win["reporting"][-2:] == [2, 2]
    assert (win["baseline"], win["target"]) == (20.0, 25.0)
