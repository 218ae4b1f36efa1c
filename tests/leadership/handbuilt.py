"""A small hand-built launched org with known figures (see `launched_with_figures`).

Launched 28 days ago (fortnightly cadence, two skills). Team A: seller and seller_b; Team B:
other_seller. Stages today: seller applies both skills (moved three weeks ago), seller_b
applies Qualifying (moved this week), everyone else is at Learn, so adoption is 3 of 6 = 50 %,
and the weekly series from the launch week is 0, 1/3, 1/3, 1/3, 1/2. Questions: Team A answered
4 of 4, Team B 1 of 6. No coaching and no team session logged. One review last week, with a
follow-up overdue since yesterday.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from cohorts.models import CohortMember
from programs.models import Metric
from reinforcement.leadership.models import FollowUp, ReviewMeeting
from reinforcement.leadership.rules import monday
from reinforcement.measurement.models import MetricActual
from reinforcement.models import Card, Nudge, SkillStage, Stage, StageEvent
from tests.factories import QuestionFactory


def at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def build(org, program):
    today = timezone.localdate()
    this_week = monday(today)
    CohortMember.objects.get_or_create(program=program, person=org.people["other_seller"])
    qualifying = program.skills.get(skill__name="Qualifying")
    negotiating = program.skills.get(skill__name="Negotiating")
    stages = {
        ("seller", qualifying): (Stage.APPLY, this_week - timedelta(weeks=3) + timedelta(days=1)),
        ("seller", negotiating): (Stage.APPLY, this_week - timedelta(weeks=3) + timedelta(days=1)),
        ("seller_b", qualifying): (Stage.APPLY, this_week),
        ("seller_b", negotiating): (Stage.LEARN, None),
        ("other_seller", qualifying): (Stage.LEARN, None),
        ("other_seller", negotiating): (Stage.LEARN, None),
    }
    for (key, ps), (stage, moved_on) in stages.items():
        row = SkillStage.objects.create(person=org.people[key], program_skill=ps, stage=stage)
        if moved_on:
            StageEvent.objects.create(
                skill_stage=row,
                from_stage=Stage.REMEMBER,
                to_stage=Stage.APPLY,
                reason="Action plan observed",
                created_at=min(at(moved_on, 1), timezone.now()),
            )
    question = QuestionFactory(skill=qualifying.skill)
    sent_at = at(this_week - timedelta(weeks=1))
    for key, sent, answered in (("seller", 2, 2), ("seller_b", 2, 2), ("other_seller", 6, 1)):
        card = Card.objects.create(person=org.people[key], question=question, program=program, due_at=sent_at)
        for i in range(sent):
            Nudge.objects.create(
                person=org.people[key],
                card=card,
                due_at=sent_at,
                created_at=sent_at,
                sent_at=sent_at,
                status=Nudge.Status.ANSWERED if i < answered else Nudge.Status.SENT,
                idempotency_key=f"hand:{key}:{i}",
            )
    MetricActual.objects.create(
        metric=Metric.objects.get(name="Win rate"),
        person=org.people["seller"],
        period_start=this_week - timedelta(weeks=1),
        period_end=this_week - timedelta(days=1),
        value=Decimal("22"),
        updated_at=timezone.now(),
    )
    meeting = ReviewMeeting.objects.create(
        program=program, held_on=this_week - timedelta(days=5), attendees="VP of Sales\nLead"
    )
    FollowUp.objects.create(
        meeting=meeting, action="Call Team B's manager", owner="VP of Sales", due_on=today - timedelta(days=1)
    )
    return program
