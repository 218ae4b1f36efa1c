"""A program with two skills and a question bank, stage rows for the `org` sellers, and a
program whose cards have months of answers (`answered`)."""

import random
from datetime import UTC, date, datetime, timedelta

import fsrs
import pytest

from programs.models import Program, ProgramSkill, Skill
from reinforcement.models import Card, ReviewLog
from reinforcement.services.stages import stages_ensure
from reinforcement.spacing import Spacing
from tests.factories import PersonFactory, QuestionFactory


@pytest.fixture
def program(org):
    program = Program.objects.create(
        name="Value selling 2027", owner=org.lead, status=Program.Status.LAUNCHED
    )
    for name in ("Qualifying", "Negotiating"):
        skill, _ = Skill.objects.get_or_create(name=name)
        ProgramSkill.objects.create(program=program, skill=skill)
    return program


@pytest.fixture
def skills(program):
    return [ps.skill for ps in program.skills.select_related("skill").order_by("id")]


@pytest.fixture
def program_skills(program):
    return list(program.skills.select_related("skill").order_by("id"))


@pytest.fixture
def bank(skills):
    """Three questions per skill (right answer always the first option)."""
    return {skill.pk: [QuestionFactory(skill=skill) for _ in range(3)] for skill in skills}


@pytest.fixture
def enrolled(org, program, bank):
    """Every seller of `org` has stage rows in the program."""
    people = [org.people[k] for k in ("seller", "seller_b", "other_seller")]
    stages_ensure(program=program, person_ids=[p.pk for p in people])
    return people


@pytest.fixture
def learned(org, program, program_skills, enrolled):
    """The org's seller passed the post-assessment on both skills (attendance not required)."""
    from reinforcement.models import ReinforcementRules
    from reinforcement.services.coaching import assessment_record

    ReinforcementRules.objects.create(program=program, require_attendance=False)
    program.refresh_from_db()
    for ps in program_skills:
        assessment_record(
            person=org.people["seller"], program_skill=ps, kind="post", score=85, taken_on=date(2026, 11, 1)
        )
    return org.people["seller"]


TRAINED = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _truth():
    """Sellers who forget more slowly than the default weights assume."""
    weights = list(fsrs.scheduler.DEFAULT_PARAMETERS)
    weights[0:4] = [1.0, 4.0, 9.0, 20.0]
    weights[8] = 2.2
    return Spacing(weights=weights, fuzz=False)


@pytest.fixture
def answered(org, program, bank):
    """180 cards of the program, each answered on the default schedule for 240 days."""
    rng, truth, policy = random.Random(7), _truth(), Spacing(fuzz=False)
    questions = [q for qs in bank.values() for q in qs]
    people = [PersonFactory(manager=org.people["manager"]) for _ in range(30)]
    cards = Card.objects.bulk_create(
        Card(person=p, question=q, program=program, due_at=TRAINED) for p in people for q in questions
    )
    logs = []
    for card in cards:
        true_memory, memory, at, n = (
            truth.start(TRAINED),
            policy.start(TRAINED),
            TRAINED + timedelta(days=1),
            0,
        )
        while at is not None and at < TRAINED + timedelta(days=240):
            recall = truth.recall(true_memory, at)
            correct = rng.random() < (recall if recall is not None else 0.8)
            n += 1
            logs.append(
                ReviewLog(
                    card=card,
                    chosen_index=0 if correct else 1,
                    is_correct=correct,
                    rating=3 if correct else 1,
                    predicted_recall=policy.recall(memory, at),
                    stability_after=1.0,
                    due_after=at,
                    reviewed_at=at,
                    sequence=n,
                )
            )
            true_memory = truth.review(true_memory, correct=correct, at=at)
            memory = policy.review(memory, correct=correct, at=at)
            at = policy.next_due(memory)
    ReviewLog.objects.bulk_create(logs)
    return program


@pytest.fixture
def run_jobs(eager_celery, django_capture_on_commit_callbacks):
    """A context manager: background tasks queued inside it (on commit) run when it ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
