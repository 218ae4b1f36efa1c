"""The lead authors the question bank; new questions reach sellers already in Learn."""

import pytest
from django.urls import reverse

from reinforcement.models import Card, Nudge, Question

pytestmark = pytest.mark.django_db


def question_data(skill, **extra):
    return {
        "skill": skill.pk,
        "prompt": "What makes an opportunity worth pursuing?",
        "choice_1": "A confirmed pain, budget and decision process",
        "choice_2": "A friendly contact",
        "choice_3": "",
        "choice_4": "",
        "correct": "1",
        "explanation": "Without pain, budget and a process the deal stalls.",
        "is_active": "on",
        **extra,
    }


def test_a_lead_adds_a_question_and_learners_get_a_card(client, org, skills, learned):
    client.force_login(org.lead)
    response = client.post(reverse("reinforcement:question_new"), question_data(skills[0]))
    assert response.status_code == 302
    question = Question.objects.get(prompt__startswith="What makes")
    assert question.choices == ["A confirmed pain, budget and decision process", "A friendly contact"]
    assert question.correct_index == 0
    assert Card.objects.filter(question=question, person=learned).exists()


def test_the_right_answer_must_be_a_filled_option(client, org, skills):
    client.force_login(org.lead)
    response = client.post(reverse("reinforcement:question_new"), question_data(skills[0], correct="3"))
    assert "must be one of the options you filled in" in response.content.decode()
    assert not Question.objects.exists()


def test_deactivating_a_question_cancels_its_pending_nudges(client, org, learned):
    card = Card.objects.filter(person=learned).first()
    nudge = Nudge.objects.create(
        person=learned, card=card, due_at=card.due_at, created_at=card.due_at, idempotency_key="k"
    )
    question = card.question
    client.force_login(org.lead)
    data = {
        "skill": question.skill_id,
        "prompt": question.prompt,
        "choice_1": question.choices[0],
        "choice_2": question.choices[1],
        "choice_3": question.choices[2],
        "choice_4": "",
        "correct": "1",
        "explanation": question.explanation,
    }
    assert client.post(reverse("reinforcement:question_edit", args=[question.pk]), data).status_code == 302
    nudge.refresh_from_db()
    assert nudge.status == Nudge.Status.CANCELLED


def test_only_the_lead_edits_the_bank_and_managers_cannot_read_it(client, org, skills):
    client.force_login(org.executive)
    assert client.get(reverse("reinforcement:questions")).status_code == 200
    assert client.post(reverse("reinforcement:question_new"), question_data(skills[0])).status_code == 403
    for user in (org.manager, org.seller):
        client.force_login(user)
        assert client.get(reverse("reinforcement:questions")).status_code == 403
    assert not Question.objects.exists()
