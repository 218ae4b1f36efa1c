"""A program's dashboard counts only that program's evidence, and one that has not launched
shows nobody's progress (issue 10).

`other` shares both skills (Qualifying, Negotiating) and the three sellers of `measured`, and
every kind of evidence the dashboard reads is given to it: stages and moves, answered questions,
coaching and ratings, overdue action plans, assessments, practice attempts, attendance, and
pilot/holdout waves. Launched, that evidence must change nothing on `measured`'s dashboard;
taken back to ready (with its old stage rows and stored snapshot left behind), its own
dashboard, exports, API, home headline, health page and weekly brief must show no progress.
"""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from cohorts.models import Cohort, CohortMember, Enrollment, Session, Wave
from programs.models import Program
from reinforcement.leadership.models import BriefDelivery
from reinforcement.leadership.selectors import brief_for
from reinforcement.leadership.services.briefs import briefs_deliver
from reinforcement.measurement.figures import ProgramNotLaunched, collect
from reinforcement.measurement.models import DashboardSnapshot
from reinforcement.measurement.selectors import Scope, figures_for, live_data
from reinforcement.measurement.services import snapshot_refresh
from reinforcement.models import (
    ActionPlan,
    AssessmentResult,
    Card,
    CoachingRating,
    CoachingSession,
    Nudge,
    ReviewLog,
    SkillStage,
    StageEvent,
)
from tests.factories import PersonFactory, QuestionFactory, make_ready_program, practice_attempt

from .conftest import LAUNCH, TODAY, add_actuals, at

pytestmark = pytest.mark.django_db
SELLERS = ("seller", "seller_b", "other_seller")
START = TODAY + timedelta(days=30)
NOTE = f"This program has not launched yet — progress appears after launch on {START.day} {START:%b %Y}."


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


def give_evidence(program, org):
    """Every kind of evidence the dashboard reads, for SELLERS on both of `program`'s skills."""
    people = [org.people[key] for key in SELLERS]
    pilot = Wave.objects.create(program=program, number=1, name="Pilot", kind=Wave.Kind.PILOT)
    holdout = Wave.objects.create(program=program, number=2, name="Holdout", kind=Wave.Kind.HOLDOUT)
    pilot_cohort = Cohort.objects.create(program=program, wave=pilot, name="Pilot 1")
    holdout_cohort = Cohort.objects.create(program=program, wave=holdout, name="Holdout 1")
    for i, person in enumerate(people):
        CohortMember.objects.create(
            program=program,
            person=person,
            cohort=holdout_cohort if i == 2 else pilot_cohort,
            status=CohortMember.Status.CONFIRMED,
        )
    session = Session.objects.create(
        cohort=pilot_cohort,
        title="Day 1",
        starts_at=at(TODAY - timedelta(days=9)),
        ends_at=at(TODAY - timedelta(days=9), 17),
    )
    for person in people[:2]:
        Enrollment.objects.create(session=session, person=person, attendance=Enrollment.Attendance.ATTENDED)
    coaching = CoachingSession.objects.create(
        manager=org.people["manager"],
        program=program,
        kind="one_on_one",
        occurred_on=TODAY - timedelta(days=1),
    )
    coaching.sellers.set(people)
    for n, ps in enumerate(program.skills.order_by("id")):
        question = QuestionFactory(skill=ps.skill)
        for i, person in enumerate(people):
            stage = SkillStage.objects.create(person=person, program_skill=ps, stage="master")
            StageEvent.objects.create(
                skill_stage=stage,
                from_stage="apply",
                to_stage="master",
                reason="Signed off",
                created_at=at(TODAY - timedelta(days=8)),
            )
            card = Card.objects.create(person=person, question=question, program=program, due_at=at(TODAY))
            sent = at(TODAY - timedelta(days=1), 9)
            nudge = Nudge.objects.create(
                person=person,
                card=card,
                due_at=sent,
                created_at=sent,
                sent_at=sent,
                status=Nudge.Status.ANSWERED,
                idempotency_key=f"other:{program.pk}:{n}:{i}",
            )
            ReviewLog.objects.create(
                card=card,
                nudge=nudge,
                chosen_index=0,
                is_correct=True,
                rating=3,
                predicted_recall=0.11,
                stability_after=20,
                due_after=at(TODAY + timedelta(days=20)),
                reviewed_at=sent + timedelta(hours=1),
                sequence=1,
            )
            CoachingRating.objects.create(session=coaching, seller=person, skill=ps.skill, rating=5)
            ActionPlan.objects.create(
                person=person,
                program=program,
                skill=ps.skill,
                customer="Acme",
                commitment="Ask about the cost of delay",
                due_on=TODAY - timedelta(days=5),
            )
            for kind, score in (("pre", 10), ("post", 95)):
                AssessmentResult.objects.create(
                    person=person, program_skill=ps, kind=kind, score=score, taken_on=LAUNCH
                )
            practice_attempt(person, ps.skill, program=program, waiting_days=10)
            practice_attempt(person, ps.skill, program=program, reviewed_by=org.people["manager"])


