from datetime import date

import pytest
from django.urls import reverse

from cohorts.models import Cohort, CohortMember, Session, Wave
from cohorts.services.planning import plan_build, plan_save
from cohorts.services.sessions import sessions_schedule
from programs.models import Program
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_generate_page_previews_without_saving(client, org, make_program):
    program = make_program(pilot_scope={"teams": ["Team A"]})
    client.force_login(org.lead)
    page = client.get(
        reverse("cohorts:plan_generate", args=[program.pk]), {"cohort_size": 5}
    ).content.decode()
    assert "Pilot · Team A" in page and "Save this plan" in page
    assert not Wave.objects.filter(program=program).exists()


def test_saving_the_preview_stores_the_same_plan(client, org, make_program):
    program = make_program(pilot_scope={"teams": ["Team A"]})
    client.force_login(org.lead)
    response = client.post(reverse("cohorts:plan_generate", args=[program.pk]), {"cohort_size": 5})
    assert response.status_code == 302
    names = list(Cohort.objects.filter(program=program).values_list("name", flat=True))
    assert "Pilot · Team A" in names
    assert (
        CohortMember.objects.get(program=program, person=org.people["seller"]).cohort.name == "Pilot · Team A"
    )


def test_a_cohort_size_out_of_range_is_refused_next_to_the_field(client, org, make_program):
    program = make_program()
    client.force_login(org.lead)
    response = client.post(reverse("cohorts:plan_generate", args=[program.pk]), {"cohort_size": 1})
    assert response.status_code == 200
    assert "greater than or equal to 2" in response.content.decode()
    assert not Wave.objects.filter(program=program).exists()


@pytest.mark.parametrize("persona", ["manager", "executive", "seller"])
def test_only_leads_generate_or_change_a_plan(client, planned, org, persona):
    client.force_login(getattr(org, persona))
    assert (
        client.post(reverse("cohorts:plan_generate", args=[planned.pk]), {"cohort_size": 4}).status_code
        == 403
    )
    cohort = Cohort.objects.filter(program=planned).first()
    move = {"person": org.people["seller"].pk, "cohort": cohort.pk}
    assert client.post(reverse("cohorts:member_move", args=[planned.pk]), move).status_code == 403
    assert client.post(reverse("cohorts:cohort_split", args=[cohort.pk])).status_code == 403


def test_executives_read_the_plan_but_managers_and_sellers_do_not(client, planned, org):
    client.force_login(org.executive)
    assert client.get(reverse("cohorts:plan", args=[planned.pk])).status_code == 200
    for persona in ("manager", "seller"):
        client.force_login(getattr(org, persona))
        assert client.get(reverse("cohorts:plan", args=[planned.pk])).status_code == 403


def test_a_manager_order_violation_is_flagged_and_fixed_with_one_click(client, planned, org):
    rollout = Cohort.objects.exclude(wave__kind=Wave.Kind.PILOT).filter(program=planned).first()
    member = CohortMember.objects.get(program=planned, person=org.people["manager"])
    managers_cohort = member.cohort
    member.cohort = rollout
    member.save()
    client.force_login(org.lead)
    page = client.get(reverse("cohorts:plan", args=[planned.pk])).content.decode()
    assert "manager-order problem" in page
    assert f"Move {org.people['manager'].first_name} to {managers_cohort.name}" in page
    client.post(
        reverse("cohorts:member_move", args=[planned.pk]),
        {"person": org.people["manager"].pk, "cohort": managers_cohort.pk},
    )
    page = client.get(reverse("cohorts:plan", args=[planned.pk])).content.decode()
    assert "Managers train before (or with) their reps" in page


def test_a_plan_of_individual_contributors_says_no_manager_is_in_scope(client, org, make_program):
    program = make_program(
        participation_criteria={"levels": ["individual"]}, rollout=Program.Rollout.BY_LOCATION
    )
    plan_save(program=program, plan=plan_build(program))
    client.force_login(org.lead)
    page = client.get(reverse("cohorts:plan", args=[program.pk])).content.decode()
    assert "No manager is in scope" in page
    assert "Managers train before (or with) their reps" not in page


