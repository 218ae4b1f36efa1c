from django.db import migrations

from programs.catalogue import BUILTIN_METRICS, BUILTIN_SKILLS


def load_catalogue(apps, schema_editor):
    Metric = apps.get_model("programs", "Metric")
    Skill = apps.get_model("programs", "Skill")
    for name, (description, unit, direction) in BUILTIN_METRICS.items():
        Metric.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "default_unit": unit,
                "default_direction": direction,
                "is_builtin": True,
            },
        )
    for name, description in BUILTIN_SKILLS.items():
        Skill.objects.get_or_create(name=name, defaults={"description": description, "is_builtin": True})


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_planning")]

    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
