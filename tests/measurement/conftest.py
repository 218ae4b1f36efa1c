"""A small measured program on the `org` personas, where every dashboard figure is known.

Today is pinned to TODAY (a Wednesday); the program launched four weeks earlier.

- Team A (manager): seller and seller_b; Team B (other_manager): other_seller.
- Stages today, Qualifying / Negotiating:
  seller Apply / Practice, seller_b Master / Learn, other_seller Learn / (no row).
  So Qualifying adoption is 2/3, Negotiating 0/3, overall 2/6.
- seller moved Practice → Apply on Qualifying this Monday: at the end of last week Qualifying was 1/3.
- Coaching cadence 14 days; over the 28 days since launch the manager coached 3 times
  (expected 2 sellers × 2 = 4: 75%), other_manager never (expected 2, 0%).
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cohorts.models import CohortMember
from programs.models import Program
from reinforcement.measurement.models import MetricActual
from reinforcement.models import CoachingSession, ReinforcementRules, SkillStage, StageEvent
from tests.factories import make_ready_program

TODAY = date(2026, 11, 25)
LAUNCH = TODAY - timedelta(days=27)  # 28 days counting both ends


def at(day, hour=12):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    monkeypatch.setattr(timezone, "now", lambda: at(TODAY, 15))
    return TODAY


@pytest.fixture
def measured(org, today):
    program = make_ready_program(
        owner=org.lead, name="Value selling", start_date=LAUNCH, status=Program.Status.LAUNCHED
    )
    ReinforcementRules.objects.create(program=program)  # the plan's fortnightly cadence applies
    qualifying, negotiating = list(program.skills.order_by("id"))
    p = org.people
    for key in ("seller", "seller_b", "other_seller", "manager", "other_manager"):
        CohortMember.objects.create(program=program, person=p[key], status=CohortMember.Status.CONFIRMED)
    stages = {
        ("seller", qualifying): "apply",
        ("seller", negotiating): "practice",
        ("seller_b", qualifying): "master",
        ("seller_b", negotiating): "learn",
        ("other_seller", qualifying): "learn",
    }
    rows = {}
    for (who, ps), stage in stages.items():
        rows[(who, ps)] = SkillStage.objects.create(person=p[who], program_skill=ps, stage=stage)
    StageEvent.objects.create(
        skill_stage=rows[("seller", qualifying)],
        from_stage="practice",
        to_stage="apply",
        reason="Observed on a call",
        created_at=at(TODAY - timedelta(days=2)),
    )
    for offset, sellers in ((3, ["seller", "seller_b"]), (20, ["seller"])):
        session = CoachingSession.objects.create(
            manager=p["manager"],
            program=program,
            kind="one_on_one",
            occurred_on=TODAY - timedelta(days=offset),
        )
        session.sellers.set([p[s] for s in sellers])
    return {"program": program, "qualifying": qualifying, "negotiating": negotiating}


def add_actuals(program, person, weekly_values, *, metric_name="Win rate"):
    """Weekly actuals for `person`, one per value, the last ending in the current week."""
    metric = program.metrics.get(metric__name=metric_name).metric
    start = TODAY - timedelta(days=TODAY.weekday()) - timedelta(weeks=len(weekly_values) - 1)
    MetricActual.objects.bulk_create(
        MetricActual(
            metric=metric,
            person=person,
            period_start=start + timedelta(weeks=i),
            period_end=start + timedelta(weeks=i, days=6),
            value=Decimal(str(value)),
            source=MetricActual.Source.CSV,
            updated_at=timezone.now(),
        )
        for i, value in enumerate(weekly_values)
    )