@pytest.fixture
def other(org, measured):
    """A launched program on the same skills and sellers as `measured`, with its own evidence."""
    program = make_ready_program(
        owner=org.lead, name="Second wave", start_date=LAUNCH, status=Program.Status.LAUNCHED
    )
    assert set(program.skills.values_list("skill_id", flat=True)) == set(
        measured["program"].skills.values_list("skill_id", flat=True)
    )
    return program


@pytest.fixture
def taken_back(org, measured, other):
    """`other` with its evidence and a stored snapshot, then taken back to ready before launch."""
    give_evidence(other, org)
    assert snapshot_refresh(program=other) >= 1
    Program.objects.filter(pk=other.pk).update(status=Program.Status.READY, start_date=START)
    other.refresh_from_db()
    return other


# ---------------------------------------------------------------- a launched program: its own only


def test_another_launched_programs_evidence_changes_nothing_on_this_dashboard(org, measured, other, client):
    for key in SELLERS:
        add_actuals(measured["program"], org.people[key], [20, 20, 20, 20, 20, 25, 25, 25])
    scope = Scope(measured["program"])
    before = live_data(scope)
    give_evidence(other, org)

    assert live_data(scope) == before
    mine = live_data(Scope(other))  # the evidence is real: the other program counts all of it
    assert mine["people"] == 3 and mine["stage_weeks"][str(other.skills.first().pk)][-1][-1] == 3
    assert sum(mine["activity"]["reviews"]) == 6 and sum(mine["activity"]["coaching"]) == 3
    assert (
        mine["overdue"]["plans"] == 6 and mine["practice_reviewed"] == 6 and mine["overdue"]["reviews"] == 6
    )
    assert [d["key"] for d in mine["impact"]] == ["trained", "pilot"]
    assert [d["key"] for d in before["impact"]] == ["trained"]  # other's pilot/holdout waves are not ours

    client.force_login(org.executive)
    view = client.get(reverse("measurement:dashboard"), {"program": measured["program"].pk}).context["view"]
    assert view["adoption"] == pytest.approx(2 / 6)
    assert view["leading"]["coaching_logged"] == 3 and view["leading"]["reviews"] == 0
    assert view["leading"]["assessment_pairs"] == 0 and view["leading"]["sessions_attended"] == 0
    assert (view["overdue"]["plans"], view["practice_reviewed"], view["overdue"]["reviews"]) == (0, 0, 0)
    body = client.get(
        reverse("api-program-adoption", args=[measured["program"].pk]), **auth(org.executive)
    ).json()
    assert body["launched"] is True and body["adoption"] == pytest.approx(2 / 6)
    assert body["skills"][0]["counts"] == view["skills"][0]["counts"]


