"""A seller training one skill in two programs picks the program they practise for; their
attempt for the other program is labelled as such and does not count here."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Program, ProgramSkill, Skill
from reinforcement.models import Card, ReinforcementRules
from reinforcement.practice import services
from reinforcement.practice.models import Attempt, Review, Scenario
from reinforcement.services.coaching import assessment_record
from reinforcement.services.stages import stages_ensure, stages_recompute
from tests.browser.axe import serious_violations
from tests.factories import PASSWORD, QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
RUBRIC = [{"criterion": "Opening", "levels": ["none", "weak", "fair", "good", "great"]}]


@pytest.fixture
def two_programs(org):
    skill = Skill.objects.get_or_create(name="Qualifying")[0]
    seller = org.people["seller"]
    programs = []
    for name in ("Value selling 2027", "Negotiation refresh"):
        program = Program.objects.create(name=name, owner=org.lead, status=Program.Status.LAUNCHED)
        ReinforcementRules.objects.create(program=program, require_attendance=False, practice_min_sessions=1)
        ps = ProgramSkill.objects.create(program=program, skill=skill)
        stages_ensure(program=program, person_ids=[seller.pk])
        assessment_record(person=seller, program_skill=ps, kind="post", score=90, taken_on=date.today())
        Card.objects.create(
            person=seller,
            question=QuestionFactory(skill=skill),
            program=program,
            state=Card.State.REVIEW,
            stability=12.0,
            due_at=timezone.now() + timedelta(days=12),
            last_review_at=timezone.now() - timedelta(days=1),
            reviews=2,
            last_rating=3,
        )
        programs.append(program)
    stages_recompute()
    scenario = Scenario.objects.create(
        skill=skill,
        title="The buyer with a deadline",
        situation="A buyer has ten minutes and a deadline on Friday.",
        buyer_role="Head of operations",
        what_good_looks_like="Finds the cost of the problem first.",
        rubric=RUBRIC,
    )
    attempt = services.attempt_write(
        person=seller,
        scenario=scenario,
        program=programs[0],
        text="I would ask what missing Friday costs them, and who else has to agree.",
    )
    Review.objects.create(
        attempt=attempt,
        reviewer=org.people["manager"],
        scores=[4],
        score=Decimal("4"),
        created_at=timezone.now(),
    )
    Attempt.objects.filter(pk=attempt.pk).update(status=Attempt.Status.REVIEWED)
    return programs, scenario


def test_a_seller_practises_for_the_program_they_pick_and_sees_the_other_programs_attempt_labelled(
    two_programs, org, live_server, page
):
    (first, second), scenario = two_programs
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("seller")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/practice/scenarios/{scenario.pk}/?program={second.pk}")
    expect(page.get_by_label("Practising for")).to_have_value(str(second.pk))
    expect(page.locator("#attempts-h")).to_contain_text(f"for {second.name}")
    expect(page.get_by_text(f"from {first.name}")).to_be_visible()
    page.screenshot(path="var/screenshots/practice-two-programs.png", full_page=True)
    assert serious_violations(page) == []

    page.get_by_role("textbox", name="Your answer").fill(
        "I would ask what a late decision costs them each week."
    )
    page.get_by_role("button", name="Send written answer").click()
    expect(page.get_by_role("alert")).to_contain_text(f"sent for review in {second.name}")
    assert Attempt.objects.filter(program=second).count() == 1
    page.get_by_label("Practising for").select_option(str(first.pk))
    page.get_by_role("button", name="Switch").click()
    expect(page.locator("#attempts-h")).to_contain_text(f"for {first.name}")
    expect(page.get_by_text(f"from {second.name}")).to_be_visible()
