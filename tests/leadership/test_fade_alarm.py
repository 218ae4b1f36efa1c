"""The fade alarm on a hand-built org: Team B's answer rate falls two weeks in a row with no
coaching; a Team A seller falls back a stage although the team is coached."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cohorts.models import CohortMember
from programs.models import Program, Skill
from reinforcement.leadership.models import FadeAlarm
from reinforcement.leadership.rules import TeamWeeks, fade, falling_two_weeks, monday
from reinforcement.leadership.services.fade import fade_alarms_refresh
from reinforcement.models import Card, CoachingSession, Nudge, SkillStage, Stage, StageEvent
from reinforcement.services import nudges
from tests.factories import QuestionFactory, practice_attempt

from .handbuilt import at

pytestmark = pytest.mark.django_db


def test_falling_means_two_falls_in_a_row():
    assert falling_two_weeks([0.5, 0.4, 0.3])
    assert not falling_two_weeks([0.5, 0.5, 0.3])
    assert not falling_two_weeks([0.4, 0.3])
    assert not falling_two_weeks([0.5, None, 0.3])  # unknown weeks are skipped: only two values


def test_causes_are_read_from_the_same_two_weeks():
    quiet = TeamWeeks(
        adoption=[0.5, 0.4, 0.3], answer_rate=[1, 1, 1], fall_backs=0, coaching=0, sent=8, answered=2
    )
    assert fade(quiet) == (["adoption"], ["no_coaching", "unanswered"])
    coached = TeamWeeks(
        adoption=[0.5, 0.5, 0.5], answer_rate=[], fall_backs=1, coaching=3, sent=0, answered=0
    )
    assert fade(coached) == (["fall_back"], [])
    steady = TeamWeeks(
        adoption=[0.5, 0.5, 0.6], answer_rate=[0.9, 0.8, 0.85], fall_backs=0, coaching=0, sent=9, answered=1
    )
    assert fade(steady) == ([], [])  # nothing fell: no alarm, whatever the causes would say
    practice = TeamWeeks([0.5, 0.4, 0.3], [], 0, coaching=2, sent=0, answered=0, practice_unreviewed=3)
    assert fade(practice)[1] == ["practice_unreviewed"]


@pytest.fixture
def fading(org, launched):
    CohortMember.objects.create(program=launched, person=org.people["other_seller"])
    this_week = monday(timezone.localdate())
    qualifying = launched.skills.get(skill__name="Qualifying")
    card = Card.objects.create(
        person=org.people["other_seller"],
        question=QuestionFactory(skill=qualifying.skill),
        program=launched,
        due_at=timezone.now(),
    )
    for weeks_ago, answered in ((3, 4), (2, 2), (1, 1)):  # 4 sent a week: 100 %, 50 %, 25 % answered
        sent_at = at(this_week - timedelta(weeks=weeks_ago) + timedelta(days=1))
        for i in range(4):
            Nudge.objects.create(
                person=org.people["other_seller"],
                card=card,
                due_at=sent_at,
                created_at=sent_at,
                sent_at=sent_at,
                status=Nudge.Status.ANSWERED if i < answered else Nudge.Status.SENT,
                idempotency_key=f"fade:{weeks_ago}:{i}",
            )
    row = SkillStage.objects.create(
        person=org.people["seller"], program_skill=qualifying, stage=Stage.PRACTICE
    )
    StageEvent.objects.create(
        skill_stage=row,
        from_stage=Stage.APPLY,
        to_stage=Stage.PRACTICE,
        reason="No application observed for 30 days",
        created_at=timezone.now() - timedelta(days=3),
    )
    session = CoachingSession.objects.create(
        manager=org.people["manager"],
        program=launched,
        kind=CoachingSession.Kind.ONE_ON_ONE,
        occurred_on=this_week - timedelta(days=4),
    )
    session.sellers.add(org.people["seller"])
    assert fade_alarms_refresh() == 2
    return launched


def test_the_weekly_check_raises_one_alarm_per_fading_team_with_its_causes(org, fading):
    team_b = FadeAlarm.objects.get(team=org.teams["b"])
    assert team_b.signals == ["answers"]
    assert team_b.causes == ["no_coaching", "unanswered"]
    assert team_b.figures["answer_rate"] == [1.0, 0.5, 0.25]
    assert (team_b.figures["sent"], team_b.figures["answered"]) == (8, 3)
    assert team_b.manager == org.people["other_manager"]
    team_a = FadeAlarm.objects.get(team=org.teams["a"])
    assert team_a.signals == ["fall_back"] and team_a.causes == []  # coached last week
    # Running the check again the same week updates, never duplicates.
    assert fade_alarms_refresh() == 2 and FadeAlarm.objects.count() == 2


def test_managers_see_their_own_teams_alarms_at_home_and_in_the_digest(client, org, fading):
    client.force_login(org.other_manager)
    home = client.get(reverse("home")).content.decode()
    assert "Team B" in home and "questions went unanswered" in home and "Team A</strong>" not in home
    client.force_login(org.manager)
    alarms = client.get(reverse("leadership:alarms")).content.decode()
    assert "Sellers fell back a stage" in alarms and "Team B" not in alarms
    nudges.digests_plan()
    token, ids = nudges.nudges_claim()
    nudges.nudges_deliver(nudge_ids=ids, lease_token=token)
    digest = next(m for m in mail.outbox if m.to == [org.people["other_manager"].email])
    assert "Fading after launch (1)" in digest.body and "no coaching was logged" in digest.body


def test_the_lead_sees_every_fading_team_and_sellers_see_none(client, org, fading):
    client.force_login(org.lead)
    home = client.get(reverse("home")).content.decode()
    assert "Team A is fading" in home and "Team B is fading" in home
    client.force_login(org.executive)
    assert "Team B is fading" in client.get(reverse("home")).content.decode()
    client.force_login(org.seller)
    assert client.get(reverse("leadership:alarms")).status_code == 403
    assert "fading" not in client.get(reverse("home")).content.decode()


def test_practice_waiting_past_its_due_date_is_named_as_a_likely_cause(client, org, fading, settings):
    settings.PRACTICE_REVIEW_DUE_DAYS = 3
    qualifying = fading.skills.get(skill__name="Qualifying").skill
    practice_attempt(
        org.people["other_seller"], qualifying, program=fading, waiting_days=5
    )  # Team B: overdue
    practice_attempt(org.people["seller"], qualifying, program=fading, waiting_days=1)  # Team A: not due yet
    practice_attempt(
        org.people["seller_b"], qualifying, program=fading, waiting_days=6, reviewed_by=org.people["manager"]
    )
    practice_attempt(
        org.people["seller"], Skill.objects.create(name="Practice outside the program"), waiting_days=9
    )  # not the program's
    other = Program.objects.create(name="Another program", owner=org.lead, status=Program.Status.LAUNCHED)
    practice_attempt(org.people["seller"], qualifying, program=other, waiting_days=9)  # same skill, not ours
    assert fade_alarms_refresh() == 2
    team_b = FadeAlarm.objects.get(team=org.teams["b"])
    assert team_b.causes == ["no_coaching", "unanswered", "practice_unreviewed"]
    assert team_b.figures["practice_unreviewed"] == 1
    team_a = FadeAlarm.objects.get(team=org.teams["a"])
    assert team_a.causes == [] and team_a.figures["practice_unreviewed"] == 0
    client.force_login(org.other_manager)
    assert "waiting for the manager&#x27;s review" in client.get(reverse("home")).content.decode()


def test_a_program_whose_check_fails_is_logged_and_the_others_are_still_checked(
    org, fading, monkeypatch, caplog
):
    from reinforcement.leadership.services import fade as service

    broken = Program.objects.create(name="Broken", owner=org.lead, status=Program.Status.LAUNCHED)
    check = service.fade_alarms_for_program

    def fails_for_broken(program, **kwargs):
        if program.pk == broken.pk:
            raise ValueError("bad data")
        return check(program, **kwargs)

    monkeypatch.setattr(service, "fade_alarms_for_program", fails_for_broken)
    assert fade_alarms_refresh() == 2
    assert f"program {broken.pk}" in caplog.text
