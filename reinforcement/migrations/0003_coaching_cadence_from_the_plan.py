"""The coaching cadence now lives only in the program's reinforcement plan.

A program whose rules held a cadence other than the default two weeks, and whose plan has
none, gets the nearest plan cadence (weekly, every two weeks, monthly, quarterly) before the
rules' own field goes.
"""

from django.db import migrations

CADENCE_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 30, "quarterly": 91}


def cadence_to_plan(apps, schema_editor):
    Rules = apps.get_model("reinforcement", "ReinforcementRules")
    Plan = apps.get_model("programs", "ReinforcementPlan")
    for rules in Rules.objects.exclude(coaching_cadence_days=14):
        nearest = min(CADENCE_DAYS, key=lambda name: abs(CADENCE_DAYS[name] - rules.coaching_cadence_days))
        plan, _ = Plan.objects.get_or_create(program_id=rules.program_id)
        if not plan.coaching_cadence:
            plan.coaching_cadence = nearest
            plan.coaching_sessions_per_rep = 1
            plan.save(update_fields=["coaching_cadence", "coaching_sessions_per_rep"])


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0003_builtin_catalogue"),
        ("reinforcement", "0002_card_last_rating"),
    ]

    operations = [
        migrations.RunPython(cadence_to_plan, migrations.RunPython.noop),
        migrations.RemoveField(model_name="reinforcementrules", name="coaching_cadence_days"),
    ]
