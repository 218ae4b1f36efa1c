"""The synthetic organisation generator behind `seed_scale` and the bench (PostgreSQL only)."""

import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from cohorts.models import Person
from reinforcement.measurement import scale
from reinforcement.measurement.bench import ADOPTION_SQL
from reinforcement.measurement.figures import present
from reinforcement.measurement.services import snapshot_refresh
from reinforcement.models import SkillStage, Stage, StageEvent

pytestmark = pytest.mark.django_db
IN_CI = os.environ.get("CI", "").lower() == "true"
needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql" and not IN_CI, reason="COPY needs PostgreSQL (always there in CI)"
)


@needs_postgres
def test_the_generator_builds_the_org_and_a_consistent_stage_history():
    counts = scale.generate(people=400, seed=3)
    assert Person.objects.count() == 400
    in_scope = 400 - 1 - scale.REGIONS
    assert counts["stages"] == in_scope * len(scale.SKILLS) * 2
    assert counts["actuals"] > 0 and counts["reviews"] == counts["cards"] * scale.REVIEWS_PER_CARD
    # Every stage row's events climb from Not started to its current stage, one step at a time.
    ranks = {value: i for i, value in enumerate(Stage.values)}
    events = dict(
        StageEvent.objects.values("skill_stage_id").annotate(n=Count("id")).values_list("skill_stage_id", "n")
    )
    for pk, stage in SkillStage.objects.values_list("pk", "stage"):
        assert events.get(pk, 0) == ranks[stage]


@needs_postgres
def test_the_snapshot_of_the_generated_org_matches_the_adoption_sql():
    counts = scale.generate(people=400, seed=4)
    from programs.models import Program

    program = Program.objects.get(pk=counts["program_a"])
    snapshot_refresh(program=program)
    view = present(program.snapshots.get(region_key=0).data)
    with connection.cursor() as cursor:
        cursor.execute(ADOPTION_SQL, [program.pk, program.pk])
        adopted = sum(n for _, stage, n in cursor.fetchall() if stage in (Stage.APPLY, Stage.MASTER))
    assert sum(s["adopted"] for s in view["skills"]) == adopted


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_seed_scale_refuses_to_mix_with_existing_people_unless_told_to_replace():
    Person.objects.create(first_name="A", last_name="B", email="a@example.com")
    with pytest.raises(CommandError, match="--replace"):
        call_command("seed_scale", people=300, stdout=StringIO())
    call_command("seed_scale", people=300, replace=True, stdout=StringIO())
    assert not Person.objects.filter(email="a@example.com").exists()
    assert Person.objects.count() == 300


def test_seed_scale_explains_that_it_needs_postgresql(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("seed_scale", people=300, stdout=StringIO())
