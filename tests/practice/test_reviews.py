"""Reviews: who may score, rubric scores and timed comments, the stage and points that follow,
and where review requests show up (home, digest, overdue figures)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reinforcement.models import SkillStage, Stage
from reinforcement.practice import selectors, services
from reinforcement.practice.models import Attempt, PointEntry, Review, ReviewerAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(org, enrolled, scenarios):
    return services.attempt_write(
        person=org.people["seller"],
        scenario=scenarios[0],
        text="I would ask what the delay costs them each week.",
    )


def review_post(client, attempt, scores=(4, 3), comment="Good opening question.", timed=""):
    data = {f"score_{i}": s for i, s in enumerate(scores)}
    data.update(comment=comment, timed=timed)
    return client.post(reverse("practice:attempt", args=[attempt.pk]), data)


def stage_of(person, skill):
    return SkillStage.objects.get(person=person, program_skill__skill=skill).stage


def test_the_manager_scores_an_attempt_and_the_seller_moves_to_practice_and_earns_points(
    client, org, attempt, django_capture_on_commit_callbacks
):
    seller, skill = org.people["seller"], attempt.scenario.skill
    assert stage_of(seller, skill) == Stage.REMEMBER
    client.force_login(org.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = review_post(client, attempt)
    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.scores, str(review.score), review.by_manager) == ([4, 3], "3.50", True)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.REVIEWED
    assert stage_of(seller, skill) == Stage.PRACTICE
    keys = set(PointEntry.objects.filter(person=seller).values_list("source_key", flat=True))
    assert f"practice:{attempt.pk}" in keys
    assert any(k.endswith(":practice") for k in keys)
    client.force_login(org.seller)
    page = client.get(reverse("practice:attempt", args=[attempt.pk])).content.decode()
    assert "3.50/5" in page and "Good opening question." in page


def test_a_recording_review_keeps_comments_at_a_time(client, org, attempt):
    Attempt.objects.filter(pk=attempt.pk).update(kind=Attempt.Kind.VIDEO, content_type="video/webm")
    client.force_login(org.manager)
    assert review_post(client, attempt, timed="0:03 Nice pause\n1:15 Ask for the date").status_code == 302
    assert [(c.at_seconds, c.text) for c in Review.objects.get().timed_comments.all()] == [
        (3, "Nice pause"),
        (75, "Ask for the date"),
    ]


def test_a_malformed_time_is_named_and_nothing_is_saved(client, org, attempt):
    Attempt.objects.filter(pk=attempt.pk).update(kind=Attempt.Kind.AUDIO, content_type="audio/webm")
    client.force_login(org.manager)
    response = review_post(client, attempt, timed="soon Nice pause")
    assert response.status_code == 400
    assert "Line 1: start with a time as m:ss" in response.content.decode()
    assert not Review.objects.exists()


def test_a_missing_criterion_score_is_refused(client, org, attempt):
    client.force_login(org.manager)
    response = client.post(reverse("practice:attempt", args=[attempt.pk]), {"score_0": 4})
    assert response.status_code == 400 and not Review.objects.exists()


@pytest.mark.parametrize("who, status", [("other_manager", 404), ("other_seller", 404), ("seller", 403)])
def test_others_cannot_see_or_score_an_attempt(client, org, attempt, who, status):
    client.force_login(getattr(org, who))
    assert client.get(reverse("practice:attempt", args=[attempt.pk])).status_code == (
        200 if who == "seller" else 404
    )
    assert review_post(client, attempt).status_code == status
    assert not Review.objects.exists()


def test_an_assigned_peer_at_apply_reviews_but_does_not_certify(client, org, program, attempt):
    peer = org.people["other_seller"]
    SkillStage.objects.filter(person=peer).update(stage=Stage.APPLY)
    services.reviewer_assign(
        program=program, seller=org.people["seller"], reviewer=peer, assigned_by=org.lead
    )
    client.force_login(org.other_seller)
    assert [a.pk for a in selectors.review_requests(peer)] == [attempt.pk]
    assert review_post(client, attempt).status_code == 302
    assert Review.objects.get().by_manager is False


def test_an_assigned_peer_below_apply_on_the_skill_cannot_score(client, org, program, attempt):
    peer = org.people["other_seller"]
    SkillStage.objects.filter(person=peer).update(stage=Stage.APPLY)
    ReviewerAssignment.objects.create(program=program, seller=org.people["seller"], reviewer=peer)
    SkillStage.objects.filter(person=peer).update(stage=Stage.PRACTICE)
    client.force_login(org.other_seller)
    assert client.get(reverse("practice:attempt", args=[attempt.pk])).status_code == 200  # may read
    assert review_post(client, attempt).status_code == 403


def test_the_lead_can_only_assign_peers_at_apply_or_master(client, org, program, enrolled):
    client.force_login(org.lead)
    url = reverse("practice:program_settings", args=[program.pk])
    data = {"action": "assign", "seller": org.people["seller"].pk, "reviewer": org.people["other_seller"].pk}
    assert client.post(url, data).status_code == 400
    SkillStage.objects.filter(person=org.people["other_seller"]).update(stage=Stage.MASTER)
    assert client.post(url, data).status_code == 302
    assert ReviewerAssignment.objects.filter(reviewer=org.people["other_seller"]).exists()
    client.force_login(org.manager)
    assert client.get(url).status_code == 403


def test_review_requests_show_on_the_manager_home_and_in_the_weekly_digest(client, org, attempt):
    from reinforcement.selectors import digest_for_manager

    client.force_login(org.manager)
    home = client.get(reverse("home")).content.decode()
    assert "1</span> attempt waiting for your review" in home
    assert [a.pk for a in digest_for_manager(org.people["manager"])["practice_reviews"]] == [attempt.pk]


def test_an_attempt_waiting_too_long_counts_as_overdue_for_the_manager_and_up_the_line(client, org, attempt):
    from reinforcement.selectors import overdue_counts

    assert overdue_counts(org.people["manager"])["practice_reviews"] == 0
    Attempt.objects.filter(pk=attempt.pk).update(submitted_at=timezone.now() - timedelta(days=4))
    assert overdue_counts(org.people["manager"])["practice_reviews"] == 1
    assert overdue_counts(org.people["other_manager"])["practice_reviews"] == 0
    client.force_login(org.executive)
    page = client.get(reverse("reinforcement:overdue")).content.decode()
    assert "Practice waiting for review" in page and attempt.scenario.title in page


def test_a_seller_reruns_and_sees_attempts_side_by_side(client, org, attempt, scenarios):
    client.force_login(org.seller)
    response = client.post(
        reverse("practice:attempt_write", args=[scenarios[0].pk]),
        {"text": "Second go: I open with the cost."},
    )
    assert response.status_code == 302
    assert list(Attempt.objects.filter(person=org.people["seller"]).values_list("number", flat=True)) == [
        2,
        1,
    ]
    page = client.get(reverse("practice:scenario", args=[scenarios[0].pk])).content.decode()
    assert "Attempt 1" in page and "Attempt 2" in page
    short = client.post(reverse("practice:attempt_write", args=[scenarios[0].pk]), {"text": "Too short"})
    assert short.status_code == 400 and "at least a few sentences" in short.content.decode()


def test_the_scenario_and_review_pages_keep_a_fixed_query_count(
    client, org, attempt, scenarios, django_assert_max_num_queries
):
    def counts():
        client.force_login(org.seller)
        with django_assert_max_num_queries(30) as scenario_page:
            client.get(reverse("practice:scenario", args=[scenarios[0].pk]))
        client.force_login(org.manager)
        with django_assert_max_num_queries(30) as reviews_page:
            client.get(reverse("practice:reviews"))
        return len(scenario_page.captured_queries), len(reviews_page.captured_queries)

    services.review_submit(attempt=attempt, reviewer=org.people["manager"], by_manager=True, scores=[3, 3])
    before = counts()
    for n in range(6):
        extra = services.attempt_write(
            person=org.people["seller"], scenario=scenarios[0], text=f"Rerun {n}: ask the cost."
        )
        services.review_submit(attempt=extra, reviewer=org.people["manager"], by_manager=True, scores=[3, 4])
        services.attempt_write(
            person=org.people["seller_b"],
            scenario=scenarios[0],
            text=f"Seller B answer number {n}, in writing.",
        )
    assert counts() == before
