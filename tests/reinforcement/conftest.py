"""A program with two skills and a question bank, and stage rows for the `org` sellers."""

from datetime import date

import pytest

from programs.models import Program, ProgramSkill, Skill
from reinforcement.services.stages import stages_ensure
from tests.factories import QuestionFactory


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