def test_coaching_logged_for_no_program_counts_for_none(client, org, measured):
    legacy = CoachingSession.objects.create(
        manager=org.people["manager"], kind="one_on_one", occurred_on=TODAY - timedelta(days=1)
    )
    legacy.sellers.set([org.people["seller"]])
    client.force_login(org.executive)
    view = client.get(reverse("measurement:dashboard"), {"program": measured["program"].pk}).context["view"]
    assert view["leading"]["coaching_logged"] == 3


# ---------------------------------------------------------------- a program that has not launched


def test_a_program_not_launched_computes_no_figures_and_drops_its_old_snapshots(org, taken_back):
    assert DashboardSnapshot.objects.filter(program=taken_back).exists()
    with pytest.raises(ProgramNotLaunched):
        collect(taken_back, taken_back.members.all())
    with pytest.raises(ProgramNotLaunched):
        figures_for(Scope(taken_back))  # the stored snapshot is never read
    with pytest.raises(ProgramNotLaunched):
        brief_for(taken_back)
    assert snapshot_refresh(program=taken_back) == 0
    assert not DashboardSnapshot.objects.filter(program=taken_back).exists()


@pytest.mark.parametrize("who", ["executive", "lead"])
def test_the_dashboard_of_a_program_not_launched_shows_what_is_planned_and_no_progress(
    client, org, taken_back, who
):
    client.force_login(getattr(org, who))
    response = client.get(reverse("measurement:dashboard"), {"program": taken_back.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["not_launched"] and "view" not in response.context
    assert NOTE in html
    assert response.context["planned"] == {
        "people": 3,
        "cohorts": 2,
        "waves": 2,
        "sessions": 1,
        "upcoming_sessions": 0,
        "first_session": at(TODAY - timedelta(days=9)),
        "last_session": at(TODAY - timedelta(days=9)),
        "skills": ["Qualifying", "Negotiating"],
    }
    assert "3 sellers in scope" in html and "2 cohorts in 2 waves" in html
    for progress in (
        "headline-adoption",
        "table-adoption",
        "table-children",
        "table-leading",
        "dashboard-data",
        "Recompute now",
        "%",
    ):
        assert progress not in html, progress
    assert "Second wave (not launched)" in html  # the program picker says so too


def test_a_manager_sees_the_not_launched_state_for_their_own_teams_only(client, org, taken_back):
    client.force_login(org.manager)
    response = client.get(reverse("measurement:dashboard"), {"program": taken_back.pk})
    assert response.status_code == 200 and NOTE in response.content.decode()
    assert response.context["planned"]["people"] == 2  # seller and seller_b, not Team B's seller
    other_team = {"program": taken_back.pk, "team": org.teams["b"].pk}
    assert client.get(reverse("measurement:dashboard"), other_team).status_code == 404


def test_sellers_get_no_dashboard_of_any_program(client, org, measured, taken_back):
    client.force_login(org.seller)
    for program in (measured["program"], taken_back):
        assert client.get(reverse("measurement:dashboard"), {"program": program.pk}).status_code == 403
        url = reverse("api-program-adoption", args=[program.pk])
        response = client.get(url, **auth(org.seller))
        assert response.status_code == 403 and response.json()["status_code"] == 403


def test_the_exports_of_a_program_not_launched_say_why_they_are_empty(client, org, taken_back):
    client.force_login(org.executive)
    response = client.get(reverse("measurement:export", args=["adoption"]), {"program": taken_back.pk})
    assert response.status_code == 409 and response.content.decode() == NOTE


def test_the_adoption_api_of_a_program_not_launched_shows_no_progress(client, org, taken_back):
    url = reverse("api-program-adoption", args=[taken_back.pk])
    body = client.get(url, **auth(org.executive)).json()
    assert body == {
        "program": taken_back.pk,
        "status": "ready",
        "launch_date": START.isoformat(),
        "scope": "Whole organisation",
        "launched": False,
        "detail": NOTE,
        "people": 3,
        "adoption": None,
        "goal": body["goal"],
        "as_of": None,
        "computed_at": None,
        "skills": [
            {"name": "Qualifying", "adoption": None, "counts": None},
            {"name": "Negotiating", "adoption": None, "counts": None},
        ],
    }
    mine = client.get(url, {"team": org.teams["a"].pk}, **auth(org.manager)).json()
    assert mine["launched"] is False and mine["people"] == 2 and mine["adoption"] is None
    assert client.get(url, {"team": org.teams["b"].pk}, **auth(org.manager)).status_code == 404


def test_the_stages_api_hides_stage_rows_left_from_before_a_program_was_taken_back(
    client, org, measured, taken_back
):
    rows = client.get(reverse("api-stages"), **auth(org.executive)).json()["results"]
    assert {r["program"] for r in rows} == {measured["program"].pk}
    assert not client.get(reverse("api-stages"), {"program": taken_back.pk}, **auth(org.executive)).json()[
        "results"
    ]
    own = client.get(reverse("api-stages"), **auth(org.seller)).json()["results"]
    assert own and {r["program"] for r in own} == {measured["program"].pk}


def coaching_rows(client, user, **params):
    response = client.get(reverse("api-coaching-sessions"), params, **auth(user))
    assert response.status_code == 200
    return response.json()["results"]


def test_the_coaching_api_lists_no_coaching_of_a_program_not_launched(client, org, measured, taken_back):
    """As `stages/`: coaching logged for `taken_back` while it ran is not listed before launch."""
    assert CoachingSession.objects.filter(program=taken_back).count() == 1
    for user in (org.lead, org.executive, org.manager, org.seller, org.other_seller):
        rows = coaching_rows(client, user)
        assert taken_back.pk not in {r["program"] for r in rows}
        assert not coaching_rows(client, user, program=taken_back.pk)
    assert {r["program"] for r in coaching_rows(client, org.executive)} == {measured["program"].pk}
    assert len(coaching_rows(client, org.manager, program=measured["program"].pk)) == 2

    # Closed programs keep their history; coaching logged for no program is still a log.
    Program.objects.filter(pk=measured["program"].pk).update(status=Program.Status.CLOSED)
    legacy = CoachingSession.objects.create(
        manager=org.people["manager"], kind="one_on_one", occurred_on=TODAY - timedelta(days=1)
    )
    legacy.sellers.set([org.people["seller"]])
    rows = coaching_rows(client, org.seller)
    assert {r["program"] for r in rows} == {measured["program"].pk, None}
    assert legacy.pk in {r["id"] for r in rows}

    # Relaunched, its coaching is listed again.
    Program.objects.filter(pk=taken_back.pk).update(status=Program.Status.LAUNCHED)
    assert len(coaching_rows(client, org.executive, program=taken_back.pk)) == 1


def test_the_coaching_api_of_a_launched_program_lists_its_own_within_each_callers_rights(
    client, org, measured, other
):
    give_evidence(other, org)
    people = org.people
    (session,) = coaching_rows(client, org.executive, program=other.pk)
    assert session["program"] == other.pk and len(session["ratings"]) == 6
    assert {r["program"] for r in coaching_rows(client, org.executive)} == {measured["program"].pk, other.pk}

    # A seller in the shared session sees only their own name and ratings, never a colleague's.
    (mine,) = coaching_rows(client, org.seller, program=other.pk)
    assert mine["sellers"] == [people["seller"].pk]
    assert {r["seller"] for r in mine["ratings"]} == {people["seller"].pk} and len(mine["ratings"]) == 2
    # ... and no session they are not in: other_seller was in none of `measured`'s.
    assert len(coaching_rows(client, org.seller, program=measured["program"].pk)) == 2
    assert not coaching_rows(client, org.other_seller, program=measured["program"].pk)
    (theirs,) = coaching_rows(client, org.other_seller, program=other.pk)
    assert theirs["sellers"] == [people["other_seller"].pk]
    assert {r["seller"] for r in theirs["ratings"]} == {people["other_seller"].pk}
    # Another team's manager sees none of this manager's coaching.
    assert not coaching_rows(client, org.other_manager, program=other.pk)
    assert not coaching_rows(client, org.other_manager)


def test_the_executive_home_says_when_figures_start_instead_of_old_ones(client, org, taken_back, measured):
    Program.objects.filter(pk=measured["program"].pk).update(status=Program.Status.DRAFT)
    client.force_login(org.executive)
    html = client.get(reverse("home")).content.decode()
    assert 'id="headline-not-launched"' in html and NOTE in html
    assert "apply the skills on the job" not in html


def test_the_health_page_of_a_program_not_launched_counts_nobody_as_trained(client, org, taken_back):
    client.force_login(org.lead)
    response = client.get(reverse("measurement:health", args=[taken_back.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and NOTE in html
    assert response.context["progress"]["trained"] is None
    assert all(w["trained"] is None for w in response.context["progress"]["waves"])
    assert "people in scope trained" not in html


def test_the_weekly_brief_of_a_program_not_launched_says_so_and_is_never_sent(
    client, org, taken_back, mailoutbox
):
    client.force_login(org.executive)
    response = client.get(reverse("leadership:brief", args=[taken_back.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and NOTE in html and 'id="brief-not-launched"' in html
    token = uuid.uuid4()
    row = BriefDelivery.objects.create(
        program=taken_back,
        week=TODAY - timedelta(days=TODAY.weekday()),
        recipient=org.executive,
        created_at=timezone.now(),
        status=BriefDelivery.Status.CLAIMED,
        lease_token=token,
        lease_expires_at=timezone.now() + timedelta(minutes=5),
    )
    assert briefs_deliver(ids=[row.pk], lease_token=token) == 0
    row.refresh_from_db()
    assert row.status == BriefDelivery.Status.FAILED and "not launched" in row.last_error
    assert not mailoutbox


def test_the_not_launched_dashboard_and_api_read_a_bounded_number_of_queries(
    client, org, taken_back, django_assert_max_num_queries
):
    client.force_login(org.executive)
    page = reverse("measurement:dashboard")
    api = reverse("api-program-adoption", args=[taken_back.pk])
    headers = auth(org.executive)
    counts = {}
    for url, params, extra in ((page, {"program": taken_back.pk}, {}), (api, {}, headers)):
        with django_assert_max_num_queries(25) as captured:
            assert client.get(url, params, **extra).status_code == 200
        counts[url] = len(captured.captured_queries)
    team = org.teams["a"]
    for _ in range(10):
        person = PersonFactory(team=team, manager=org.people["manager"])
        CohortMember.objects.create(program=taken_back, person=person, status=CohortMember.Status.CONFIRMED)
        SkillStage.objects.create(person=person, program_skill=taken_back.skills.first(), stage="master")
    for url, params, extra in ((page, {"program": taken_back.pk}, {}), (api, {}, headers)):
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url, params, **extra).status_code == 200
    assert client.get(api, **headers).json()["people"] == 13


def test_a_relaunched_program_shows_its_figures_again(client, org, taken_back):
    Program.objects.filter(pk=taken_back.pk).update(status=Program.Status.LAUNCHED, start_date=LAUNCH)
    client.force_login(org.executive)
    view = client.get(reverse("measurement:dashboard"), {"program": taken_back.pk}).context["view"]
    assert view["adoption"] == 1.0


def test_recompute_now_on_a_program_not_launched_stores_nothing_and_says_why(client, org, taken_back):
    client.force_login(org.lead)
    response = client.post(reverse("measurement:refresh"), {"program": taken_back.pk}, follow=True)
    assert response.status_code == 200 and NOTE in response.content.decode()
    assert not DashboardSnapshot.objects.filter(program=taken_back).exists()
    client.force_login(org.executive)
    assert client.post(reverse("measurement:refresh"), {"program": taken_back.pk}).status_code == 403
