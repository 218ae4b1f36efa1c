"""The coaching cadence moves from the reinforcement rules to the program's plan, keeping its value."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("reinforcement", "0002_card_last_rating"), ("programs", "0003_builtin_catalogue")]
AFTER = [("reinforcement", "0003_coaching_cadence_from_the_plan")]


@pytest.mark.django_db(transaction=True)
def test_a_cadence_set_on_the_rules_becomes_the_plans_cadence():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("auth", "User")
    Program = old.get_model("programs", "Program")
    Rules = old.get_model("reinforcement", "ReinforcementRules")
    owner = User.objects.create(username="owner")
    monthly = Program.objects.create(name="Monthly", owner=owner)
    default = Program.objects.create(name="Default", owner=owner)
    Rules.objects.create(program=monthly, coaching_cadence_days=30)
    Rules.objects.create(program=default, coaching_cadence_days=14)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Plan = new.get_model("programs", "ReinforcementPlan")
    assert Plan.objects.get(program_id=monthly.pk).coaching_cadence == "monthly"
    assert not Plan.objects.filter(program_id=default.pk).exists()  # the default is not a decision
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
