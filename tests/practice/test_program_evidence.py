"""Practice belongs to a program: an attempt counts (stage, points, certificates, reviews,
dashboards) only in the program it was practised for, even when another program trains the
same skill; the seller's own page labels other programs' attempts; a program that has not
launched takes no practice and shows nobody's."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cohorts.models import Person
from programs.models import Program, ProgramSkill
from reinforcement.models import ReinforcementRules, SkillStage, Stage
from reinforcement.practice import selectors, services
from reinforcement.practice.models import (
    Attempt,
    Certificate,
    CertificationRule,
    PointEntry,
    ReviewerAssignment,
)
from reinforcement.practice.points import points_refresh
from reinforcement.selectors import team_matrix
from reinforcement.services.stages import stages_ensure, stages_recompute
from tests.practice.conftest import _remembering

pytestmark = pytest.mark.django_db
ANSWER = "I would ask what the delay costs them each week, then who else signs."


@pytest.fixture
def second(org, program, program_skills, enrolled):
    """Program B, launched, training Qualifying too; the seller stands at Remember in it as in A."""
    b = Program.objects.create(name="Negotiation refresh", owner=org.lead, status=Program.Status.LAUNCHED)
    ReinforcementRules.objects.create(program=b, require_attendance=False, practice_min_sessions=1)
    shared = ProgramSkill.objects.create(program=b, skill=program_skills[0].skill)
    stages_ensure(program=b, person_ids=[p.pk for p in enrolled])
    _remembering(org.people["seller"], b, [shared])
    stages_recompute(program_ids=[b.pk])
    return b


def stage_in(person, program, skill):
    return SkillStage.objects.get(
        person=person, program_skill__program=program, program_skill__skill=skill
    ).stage


def reviewed_for(program, org, scenario, django_capture_on_commit_callbacks, scores=(5, 5)):
    attempt = services.attempt_write(
        person=org.people["seller"], scenario=scenario, program=program, text=ANSWER
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.review_submit(
            attempt=attempt, reviewer=org.people["manager"], by_manager=True, scores=scores
        )
    stages_recompute()  # as the nightly recompute does, over every program
    return attempt


def test_practice_for_program_a_moves_and_earns_only_in_a_not_in_b_that_shares_the_skill(
    org, program, scenarios, second, django_capture_on_commit_callbacks
):
    seller, skill = org.people["seller"], scenarios[0].skill
    assert stage_in(seller, program, skill) == stage_in(seller, second, skill) == Stage.REMEMBER
    shared_in_b = ProgramSkill.objects.get(program=second, skill=skill)
    CertificationRule.objects.create(program_skill=shared_in_b, threshold=Decimal("4"))
    attempt = reviewed_for(program, org, scenarios[0], django_capture_on_commit_callbacks)

    assert attempt.program == program
    assert stage_in(seller, program, skill) == Stage.PRACTICE
    assert stage_in(seller, second, skill) == Stage.REMEMBER  # B's evidence holds no practice
    assert not Certificate.objects.filter(program_skill=shared_in_b).exists()  # B's rule: not by A's attempt
    points_refresh()
    assert PointEntry.objects.filter(program=program, source_key=f"practice:{attempt.pk}").exists()
    assert not PointEntry.objects.filter(program=second, kind=PointEntry.Kind.PRACTICE).exists()
    assert not PointEntry.objects.filter(program=second, source_key__contains=":practice").exists()

    just_seller = Person.objects.filter(pk=seller.pk)
    cell_b = team_matrix(people=just_seller, program=second)["rows"][0]["cells"][0]
    cell_a = next(c for c in team_matrix(people=just_seller, program=program)["rows"][0]["cells"])
    assert (cell_a["stage"], cell_b["stage"]) == (Stage.PRACTICE, Stage.REMEMBER)
    assert selectors.review_counts_by_person(just_seller, program) == {seller.pk: (1, 0)}
    assert selectors.review_counts_by_person(just_seller, second) == {}


def test_program_bs_pages_show_none_of_program_as_practice(
    client, org, program, scenarios, second, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    seller = org.people["seller"]
    reviewed_for(program, org, scenarios[0], django_capture_on_commit_callbacks)
    points_refresh()

    client.force_login(org.seller)
    with django_assert_max_num_queries(20):
        board = client.get(reverse("practice:leaderboard"), {"program": second.pk})
    assert board.status_code == 200
    assert all(e.kind != PointEntry.Kind.PRACTICE for e in board.context["mine"]["entries"])
    mine_in_a = client.get(reverse("practice:leaderboard"), {"program": program.pk}).context["mine"]
    assert board.context["mine"]["total"] < mine_in_a["total"]
    assert "Qualifying role play" not in board.content.decode()

    client.force_login(org.manager)
    with django_assert_max_num_queries(25):
        matrix = client.get(reverse("reinforcement:matrix"), {"program": second.pk})
    (row,) = [r for r in matrix.context["matrix"]["rows"] if r["person"] == seller]
    assert row["cells"][0]["stage"] == Stage.REMEMBER
    b_board = selectors.leaderboard(second, viewer=seller)
    assert b_board["me"]["points"] == sum(
        PointEntry.objects.filter(program=second, person=seller).values_list("points", flat=True)
    )


def test_the_seller_picks_the_program_and_sees_other_programs_attempts_labelled(
    client, org, program, scenarios, second, django_assert_max_num_queries
):
    seller = org.people["seller"]
    in_a = services.attempt_write(person=seller, scenario=scenarios[0], program=program, text=ANSWER)
    client.force_login(org.seller)
    url = reverse("practice:scenario", args=[scenarios[0].pk])
    with django_assert_max_num_queries(20):
        page = client.get(url, {"program": second.pk})
    body = page.content.decode()
    assert page.context["program"] == second and page.context["attempts"] == []
    assert [a.pk for a in page.context["other_attempts"]] == [in_a.pk]
    assert "Practising for" in body and f"from {program.name}" in body
    assert f'name="program" value="{second.pk}"' in body
    assert f"?program={second.pk}" in page.context["upload_config"]["start"]

    response = client.post(
        reverse("practice:attempt_write", args=[scenarios[0].pk]), {"program": second.pk, "text": ANSWER}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"?program={second.pk}")
    assert Attempt.objects.filter(person=seller, program=second).count() == 1
    default = client.get(url)  # the newest running program by default
    assert default.context["program"] == second

    # A program the seller does not train the skill in, or nonsense, reveals nothing.
    elsewhere = Program.objects.create(name="Elsewhere", owner=org.lead, status=Program.Status.LAUNCHED)
    for chosen in (elsewhere.pk, "x", "99999999999999999999"):
        assert client.get(url, {"program": chosen}).status_code == 404
        post = client.post(
            reverse("practice:attempt_write", args=[scenarios[0].pk]), {"program": chosen, "text": ANSWER}
        )
        assert post.status_code == 404
    started = client.post(
        reverse("practice:upload_start", args=[scenarios[0].pk]) + f"?program={elsewhere.pk}",
        data='{"content_type": "video/webm", "size": 3000}',
        content_type="application/json",
    )
    assert started.status_code == 404
    assert Attempt.objects.filter(program=elsewhere).count() == 0


def test_a_peer_assigned_in_program_a_reviews_only_the_sellers_practice_for_a(
    client, org, program, scenarios, second
):
    seller, peer = org.people["seller"], org.people["other_seller"]
    SkillStage.objects.filter(person=peer).update(stage=Stage.MASTER)
    ReviewerAssignment.objects.create(program=program, seller=seller, reviewer=peer)
    in_a = services.attempt_write(person=seller, scenario=scenarios[0], program=program, text=ANSWER)
    in_b = services.attempt_write(person=seller, scenario=scenarios[0], program=second, text=ANSWER)
    assert [a.pk for a in selectors.review_requests(peer)] == [in_a.pk]
    assert selectors.reviewers_with_requests() == {peer.pk}
    client.force_login(org.other_seller)
    assert client.get(reverse("practice:attempt", args=[in_a.pk])).status_code == 200
    assert client.get(reverse("practice:attempt", args=[in_b.pk])).status_code == 404
    # The manager reviews both, each labelled with its program.
    client.force_login(org.manager)
    body = client.get(reverse("practice:reviews")).content.decode()
    assert f"in {program.name}" in body and f"in {second.name}" in body
    assert f"For {second.name}" in client.get(reverse("practice:attempt", args=[in_b.pk])).content.decode()


def test_a_peer_scores_only_where_their_own_stage_on_the_skill_is_apply_or_master(
    client, org, program, scenarios, second
):
    """A peer at Apply in A but only at Learn in B, assigned to the seller in both: their
    readiness is read in the attempt's program, so they score A's practice and not B's."""
    seller, peer = org.people["seller"], org.people["other_seller"]
    skill = scenarios[0].skill
    SkillStage.objects.filter(person=peer, program_skill__program=program).update(stage=Stage.APPLY)
    SkillStage.objects.filter(person=peer, program_skill__program=second).update(stage=Stage.LEARN)
    for p in (program, second):
        ReviewerAssignment.objects.create(program=p, seller=seller, reviewer=peer)
    in_a = services.attempt_write(person=seller, scenario=scenarios[0], program=program, text=ANSWER)
    in_b = services.attempt_write(person=seller, scenario=scenarios[0], program=second, text=ANSWER)
    assert (stage_in(peer, program, skill), stage_in(peer, second, skill)) == (Stage.APPLY, Stage.LEARN)

    client.force_login(org.other_seller)
    scores = {"score_0": 4, "score_1": 3, "comment": "Good opening question.", "timed": ""}
    page_b = client.get(reverse("practice:attempt", args=[in_b.pk]))
    assert page_b.status_code == 200 and page_b.context["form"] is None  # may read, not score
    assert client.post(reverse("practice:attempt", args=[in_b.pk]), scores).status_code == 403
    assert not in_b.reviews.exists()
    assert client.get(reverse("practice:attempt", args=[in_a.pk])).context["form"] is not None
    assert client.post(reverse("practice:attempt", args=[in_a.pk]), scores).status_code == 302
    assert in_a.reviews.get().reviewer == peer

    # Reaching Apply in B later lets them score B's attempt too.
    SkillStage.objects.filter(person=peer, program_skill__program=second).update(stage=Stage.APPLY)
    assert client.post(reverse("practice:attempt", args=[in_b.pk]), scores).status_code == 302


