"""A launched program with two skills, stage rows for the `org` sellers, and a scenario per skill.

The seller is at Remember on both skills (post-assessment passed, recall holding), so one
scored practice attempt moves them to Practice (`practice_min_sessions` is 1 here).
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from programs.models import Program, ProgramSkill, Skill
from reinforcement.models import Card, ReinforcementRules
from reinforcement.services.coaching import assessment_record
from reinforcement.services.stages import stages_ensure, stages_recompute
from tests.factories import QuestionFactory

WEBM_HEAD = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRACTICE_UPLOAD_TMP = tmp_path / "uploads"
    settings.PRACTICE_MAX_UPLOAD_BYTES = 5 * 2**20
    return tmp_path


@pytest.fixture
def program(org):
    program = Program.objects.create(
        name="Value selling 2027", owner=org.lead, status=Program.Status.LAUNCHED
    )
    ReinforcementRules.objects.create(program=program, require_attendance=False, practice_min_sessions=1)
    for name in ("Qualifying", "Negotiating"):
        ProgramSkill.objects.create(program=program, skill=Skill.objects.get_or_create(name=name)[0])
    return program


@pytest.fixture
def program_skills(program):
    return list(program.skills.select_related("skill").order_by("id"))


@pytest.fixture
def scenarios(program_skills):
    from reinforcement.practice.models import Scenario

    rubric = [
        {"criterion": "Opening", "levels": ["none", "weak", "fair", "good", "great"]},
        {"criterion": "Next step", "levels": ["none", "vague", "dated", "owned", "buyer-led"]},
    ]
    return [
        Scenario.objects.create(
            skill=ps.skill,
            title=f"{ps.skill.name} role play",
            situation="A buyer with a tight deadline.",
            buyer_role="Head of operations",
            objections="Too expensive\nNo time",
            what_good_looks_like="Finds the cost of the problem first.",
            rubric=rubric,
        )
        for ps in program_skills
    ]


def _remembering(person, program, program_skills):
    """Post-assessment passed and recall holding on every skill: the person is at Remember."""
    now = timezone.now()
    for ps in program_skills:
        assessment_record(person=person, program_skill=ps, kind="post", score=90, taken_on=date.today())
        question = QuestionFactory(skill=ps.skill)
        Card.objects.update_or_create(
            person=person,
            question=question,
            defaults={
                "program": program,
                "state": Card.State.REVIEW,
                "stability": 12.0,
                "difficulty": 5.0,
                "due_at": now + timedelta(days=12),
                "last_review_at": now - timedelta(days=1),
                "reviews": 2,
                "last_rating": 3,
            },
        )


@pytest.fixture
def enrolled(org, program, program_skills, scenarios):
    people = [org.people[k] for k in ("seller", "seller_b", "other_seller")]
    stages_ensure(program=program, person_ids=[p.pk for p in people])
    _remembering(org.people["seller"], program, program_skills)
    stages_recompute(program_ids=[program.pk])
    return people


def webm_bytes(size=3000):
    return WEBM_HEAD + bytes((i * 7) % 251 for i in range(size - len(WEBM_HEAD)))
