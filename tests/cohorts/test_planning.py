import pytest

from cohorts.models import Cohort, CohortMember, Enrollment, Wave
from cohorts.selectors import people_in_scope, plan_violations
from cohorts.services import org_paths_rebuild
from cohorts.services.planning import (
    PlanLocked,
    cohort_merge,
    cohort_split,
    member_move,
    plan_build,
    plan_save,
)
from cohorts.services.sessions import sessions_schedule
from programs.models import Program
from tests.factories import AccountGroupFactory, LocationFactory, PersonFactory, RegionFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    """VP over four teams: A (3 reps) and B (3 reps) in NA at Chicago, C (2) and D (5) in EMEA at Berlin."""
    na, emea = RegionFactory(name="NA"), RegionFactory(name="EMEA")
    chicago = LocationFactory(name="Chicago", region=na, time_zone="America/Chicago")
    berlin = LocationFactory(name="Berlin", region=emea, time_zone="Europe/Berlin")
    healthcare = AccountGroupFactory(name="Healthcare")
    vp = PersonFactory(level="executive", function="sales_leadership", team=None, region=na, location=chicago)
    people = {"vp": vp}
    for name, region, location, reps in (
        ("A", na, chicago, 3),
        ("B", na, chicago, 3),
        ("C", emea, berlin, 2),
        ("D", emea, berlin, 5),
    ):
        team = TeamFactory(name=f"Team {name}", region=region)
        manager = PersonFactory(
            level="manager",
            function="sales_leadership",
            manager=vp,
            team=team,
            region=region,
            location=location,
        )
        people[f"m{name}"] = manager
        for i in range(reps):
            rep = PersonFactory(
                manager=manager,
                team=team,
                region=region,
                location=location,
                function="inside_sales" if i % 2 else "field_sales",
            )
            if name == "D":
                rep.account_groups.add(healthcare)
            people[f"{name}{i}"] = rep
    org_paths_rebuild()
    return people


def names(plan):
    return [(w.name, [(c.name, sorted(p.id for p in c.people)) for c in w.cohorts]) for w in plan.waves]


def test_a_pilot_trains_its_teams_first_with_managers_ahead_and_a_matched_holdout(company, make_program):
    program = make_program(pilot_scope={"teams": ["Team A"]})
    plan = plan_build(program)
    assert [(w.name, w.kind) for w in plan.waves] == [
        ("Pilot", Wave.Kind.PILOT),
        ("Rollout", Wave.Kind.MAIN),
        ("Holdout (after the pilot review)", Wave.Kind.HOLDOUT),
    ]
    pilot = plan.waves[0]
    # The VP manages the pilot team's manager, so they train first too.
    assert [c.name for c in pilot.cohorts] == ["Pilot · Managers 1", "Pilot · Managers 2", "Pilot · Team A"]
    assert [p.id for p in pilot.cohorts[0].people] == [company["vp"].pk]
    assert [p.id for p in pilot.cohorts[1].people] == [company["mA"].pk]
    # Team B is the closest match: same region and the same size.
    assert {p.team for c in plan.waves[2].cohorts for p in c.people} == {"Team B"}
    assert plan.holdout_match[0]["holdout"] == "Team B"


def test_the_same_input_gives_the_same_plan(company, make_program):
    program = make_program(pilot_scope={"teams": ["Team A"]}, participant_mix="cross_functional")
    assert names(plan_build(program)) == names(plan_build(program))


def test_an_explicit_holdout_scope_is_used_as_given(company, make_program):
    program = make_program(pilot_scope={"teams": ["Team A"]}, holdout_scope={"teams": ["Team D"]})
    holdout = plan_build(program).waves[-1]
    assert {p.team for c in holdout.cohorts for p in c.people} == {"Team D"}


def test_top_down_makes_a_wave_per_level_of_the_org(company, make_program):
    plan = plan_build(make_program(rollout=Program.Rollout.TOP_DOWN))
    assert [w.name for w in plan.waves] == ["Top leaders", "Their direct reports", "Level 3 of the org"]
    assert [p.id for c in plan.waves[0].cohorts for p in c.people] == [company["vp"].pk]
    assert plan.waves[1].size == 4 and plan.waves[2].size == 13


