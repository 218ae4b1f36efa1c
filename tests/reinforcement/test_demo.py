"""The demo seeding: a question bank, a spread of stages, coaching, and due nudges; twice = same."""

from io import StringIO

import pytest
from django.core.management import call_command

from reinforcement.models import (
    ActionPlan,
    Card,
    CoachingSession,
    Delivery,
    Nudge,
    Question,
    ReviewLog,
    SkillStage,
    Stage,
    StageEvent,
)

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "questions": Question.objects.count(),
        "cards": Card.objects.count(),
        "reviews": ReviewLog.objects.count(),
        "stages": sorted(
            SkillStage.objects.values_list("person__email", "program_skill__skill__name", "stage")
        ),
        "events": StageEvent.objects.count(),
        "coaching": CoachingSession.objects.count(),
        "plans": ActionPlan.objects.count(),
        "nudges": Nudge.objects.count(),
    }


def test_the_demo_spreads_stages_and_is_idempotent(demo_data, settings):
    first = snapshot()
    assert first["questions"] >= 15
    reached = {stage for *_, stage in first["stages"]}
    assert {Stage.LEARN, Stage.REMEMBER, Stage.PRACTICE, Stage.APPLY, Stage.MASTER} <= reached
    assert first["coaching"] > 0 and first["plans"] > 0
    seller_nudges = Nudge.objects.filter(person__user__username="seller")
    assert seller_nudges.filter(status=Nudge.Status.SENT).count() == 2
    assert Delivery.objects.filter(nudge__in=seller_nudges, channel="inbox").count() == 2
    assert Nudge.objects.filter(status=Nudge.Status.PENDING).exists()
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == first
