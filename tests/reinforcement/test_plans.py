"""Sellers record action plans; their manager confirms the application, and Apply follows."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reinforcement.models import ActionPlan, Card, CoachingRating, CoachingSession, SkillStage, Stage
from reinforcement.services.coaching import action_plan_create
from reinforcement.services.stages import stages_recompute

pytestmark = pytest.mark.django_db


@pytest.fixture
def practising(org, program, learned, skills):
    """The seller is at Practice on the first skill."""
    Card.objects.filter(person=learned, question__skill=skills[0]).update(
        last_review_at=timezone.now(), stability=20.0, state=Card.State.REVIEW, last_rating=3
    )
    session = CoachingSession.objects.create(
        manager=org.people["manager"], program=program, kind="role_play", occurred_on=date.today()
    )
    CoachingRating.objects.create(session=session, seller=learned, skill=skills[0], rating=3)
    CoachingRating.objects.create(
        session=CoachingSession.objects.create(
            manager=org.people["manager"], program=program, kind="one_on_one", occurred_on=date.today()
        ),
        seller=learned,
        skill=skills[0],
        rating=4,
    )
    stages_recompute(person_ids=[learned.pk])
    assert SkillStage.objects.get(person=learned, program_skill__skill=skills[0]).stage == Stage.PRACTICE
    return learned


def test_a_seller_records_a_plan_and_the_manager_confirms_it_into_apply(client, org, skills, practising):
    client.force_login(org.seller)
    due = (date.today() + timedelta(days=10)).isoformat()
    response = client.post(
        reverse("reinforcement:plan_new"),
        {
            "skill": skills[0].pk,
            "customer": "Acme renewal",
            "commitment": "Qualify budget early",
            "due_on": due,
        },
    )
    assert response.status_code == 302
    plan = ActionPlan.objects.get(person=practising)
    client.force_login(org.manager)
    response = client.post(
        reverse("reinforcement:plan_observe", args=[plan.pk]), {"observation": "Heard it on the call"}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.OBSERVED and plan.observed_by == org.people["manager"]
    assert SkillStage.objects.get(person=practising, program_skill__skill=skills[0]).stage == Stage.APPLY


def test_a_plan_in_the_past_is_refused(client, org, skills, learned):
    client.force_login(org.seller)
    response = client.post(
        reverse("reinforcement:plan_new"),
        {"skill": skills[0].pk, "customer": "Acme", "commitment": "x", "due_on": "2020-01-01"},
    )
    assert "Pick a date from today on." in response.content.decode()
    assert not ActionPlan.objects.exists()


def test_another_teams_manager_cannot_confirm_a_plan(client, org, skills, learned):
    plan = action_plan_create(
        person=learned, skill=skills[0], customer="Acme", commitment="x", due_on=date.today()
    )
    client.force_login(org.other_manager)
    assert (
        client.post(reverse("reinforcement:plan_observe", args=[plan.pk]), {"observation": "y"}).status_code
        == 404
    )
    client.force_login(org.seller)
    assert (
        client.post(reverse("reinforcement:plan_observe", args=[plan.pk]), {"observation": "y"}).status_code
        == 403
    )
    plan.refresh_from_db()
    assert plan.observed_at is None


def test_the_plan_list_is_scoped_to_what_the_user_may_see(client, org, skills, learned):
    action_plan_create(
        person=learned, skill=skills[0], customer="Acme", commitment="Own plan", due_on=date.today()
    )
    client.force_login(org.other_seller)
    assert "Own plan" not in client.get(reverse("reinforcement:plans")).content.decode()
    client.force_login(org.manager)
    assert "Own plan" in client.get(reverse("reinforcement:plans")).content.decode()
