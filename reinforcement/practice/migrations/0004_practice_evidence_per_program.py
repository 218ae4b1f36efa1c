"""Give existing practice attempts the program they were practised for, and take back what
they earned in other programs.

Rule (the one action plans and coaching sessions followed, reinforcement 0003): an attempt
belongs to the program in which the seller was training the scenario's skill on the day of
the attempt: of the programs where they have a stage row on the skill, the latest to start
by then, else the earliest. An attempt with no such program (the seller trains the skill in
no program) keeps an empty program and counts in none.

Points and certificates an attempt earned in a program it does not belong to are removed;
the nightly stage recompute then moves the stages that leaned on them (with a stage event).
"""

from collections import defaultdict

from django.db import migrations

CHUNK = 2000


def _program_for(candidates, on):
    """Of (program_id, start_date) pairs, the latest program started by `on`, else the earliest."""
    started = [(start, pk) for pk, start in candidates if start is not None and start <= on]
    if started:
        return max(started)[1]
    return min(candidates, key=lambda c: (c[1] is None, c[1], c[0]))[0] if candidates else None


def assign_programs(apps, schema_editor):
    Attempt = apps.get_model("practice", "Attempt")
    SkillStage = apps.get_model("reinforcement", "SkillStage")
    pending = Attempt.objects.filter(program__isnull=True).order_by("id")
    last_id = 0
    while True:
        rows = list(
            pending.filter(id__gt=last_id).values_list("id", "person_id", "scenario__skill_id", "created_at")[
                :CHUNK
            ]
        )
        if not rows:
            break
        last_id = rows[-1][0]
        candidates = defaultdict(list)  # (person_id, skill_id) -> [(program_id, start_date)]
        for person_id, skill_id, program_id, start in SkillStage.objects.filter(
            person_id__in={r[1] for r in rows}, program_skill__skill_id__in={r[2] for r in rows}
        ).values_list(
            "person_id",
            "program_skill__skill_id",
            "program_skill__program_id",
            "program_skill__program__start_date",
        ):
            candidates[(person_id, skill_id)].append((program_id, start))
        by_program = defaultdict(list)
        for attempt_id, person_id, skill_id, created_at in rows:
            program_id = _program_for(candidates.get((person_id, skill_id), []), created_at.date())
            if program_id is not None:
                by_program[program_id].append(attempt_id)
        for program_id, ids in by_program.items():
            Attempt.objects.filter(pk__in=ids).update(program_id=program_id)


def drop_earnings_in_other_programs(apps, schema_editor):
    Attempt = apps.get_model("practice", "Attempt")
    Certificate = apps.get_model("practice", "Certificate")
    PointEntry = apps.get_model("practice", "PointEntry")
    # Certificates issued in a program from an attempt practised for another one (or for none).
    foreign = [
        (pk, program_id)
        for pk, program_id, attempt_program_id in Certificate.objects.values_list(
            "id", "program_skill__program_id", "review__attempt__program_id"
        ).iterator()
        if attempt_program_id != program_id
    ]
    for start in range(0, len(foreign), CHUNK):
        batch = foreign[start : start + CHUNK]
        for certificate_id, program_id in batch:
            PointEntry.objects.filter(program_id=program_id, source_key=f"certificate:{certificate_id}").delete()
        Certificate.objects.filter(pk__in=[pk for pk, _ in batch]).delete()
    # Practice points ("practice:<attempt id>") held in a program the attempt does not belong to.
    entries = PointEntry.objects.filter(kind="practice").values_list("id", "program_id", "source_key")
    keyed = [(pk, program_id, key.partition(":")[2]) for pk, program_id, key in entries.iterator()]
    ids = sorted({int(a) for _, _, a in keyed if a.isdigit()})
    program_of = {}
    for start in range(0, len(ids), CHUNK):
        program_of.update(Attempt.objects.filter(pk__in=ids[start : start + CHUNK]).values_list("id", "program_id"))
    stray = [pk for pk, program_id, a in keyed if not a.isdigit() or program_of.get(int(a)) != program_id]
    for start in range(0, len(stray), CHUNK):
        PointEntry.objects.filter(pk__in=stray[start : start + CHUNK]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0003_attempt_program"),
        ("reinforcement", "0003_evidence_per_program"),
    ]

    operations = [
        migrations.RunPython(assign_programs, migrations.RunPython.noop),
        migrations.RunPython(drop_earnings_in_other_programs, migrations.RunPython.noop),
    ]