def test_the_plan_page_needs_the_same_queries_as_the_org_grows(
    client, org, make_program, django_assert_max_num_queries
):
    from cohorts.services.planning import plan_build, plan_save

    program = make_program(pilot_scope={"teams": ["Team A"]})
    PersonFactory.create_batch(30, manager=org.people["other_manager"], team=org.teams["b"])
    plan_save(program=program, plan=plan_build(program, cohort_size=5))
    sessions_schedule(program=program, first_day=date(2030, 1, 7), meeting_url="https://meet.example.com/x")
    client.force_login(org.lead)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("cohorts:plan", args=[program.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("cohorts:timeline", args=[program.pk])).status_code == 200


def test_splitting_and_merging_from_the_cohort_page(client, planned, org):
    cohort = Cohort.objects.get(program=planned, name="Pilot · Team A")
    client.force_login(org.lead)
    client.post(reverse("cohorts:cohort_split", args=[cohort.pk]))
    new = Cohort.objects.get(program=planned, name="Pilot · Team A (split)")
    assert cohort.members.count() == 1 and new.members.count() == 1
    client.post(reverse("cohorts:cohort_merge", args=[new.pk]), {"into": cohort.pk})
    assert cohort.members.count() == 2


def test_scheduling_creates_sessions_in_wave_order_and_enrolls_everyone(client, planned, org):
    client.force_login(org.lead)
    response = client.post(
        reverse("cohorts:schedule", args=[planned.pk]),
        {
            "first_day": "2030-01-07",
            "start_time": "09:00",
            "duration_minutes": 120,
            "per_day": 1,
            "wave_gap_days": 14,
            "mode": "virtual",
            "meeting_url": "https://meet.example.com/pilot",
        },
    )
    assert response.status_code == 302
    sessions = list(Session.objects.filter(cohort__program=planned).select_related("cohort__wave"))
    assert [s.cohort.name for s in sessions][:2] == ["Pilot · Managers 1", "Pilot · Managers 2"]
    assert all(s.cohort.wave.kind != Wave.Kind.HOLDOUT for s in sessions)  # holdout waits
    first = sessions[0]
    assert first.starts_at.astimezone(first.starts_at.tzinfo).hour in range(24)
    seller_session = Session.objects.get(cohort__name="Pilot · Team A")
    assert seller_session.enrollments.filter(person=org.people["seller"], status="enrolled").exists()


def test_scheduling_virtual_sessions_needs_a_link(client, planned, org):
    client.force_login(org.lead)
    response = client.post(
        reverse("cohorts:schedule", args=[planned.pk]),
        {
            "first_day": "2030-01-07",
            "start_time": "09:00",
            "duration_minutes": 120,
            "per_day": 1,
            "wave_gap_days": 0,
            "mode": "virtual",
        },
    )
    assert "Virtual sessions need a meeting link." in response.content.decode()
    assert not Session.objects.exists()


def test_a_manager_confirms_a_suggested_rep(client, org, make_program):
    from cohorts.services.planning import plan_build, plan_save

    program = make_program(
        participation=Program.Participation.SUGGESTED, participation_criteria={"levels": ["individual"]}
    )
    plan_save(program=program, plan=plan_build(program))
    member = CohortMember.objects.get(program=program, person=org.people["seller"])
    client.force_login(org.manager)
    page = client.get(reverse("cohorts:team", args=[program.pk])).content.decode()
    assert f"Confirm {org.people['seller'].first_name}" in page
    assert org.people["other_seller"].full_name not in page
    client.post(reverse("cohorts:member_decide", args=[member.pk]), {"decision": "confirm"})
    member.refresh_from_db()
    assert member.status == CohortMember.Status.CONFIRMED and member.decided_by == org.manager


@pytest.mark.parametrize("persona", ["other_manager", "seller", "executive"])
def test_nobody_else_decides_for_a_managers_rep(client, org, make_program, persona):
    from cohorts.services.planning import plan_build, plan_save

    program = make_program(
        participation=Program.Participation.SUGGESTED, participation_criteria={"levels": ["individual"]}
    )
    plan_save(program=program, plan=plan_build(program))
    member = CohortMember.objects.get(program=program, person=org.people["seller"])
    client.force_login(getattr(org, persona))
    assert (
        client.post(reverse("cohorts:member_decide", args=[member.pk]), {"decision": "confirm"}).status_code
        == 403
    )
    member.refresh_from_db()
    assert member.status == CohortMember.Status.PROPOSED


def test_a_manager_nominates_and_the_lead_approves(client, org, make_program):
    from cohorts.services.planning import plan_build, plan_save

    program = make_program(
        participation=Program.Participation.SELECTED, participation_criteria={"levels": ["executive"]}
    )
    plan_save(program=program, plan=plan_build(program))
    client.force_login(org.manager)
    client.post(reverse("cohorts:nominate", args=[program.pk]), {"person": org.people["seller"].pk})
    member = CohortMember.objects.get(program=program, person=org.people["seller"])
    assert member.status == CohortMember.Status.NOMINATED
    assert (
        client.post(
            reverse("cohorts:nominate", args=[program.pk]), {"person": org.people["other_seller"].pk}
        ).status_code
        == 404
    )
    client.force_login(org.lead)
    assert (
        org.people["seller"].full_name
        in client.get(reverse("cohorts:plan", args=[program.pk])).content.decode()
    )
    client.post(reverse("cohorts:member_decide", args=[member.pk]), {"decision": "confirm"})
    member.refresh_from_db()
    assert member.status == CohortMember.Status.CONFIRMED and member.cohort is not None


def _grow(org, program, count):
    """More reps on Team A, placed in the program's Team A cohort and seated in its session."""
    from cohorts.services.sessions import cohort_enroll

    cohort = Cohort.objects.get(program=program, name="Pilot · Team A")
    for person in PersonFactory.create_batch(count, manager=org.people["manager"], team=org.teams["a"]):
        CohortMember.objects.create(program=program, person=person, cohort=cohort)
    session = cohort.sessions.first()
    if session is not None:
        cohort_enroll(session=session)
    return cohort


@pytest.mark.parametrize("size", [0, 25])
def test_cohort_session_team_and_index_pages_need_the_same_queries_as_they_grow(
    client, planned, org, size, django_assert_max_num_queries
):
    sessions_schedule(program=planned, first_day=date(2030, 1, 7), meeting_url="https://meet.example.com/x")
    cohort = _grow(org, planned, size)
    session = cohort.sessions.get()
    client.force_login(org.lead)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("cohorts:cohort", args=[cohort.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("cohorts:session", args=[session.pk])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("cohorts:index")).status_code == 200
    client.force_login(org.manager)
    with django_assert_max_num_queries(11):
        assert client.get(reverse("cohorts:team", args=[planned.pk])).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(reverse("cohorts:my_team")).status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"), [("manager", 200), ("executive", 200), ("seller", 403), ("no_role", 403)]
)
def test_the_timeline_is_for_leads_executives_and_managers(client, planned, org, persona, status):
    client.force_login(getattr(org, persona))
    assert client.get(reverse("cohorts:timeline", args=[planned.pk])).status_code == status


def test_the_timeline_counts_trained_people_against_the_scope(client, planned, org):
    from cohorts.models import Enrollment

    sessions_schedule(program=planned, first_day=date(2030, 1, 7), meeting_url="https://meet.example.com/x")
    Enrollment.objects.filter(person=org.people["seller"]).update(attendance=Enrollment.Attendance.ATTENDED)
    client.force_login(org.lead)
    page = client.get(reverse("cohorts:timeline", args=[planned.pk])).content.decode()
    assert "1 / 6" in page  # one trained of six in scope (holdout included)
    assert "Waits for the pilot review" in page


@pytest.mark.parametrize("name", ["cohorts:import_template", "cohorts:import_demo_file"])
def test_only_leads_download_import_files(client, org, name):
    client.force_login(org.executive)
    assert client.get(reverse(name)).status_code == 403
    client.force_login(org.lead)
    assert client.get(reverse(name)).content.decode().startswith("email,first_name,last_name")
