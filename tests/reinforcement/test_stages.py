"""Stage rows move with evidence and keep an append-only history."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cohorts.models import Cohort, Enrollment, Session, Wave
from reinforcement.models import Card, ReinforcementRules, SkillStage, Stage, StageEvent
from reinforcement.services.coaching import assessment_record
from reinforcement.services.questions import card_answer
from reinforcement.services.stages import stages_recompute

pytestmark = pytest.mark.django_db


def stage_of(person, program_skill):
    return SkillStage.objects.get(person=person, program_skill=program_skill).stage


def test_a_passed_post_assessment_alone_is_not_learn_while_attendance_is_required(
    org, program, program_skills, enrolled
):
    seller = org.people["seller"]
    assessment_record(
        person=seller, program_skill=program_skills[0], kind="post", score=90, taken_on=date.today()
    )
    assert stage_of(seller, program_skills[0]) == Stage.NOT_STARTED
    assert not Card.objects.filter(person=seller).exists()


def test_attendance_recorded_by_cohorts_plus_a_pass_moves_to_learn_and_creates_cards(
    org, program, program_skills, enrolled, bank
):
    seller = org.people["seller"]
    wave = Wave.objects.create(program=program, number=1, name="Wave 1")
    cohort = Cohort.objects.create(program=program, wave=wave, name="Cohort 1")
    start = timezone.now() - timedelta(days=3)
    session = Session.objects.create(
        cohort=cohort, title="Day 1", starts_at=start, ends_at=start + timedelta(hours=3)
    )
    Enrollment.objects.create(session=session, person=seller, attendance=Enrollment.Attendance.ATTENDED)
    assessment_record(
        person=seller, program_skill=program_skills[0], kind="post", score=90, taken_on=date.today()
    )
    assert stage_of(seller, program_skills[0]) == Stage.LEARN
    assert stage_of(seller, program_skills[1]) == Stage.NOT_STARTED
    assert Card.objects.filter(person=seller, question__skill=program_skills[0].skill).count() == 3
    event = StageEvent.objects.get(skill_stage__person=seller)
    assert (event.from_stage, event.to_stage) == (Stage.NOT_STARTED, Stage.LEARN)
    assert "attended training" in event.reason


def test_a_wrong_answer_after_remember_falls_back_to_learn_with_an_event(org, learned, program_skills):
    skill = program_skills[0].skill
    cards = list(Card.objects.filter(person=learned, question__skill=skill))
    start = timezone.now() - timedelta(days=60)
    Card.objects.filter(person=learned).update(due_at=start)
    # Answer every question right twice, far apart, so stability passes 7 days.
    for offset in (0, 20):
        for card in cards:
            card.refresh_from_db()
            card_answer(card=card, chosen_index=0, now=start + timedelta(days=offset))
    assert stage_of(learned, program_skills[0]) == Stage.REMEMBER
    card = cards[0]
    Card.objects.filter(pk=card.pk).update(due_at=timezone.now())  # asked again today
    card.refresh_from_db()
    card_answer(card=card, chosen_index=1)
    assert stage_of(learned, program_skills[0]) == Stage.LEARN
    fall = StageEvent.objects.filter(skill_stage__person=learned).first()
    assert fall.is_fall_back
    assert "Recall lapsed" in fall.reason


def test_recompute_is_idempotent_and_writes_no_event_without_a_change(org, learned):
    before = StageEvent.objects.count()
    assert stages_recompute() == 0
    assert StageEvent.objects.count() == before


def test_changing_the_rules_recomputes_the_program(org, learned, program, program_skills):
    rules = ReinforcementRules.objects.get(program=program)
    rules.pass_score = 95
    rules.save()
    stages_recompute(program_ids=[program.pk])
    assert stage_of(learned, program_skills[0]) == Stage.NOT_STARTED


def test_the_nightly_task_gives_confirmed_members_of_launched_programs_stage_rows(
    org, program, program_skills
):
    from cohorts.models import CohortMember
    from reinforcement.tasks import recompute_stages

    CohortMember.objects.create(program=program, person=org.people["seller_b"], status="confirmed")
    CohortMember.objects.create(program=program, person=org.people["other_seller"], status="proposed")
    recompute_stages.apply()
    assert SkillStage.objects.filter(person=org.people["seller_b"]).count() == len(program_skills)
    assert not SkillStage.objects.filter(person=org.people["other_seller"]).exists()