def test_by_location_follows_the_chosen_order(company, make_program):
    plan = plan_build(make_program(rollout=Program.Rollout.BY_LOCATION, wave_order=["Berlin", "Chicago"]))
    assert [w.name for w in plan.waves] == ["Berlin", "Chicago"]
    assert plan.waves[0].size == 10  # EMEA plus the VP above its managers


def test_by_account_group_puts_people_without_a_group_last(company, make_program):
    program = make_program(
        rollout=Program.Rollout.BY_GROUP,
        rollout_group_kind=Program.GroupKind.ACCOUNT_GROUP,
        wave_order=["Healthcare"],
    )
    plan = plan_build(program)
    assert [w.name for w in plan.waves] == ["Healthcare", "No group"]
    assert plan.waves[0].size == 7  # five reps, their manager and the VP


def test_cross_functional_cohorts_mix_functions_evenly_and_respect_the_size(company, make_program):
    program = make_program(
        rollout=Program.Rollout.BY_GROUP, rollout_group_kind="region", participant_mix="cross_functional"
    )
    plan = plan_build(program, cohort_size=4)
    emea = plan.waves[0]
    assert emea.name == "EMEA"
    mixed = [c for c in emea.cohorts if not c.is_leaders]
    assert all(c.size <= 4 for c in mixed)
    counts = [c.mix["functions"].get("Field sales", 0) for c in mixed]
    assert sum(counts) == 4 and max(counts) - min(counts) <= 1


def test_an_intact_team_larger_than_a_cohort_is_split_evenly(company, make_program):
    plan = plan_build(make_program(pilot_scope={"teams": ["Team D"]}), cohort_size=3)
    team_cohorts = [c for c in plan.waves[0].cohorts if not c.is_leaders]
    assert [c.name for c in team_cohorts] == ["Pilot · Team D (1/2)", "Pilot · Team D (2/2)"]
    assert [c.size for c in team_cohorts] == [3, 2]


def test_managers_with_reps_keeps_the_manager_in_the_team_cohort(company, make_program):
    program = make_program(pilot_scope={"teams": ["Team A"]}, managers_with_reps=True)
    pilot = plan_build(program).waves[0]
    assert [c.name for c in pilot.cohorts] == ["Pilot · No team", "Pilot · Team A"]
    assert company["mA"].pk in [p.id for p in pilot.cohorts[1].people]


def test_suggested_participation_proposes_people_matching_the_criteria(company, make_program):
    program = make_program(
        participation=Program.Participation.SUGGESTED,
        participation_criteria={"levels": ["individual"], "regions": ["EMEA"]},
        rollout=Program.Rollout.BY_LOCATION,
    )
    plan_save(program=program, plan=plan_build(program))
    statuses = set(CohortMember.objects.filter(program=program).values_list("status", flat=True))
    assert statuses == {CohortMember.Status.PROPOSED}
    assert CohortMember.objects.filter(program=program).count() == 7
    assert people_in_scope(program).count() == 0


def test_optional_participation_opens_sessions_without_placing_anyone(company, make_program):
    program = make_program(participation=Program.Participation.OPTIONAL)
    plan = plan_build(program, cohort_size=10)
    assert [(w.kind, len(w.cohorts)) for w in plan.waves] == [(Wave.Kind.OPEN, 2)]
    assert all(c.is_open and not c.people for c in plan.waves[0].cohorts)
    plan_save(program=program, plan=plan)
    assert not CohortMember.objects.filter(program=program).exists()


