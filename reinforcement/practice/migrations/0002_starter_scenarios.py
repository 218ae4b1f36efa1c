from django.db import migrations


def load_starter(apps, schema_editor):
    from reinforcement.practice.services import scenarios_load_starter

    scenarios_load_starter(
        skill_model=apps.get_model("programs", "Skill"), scenario_model=apps.get_model("practice", "Scenario")
    )


class Migration(migrations.Migration):
    dependencies = [("practice", "0001_initial"), ("programs", "0003_builtin_catalogue")]

    operations = [migrations.RunPython(load_starter, migrations.RunPython.noop)]
