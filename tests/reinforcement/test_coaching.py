"""Managers log coaching for their own reps; ratings move stages; overdue shows up the line."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from reinforcement.models import CoachingRating, CoachingSession, SkillStage, Stage, StageEvent
from reinforcement.services.coaching import coaching_session_log
from reinforcement.services.stages import stages_recompute

pytestmark = pytest.mark.django_db


@pytest.fixture
def remembering(learned, program_skills):
    """The seller's first skill is at Remember (evidence set directly on the card columns)."""
    from reinforcement.models import Card

    Card.objects.filter(person=learned, question__skill=program_skills[0].skill).update(
        last_review_at=timezone.now() - timedelta(days=1),
        stability=20.0,
        state=Card.State.REVIEW,
        last_rating=3,
    )
    stages_recompute(person_ids=[learned.pk])
    assert SkillStage.objects.get(person=learned, program_skill=program_skills[0]).stage == Stage.REMEMBER
    return learned


def form_data(seller, skill, rating=4, **extra):
    return {
        "kind": CoachingSession.Kind.ROLE_PLAY,
        "occurred_on": date.today().isoformat(),
        "sellers": [seller.pk],
        f"rating_{skill.pk}": str(rating),
        "notes": "Worked on the opening questions.",
        "next_step": "",
        "next_step_due": "",
        **extra,
    }


def test_a_manager_logs_role_plays_and_the_seller_moves_to_practice(
    client, org, program, skills, remembering
):
    client.force_login(org.manager)
    url = reverse("reinforcement:coaching_new") + f"?program={program.pk}"
    for _ in range(2):
        response = client.post(url, form_data(remembering, skills[0]))
        assert response.status_code == 302
    assert CoachingRating.objects.filter(seller=remembering, skill=skills[0], rating=4).count() == 2
    stage = SkillStage.objects.get(person=remembering, program_skill__skill=skills[0])
    assert stage.stage == Stage.PRACTICE
    event = StageEvent.objects.filter(skill_stage=stage).first()
    assert event.actor == org.manager
    assert event.reason.startswith("Role play logged by")


def test_a_manager_cannot_log_coaching_for_another_teams_seller(client, org, program, skills, enrolled):
    client.force_login(org.manager)
    url = reverse("reinforcement:coaching_new") + f"?program={program.pk}"
    response = client.post(url, form_data(org.people["other_seller"], skills[0]))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not CoachingSession.objects.exists()
    with pytest.raises(PermissionDenied):
        coaching_session_log(
            manager=org.people["manager"],
            kind="one_on_one",
            occurred_on=date.today(),
            sellers=[org.people["other_seller"]],
            ratings={skills[0]: (3, False)},
        )
    assert not CoachingSession.objects.exists()


def test_sellers_and_leads_cannot_log_coaching(client, org, program):
    for user in (org.seller, org.lead, org.executive):
        client.force_login(user)
        assert client.get(reverse("reinforcement:coaching_new")).status_code == 403


def test_a_session_without_any_rating_is_refused_with_a_message(client, org, program, skills, enrolled):
    client.force_login(org.manager)
    data = form_data(org.people["seller"], skills[0])
    del data[f"rating_{skills[0].pk}"]
    response = client.post(reverse("reinforcement:coaching_new") + f"?program={program.pk}", data)
    assert "Rate at least one skill" in response.content.decode()
    assert not CoachingSession.objects.exists()


def test_a_future_date_and_a_due_date_without_a_step_are_refused(client, org, program, skills, enrolled):
    client.force_login(org.manager)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    data = form_data(org.people["seller"], skills[0], occurred_on=tomorrow, next_step_due=tomorrow)
    body = client.post(
        reverse("reinforcement:coaching_new") + f"?program={program.pk}", data
    ).content.decode()
    assert "once it has happened" in body
    assert "Say what the next step is" in body
    assert not CoachingSession.objects.exists()


def test_overdue_coaching_and_next_steps_show_for_the_manager_and_up_the_line(
    client, org, program, skills, enrolled
):
    long_ago = date.today() - timedelta(days=30)
    coaching_session_log(
        manager=org.people["manager"],
        kind="one_on_one",
        occurred_on=long_ago,
        sellers=[org.people["seller"]],
        ratings={skills[0]: (3, False)},
        next_step="Book a call review",
        next_step_due=long_ago + timedelta(days=7),
    )
    for user in (org.manager, org.executive):
        client.force_login(user)
        body = client.get(reverse("reinforcement:overdue")).content.decode()
        assert escape(org.people["seller"].full_name) in body
        assert "Book a call review" in body
    client.force_login(org.other_manager)
    body = client.get(reverse("reinforcement:overdue")).content.decode()
    assert escape(org.people["seller"].full_name) not in body
    assert escape(org.people["other_seller"].full_name) in body


def test_a_seller_sees_their_own_coaching_session_but_not_others(client, org, skills, enrolled):
    session = coaching_session_log(
        manager=org.people["manager"],
        kind="call_review",
        occurred_on=date.today(),
        sellers=[org.people["seller"]],
        ratings={skills[0]: (4, False)},
    )
    client.force_login(org.seller)
    assert client.get(reverse("reinforcement:coaching_detail", args=[session.pk])).status_code == 200
    client.force_login(org.other_seller)
    assert client.get(reverse("reinforcement:coaching_detail", args=[session.pk])).status_code == 404
    client.force_login(org.other_manager)
    assert client.get(reverse("reinforcement:coaching_detail", args=[session.pk])).status_code == 404


def test_overdue_follows_the_cadence_of_the_programs_reinforcement_plan(
    client, org, program, skills, learned
):
    from programs.models import ReinforcementPlan

    plan = ReinforcementPlan.objects.create(program=program, coaching_cadence="monthly")
    coaching_session_log(
        manager=org.people["manager"],
        kind="one_on_one",
        occurred_on=date.today() - timedelta(days=20),
        sellers=[org.people["seller"]],
        ratings={skills[0]: (3, False)},
    )
    client.force_login(org.manager)
    url = reverse("reinforcement:overdue")
    page = client.get(url).content.decode()
    assert "last coached" not in page and "due every 30 days" in page  # 20 days ago, monthly
    plan.coaching_sessions_per_rep = 2  # twice a month: every 15 days
    plan.save()
    page = client.get(url).content.decode()
    assert "last coached" in page and "due every 15 days" in page