def test_a_program_that_has_not_launched_takes_no_practice_and_shows_nobodys(
    client, org, program, scenarios, second, django_capture_on_commit_callbacks
):
    seller = org.people["seller"]
    Program.objects.filter(pk=second.pk).update(status=Program.Status.READY)
    second.refresh_from_db()
    with pytest.raises(ValidationError):
        services.attempt_write(person=seller, scenario=scenarios[0], program=second, text=ANSWER)
    client.force_login(org.seller)
    url = reverse("practice:scenario", args=[scenarios[0].pk])
    assert client.get(url, {"program": second.pk}).status_code == 404
    assert client.get(url).context["programs"] == [program]

    # Practice done while it ran, then the program taken back before launch: nothing shows.
    Program.objects.filter(pk=second.pk).update(status=Program.Status.LAUNCHED)
    reviewed_for(second, org, scenarios[0], django_capture_on_commit_callbacks)
    points_refresh()
    Program.objects.filter(pk=second.pk).update(status=Program.Status.READY)
    second.refresh_from_db()
    assert client.get(reverse("practice:leaderboard"), {"program": second.pk}).status_code == 404
    assert second not in client.get(reverse("practice:leaderboard")).context["programs"]
    assert selectors.review_counts_by_person(Person.objects.filter(pk=seller.pk), second) == {}
    matrix = team_matrix(people=Person.objects.filter(pk=seller.pk), program=second)
    assert all(c["stage"] == Stage.NOT_STARTED for r in matrix["rows"] for c in r["cells"])


def test_an_attempt_of_no_program_counts_nowhere(
    org, program, scenarios, enrolled, django_capture_on_commit_callbacks
):
    """Legacy attempts the migration could not place: still reviewable, but no stage or points."""
    seller, skill = org.people["seller"], scenarios[0].skill
    attempt = services.attempt_write(person=seller, scenario=scenarios[0], program=program, text=ANSWER)
    Attempt.objects.filter(pk=attempt.pk).update(program=None)
    attempt.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_submit(
            attempt=attempt, reviewer=org.people["manager"], by_manager=True, scores=[5, 5]
        )
    stages_recompute()
    points_refresh()
    assert stage_in(seller, program, skill) == Stage.REMEMBER
    assert not PointEntry.objects.filter(kind=PointEntry.Kind.PRACTICE).exists()