def test_a_saved_plan_has_no_violations_until_a_manager_is_moved_after_their_reps(company, make_program):
    program = make_program(pilot_scope={"teams": ["Team A"]})
    plan_save(program=program, plan=plan_build(program))
    assert plan_violations(program) == []
    later = Cohort.objects.get(program=program, name="Rollout · Team C")
    member = CohortMember.objects.get(program=program, person=company["mA"])
    member_move(member=member, cohort=later)
    found = plan_violations(program)
    assert {v["report"] for v in found} == {company["A0"], company["A1"], company["A2"]}
    assert {v["manager"] for v in found} == {company["mA"]}
    assert found[0]["fix_cohort"].name == "Pilot · Managers 2"
    member_move(member=CohortMember.objects.get(pk=member.pk), cohort=found[0]["fix_cohort"])
    assert plan_violations(program) == []


def test_scheduled_sessions_decide_the_order(company, make_program):
    from datetime import date, timedelta

    program = make_program(pilot_scope={"teams": ["Team A"]})
    plan_save(program=program, plan=plan_build(program))
    sessions_schedule(program=program, first_day=date(2030, 3, 4), per_day=1)
    managers = Cohort.objects.get(program=program, name="Pilot · Managers 2").sessions.get()
    managers.starts_at += timedelta(days=10)
    managers.ends_at += timedelta(days=10)
    managers.save()
    assert {v["reason"] for v in plan_violations(program)} == {"is scheduled after their report"}


def test_regenerating_is_refused_once_attendance_is_recorded(company, make_program):
    from datetime import date

    program = make_program(pilot_scope={"teams": ["Team A"]})
    plan_save(program=program, plan=plan_build(program))
    sessions_schedule(program=program, first_day=date(2030, 3, 4))
    Enrollment.objects.filter(session__cohort__program=program).update(
        attendance=Enrollment.Attendance.ATTENDED
    )
    with pytest.raises(PlanLocked):
        plan_save(program=program, plan=plan_build(program))
    assert Enrollment.objects.filter(session__cohort__program=program).exists()


def test_split_and_merge_keep_everyone_in_the_program(company, make_program):
    program = make_program(pilot_scope={"teams": ["Team D"]})
    plan_save(program=program, plan=plan_build(program))
    team = Cohort.objects.get(program=program, name="Pilot · Team D")
    new = cohort_split(cohort=team)
    assert (team.members.count(), new.members.count()) == (3, 2)
    assert new.sequence == team.sequence + 1
    cohort_merge(cohort=new, into=team)
    assert team.members.count() == 5
    assert not Cohort.objects.filter(pk=new.pk).exists()


def test_regenerating_keeps_the_decisions_managers_took(company, make_program):
    from django.utils import timezone

    program = make_program(participation=Program.Participation.SUGGESTED, rollout=Program.Rollout.BY_LOCATION)
    plan_save(program=program, plan=plan_build(program))
    decided_at = timezone.now()
    CohortMember.objects.filter(program=program, person=company["A0"]).update(
        status=CohortMember.Status.DECLINED, decided_at=decided_at
    )
    plan_save(program=program, plan=plan_build(program, cohort_size=4))
    kept = CohortMember.objects.get(program=program, person=company["A0"])
    assert (kept.status, kept.decided_at) == (CohortMember.Status.DECLINED, decided_at)
    assert (
        CohortMember.objects.get(program=program, person=company["A1"]).status == CohortMember.Status.PROPOSED
    )


def test_the_holdout_prefers_a_team_of_the_same_region_over_a_closer_size(company, make_program):
    plan = plan_build(make_program(pilot_scope={"teams": ["Team D"]}))
    assert plan.holdout_match == [
        {
            "pilot": "Team D",
            "pilot_region": "EMEA",
            "pilot_size": 6,
            "holdout": "Team C",
            "holdout_region": "EMEA",
            "holdout_size": 3,
        }
    ]


def test_the_plan_compares_pilot_and_holdout_by_level_and_region(company, make_program):
    plan = plan_build(make_program(pilot_scope={"teams": ["Team A"]}, holdout_scope={"teams": ["Team B"]}))
    profile = {
        (row["dimension"], row["value"]): (row["pilot"], row["holdout"]) for row in plan.holdout_profile
    }
    assert profile[("Level", "Individual contributor")] == (3, 3)
    assert profile[("Level", "Manager")] == (1, 1)
    assert profile[("Region", "NA")] == (4, 4)
