"""Evidence belongs to a program: a second program on the same skill starts from nothing."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Person
from programs.models import Program, ProgramSkill
from reinforcement.models import Card, SkillStage, Stage
from reinforcement.selectors import team_matrix
from reinforcement.services.coaching import action_plan_create, coaching_session_log
from reinforcement.services.stages import stages_ensure, stages_recompute

pytestmark = pytest.mark.django_db


@pytest.fixture
def strong_in_first_program(org, program, skills, learned):
    """The seller recalls well, was coached and has an observed plan in the first program."""
    Card.objects.filter(person=learned, program=program).update(
        last_review_at=timezone.now(), stability=30.0, state=Card.State.REVIEW, last_rating=3, reviews=2
    )
    coaching_session_log(
        manager=org.people["manager"],
        program=program,
        kind="role_play",
        occurred_on=date.today() - timedelta(days=2),
        sellers=[learned],
        ratings={skills[0]: (4, False)},
    )
    action_plan_create(person=learned, skill=skills[0], customer="Acme", commitment="x", due_on=date.today())
    stages_recompute(person_ids=[learned.pk])
    assert SkillStage.objects.get(
        person=learned, program_skill__skill=skills[0], program_skill__program=program
    )
    return learned


def _second_program(org, skills, status):
    second = Program.objects.create(name="Negotiation refresh", owner=org.lead, status=status)
    ProgramSkill.objects.create(program=second, skill=skills[0])
    return second


def test_a_program_that_has_not_launched_shows_nobodys_progress(client, org, skills, strong_in_first_program):
    second = _second_program(org, skills, Program.Status.READY)
    stages_ensure(program=second, person_ids=[strong_in_first_program.pk])
    client.force_login(org.manager)
    response = client.get(reverse("reinforcement:matrix"), {"program": second.pk})
    body = response.content.decode()
    assert "has not launched yet" in body
    assert "recall 9" not in body and "coached" not in body
    matrix = team_matrix(people=Person.objects.all(), program=second)
    cells = [c for row in matrix["rows"] for c in row["cells"]]
    assert cells and all(c["recall"] is None and c["last_coached"] is None for c in cells)
    assert all(c["stage"] == Stage.NOT_STARTED for c in cells)
    assert not any(row["coaching_overdue"] or row["last_coaching"] for row in matrix["rows"])


def test_a_launched_program_on_the_same_skill_uses_only_its_own_evidence(
    org, program, skills, strong_in_first_program
):
    seller = strong_in_first_program
    second = _second_program(org, skills, Program.Status.LAUNCHED)
    stages_ensure(program=second, person_ids=[seller.pk])
    stages_recompute(program_ids=[second.pk])
    stage = SkillStage.objects.get(person=seller, program_skill__program=second)
    assert stage.stage == Stage.NOT_STARTED
    just_them = Person.objects.filter(pk=seller.pk)
    matrix = team_matrix(people=just_them, program=second)
    (cell,) = matrix["rows"][0]["cells"]
    assert (cell["recall"], cell["last_coached"], matrix["rows"][0]["last_coaching"]) == (None, None, None)
    first = team_matrix(people=just_them, program=program)["rows"][0]["cells"][0]
    assert first["recall"] > 0.5 and first["last_coached"] is not None


def test_seller_pages_leave_out_programs_that_have_not_launched(client, org, skills, strong_in_first_program):
    second = _second_program(org, skills, Program.Status.DRAFT)
    stages_ensure(program=second, person_ids=[strong_in_first_program.pk])
    client.force_login(org.seller)
    for page in ("reinforcement:my_progress", "home"):
        assert "Negotiation refresh" not in client.get(reverse(page)).content.decode(), page


def test_a_program_taken_back_before_launch_asks_no_questions(client, org, program, learned):
    from reinforcement.selectors import seller_questions
    from reinforcement.services import nudges as outbox

    assert seller_questions(learned)["count"] == 6
    Program.objects.filter(pk=program.pk).update(status=Program.Status.READY)
    assert seller_questions(learned)["count"] == 0
    assert outbox.nudges_plan() == 0
    client.force_login(org.seller)
    card = Card.objects.filter(person=learned).first()
    body = client.post(reverse("reinforcement:answer", args=[card.pk]), {"choice": "0"}).content.decode()
    assert "This question has been withdrawn" in body


def test_the_overdue_page_names_the_program_of_a_fall_back_and_leaves_out_programs_not_launched(
    client, org, program, skills, learned
):
    from reinforcement.models import StageEvent

    second = _second_program(org, skills, Program.Status.READY)
    stages_ensure(program=second, person_ids=[learned.pk])
    for p in (program, second):
        StageEvent.objects.create(
            skill_stage=SkillStage.objects.get(
                person=learned, program_skill__program=p, program_skill__skill=skills[0]
            ),
            from_stage=Stage.REMEMBER,
            to_stage=Stage.LEARN,
            reason=f"Recall lapsed in {p.name}",
            created_at=timezone.now(),
        )
    client.force_login(org.manager)
    body = client.get(reverse("reinforcement:overdue")).content.decode()
    assert f"{skills[0].name} in {program.name}: Remember → Learn" in body
    assert "Recall lapsed in Negotiation refresh" not in body
