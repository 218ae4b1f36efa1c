"""Reinforcement journeys: a seller answers a nudge on a phone; a manager coaches from the matrix."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Program, ProgramSkill, Skill
from reinforcement.models import Card, CoachingRating, CoachingSession, ReinforcementRules, SkillStage, Stage
from reinforcement.services import nudges as outbox
from reinforcement.services.coaching import assessment_record
from reinforcement.services.stages import stages_ensure, stages_recompute
from tests.browser.axe import serious_violations
from tests.factories import PASSWORD, QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reinforced(org, settings):
    """A launched program whose seller passed the post-assessment on two skills."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    program = Program.objects.create(name="Value selling", owner=org.lead, status=Program.Status.LAUNCHED)
    ReinforcementRules.objects.create(program=program, require_attendance=False)
    program_skills = []
    for name in ("Qualifying", "Negotiating"):
        skill = Skill.objects.get_or_create(name=name)[0]
        program_skills.append(ProgramSkill.objects.create(program=program, skill=skill))
        QuestionFactory(
            skill=skill,
            prompt=f"{name}: what do you confirm before proposing?",
            choices=["The buyer's problem and its cost", "The discount you can offer", "The contract length"],
            explanation="A proposal lands when it answers a problem the buyer has already put into words.",
        )
    seller = org.people["seller"]
    stages_ensure(program=program, person_ids=[seller.pk, org.people["seller_b"].pk])
    for ps in program_skills:
        assessment_record(person=seller, program_skill=ps, kind="post", score=88, taken_on=date.today())
    return program, program_skills


def test_a_seller_answers_a_nudge_from_the_email_link_on_a_phone(
    reinforced, org, live_server, page, settings
):
    settings.SITE_URL = live_server.url
    card = Card.objects.filter(person=org.people["seller"]).order_by("id").first()
    from reinforcement.models import Nudge

    Nudge.objects.create(
        person=card.person,
        card=card,
        due_at=timezone.now(),
        created_at=timezone.now(),
        idempotency_key="q:journey",
    )
    token, ids = outbox.nudges_claim()
    outbox.nudges_deliver(nudge_ids=ids, lease_token=token)
    link = re.search(r"(http://\S+/reinforcement/a/\S+/)", mail.outbox[0].body).group(1)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("what do you confirm before proposing?")
    page.get_by_label("The buyer's problem and its cost").check()
    page.get_by_text("I knew it").click()
    page.screenshot(path="var/screenshots/reinforcement-answer-phone.png", full_page=True)
    assert serious_violations(page) == []
    page.get_by_role("button", name="Answer").click()
    expect(page.locator("#answer-result")).to_contain_text("Right.")
    expect(page.locator("#explanation")).to_contain_text(
        "answers a problem the buyer has already put into words"
    )
    page.screenshot(path="var/screenshots/reinforcement-answered-phone.png", full_page=True)
    assert serious_violations(page) == []
    # No horizontal scrolling on the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    card.refresh_from_db()
    assert card.reviews == 1 and card.last_rating == 4  # Easy: right and sure


def test_a_manager_logs_coaching_from_the_matrix_and_the_stage_moves(reinforced, org, live_server, page):
    program, program_skills = reinforced
    seller = org.people["seller"]
    qualifying = program_skills[0]
    Card.objects.filter(person=seller, question__skill=qualifying.skill).update(
        last_review_at=timezone.now() - timedelta(days=2),
        stability=15.0,
        state=Card.State.REVIEW,
        last_rating=3,
    )
    earlier = CoachingSession.objects.create(
        manager=org.people["manager"],
        program=program,
        kind="role_play",
        occurred_on=date.today() - timedelta(days=9),
    )
    earlier.sellers.add(seller)
    CoachingRating.objects.create(session=earlier, seller=seller, skill=qualifying.skill, rating=3)
    stages_recompute(person_ids=[seller.pk])
    assert SkillStage.objects.get(person=seller, program_skill=qualifying).stage == Stage.REMEMBER

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#coaching-counts")).to_contain_text("due for coaching")  # loaded after the page
    page.get_by_role("navigation", name="Main").get_by_role("button", name="My team").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team matrix").click()
    cell = page.locator("tr", has_text=seller.full_name).locator(f'td[data-skill="{qualifying.skill.name}"]')
    expect(cell).to_contain_text("Remember")
    page.screenshot(path="var/screenshots/reinforcement-matrix-before.png", full_page=True)
    assert serious_violations(page) == []
    page.get_by_role("link", name=f"Log coaching for {seller.full_name} on {qualifying.skill.name}").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Log a coaching session")
    expect(page.get_by_label(seller.full_name)).to_be_checked()
    page.get_by_label("Qualifying: rating").select_option("4")
    page.get_by_label("Notes").fill("Ran the discovery role play; strong follow-up questions.")
    page.screenshot(path="var/screenshots/reinforcement-coaching-form.png", full_page=True)
    assert serious_violations(page) == []
    page.get_by_role("button", name="Save session").click()

    expect(page.get_by_role("alert")).to_contain_text("Coaching session logged")
    expect(cell).to_contain_text("Practice")
    expect(page.locator("tr", has_text=seller.full_name)).not_to_contain_text("overdue")
    page.screenshot(path="var/screenshots/reinforcement-matrix-after.png", full_page=True)
    stage = SkillStage.objects.get(person=seller, program_skill=qualifying)
    assert stage.stage == Stage.PRACTICE
    assert stage.events.first().reason.startswith("Role play logged by")


def test_the_inbox_and_my_progress_agree_and_a_question_takes_one_answer(reinforced, org, live_server, page):
    seller = org.people["seller"]
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("seller")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#questions-waiting")).to_have_text("2 questions waiting")
    page.goto(f"{live_server.url}/reinforcement/inbox/")
    expect(page.locator("#questions-waiting")).to_have_text("2 questions waiting")
    assert serious_violations(page) == []
    page.locator(".list-group-item-action").first.click()
    answer_url = page.url
    page.get_by_label("The buyer's problem and its cost").check()
    page.get_by_role("button", name="Answer").click()
    expect(page.locator("#answer-result")).to_contain_text("Right.")
    page.goto(answer_url)  # a second tab, or the back button
    expect(page.locator("#answer-closed")).to_contain_text("Already answered — next question on")
    for width in (1366, 768):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/reinforcement/inbox/")
        page.screenshot(path=f"var/screenshots/reinforcement-inbox-{width}.png", full_page=True)
    expect(page.locator("#questions-waiting")).to_have_text("1 question waiting")
    page.goto(f"{live_server.url}/reinforcement/me/")
    expect(page.locator("#questions-waiting")).to_have_text("1 question waiting")
    assert Card.objects.get(person=seller, reviews=1).review_logs.count() == 1
