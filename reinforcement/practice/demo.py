"""Demo practice for `seed_demo`: starter scenarios, reviewed attempts, a review waiting for the
demo manager, a team competition and the points ledger. Safe to run again.

Practice is evidence of the program it is done for, and only a launched program takes it, so
the demo practises in the running program ("Discovery conversations 2026"), in the demo
seller's pilot team (never the holdout, which stays untrained)."""

from datetime import timedelta

from django.utils import timezone

from programs.models import Program
from reinforcement.measurement.demo import PROGRAM as DEMO_PROGRAM
from reinforcement.models import SkillStage

from .models import Attempt, Competition, Scenario
from .points import points_refresh
from .services import attempt_write, review_submit, scenarios_load_starter

DEMO_TEAM = "Enterprise East"  # the demo seller's and manager's team, in the pilot wave
ANSWERS = [
    "I would slow down and ask what it costs them each month that the problem stays unsolved.",
    "I would name the two people who have to agree, and ask who else signs before we go further.",
    "I would trade: a longer term or a reference in return for any change to the price.",
]


def seed_practice():
    scenarios_load_starter()
    program = Program.objects.filter(name=DEMO_PROGRAM, status=Program.Status.LAUNCHED).first()
    if program is None or Competition.objects.filter(program=program).exists():
        return
    now = timezone.now()
    stages = list(
        SkillStage.objects.filter(
            program_skill__program=program, person__manager__isnull=False, person__team__name=DEMO_TEAM
        )
        .select_related("person__manager", "program_skill__skill")
        .order_by("person__team__name", "person_id", "program_skill_id")
    )
    scenario_for = {s.skill_id: s for s in Scenario.objects.filter(is_starter=True)}
    sellers = []
    for stage in stages:
        if stage.person not in sellers:
            sellers.append(stage.person)
    for index, stage in enumerate(stages[:24]):
        scenario = scenario_for.get(stage.program_skill.skill_id)
        if scenario is None:
            continue
        attempt = attempt_write(
            person=stage.person,
            scenario=scenario,
            program=program,
            text=ANSWERS[index % len(ANSWERS)],
            now=now - timedelta(days=9),
        )
        if stage.person == sellers[0]:
            continue  # the demo seller's attempts wait for the demo manager's review
        scores = [3 + (index + c) % 3 for c in range(len(scenario.rubric))]
        review_submit(
            attempt=attempt,
            reviewer=stage.person.manager,
            by_manager=True,
            scores=scores,
            comment="Good structure; next time ask for the buyer's own numbers.",
            now=now - timedelta(days=8),
        )
    Attempt.objects.filter(person=sellers[0]).update(submitted_at=now - timedelta(days=1))
    today = timezone.localdate()
    Competition.objects.create(
        program=program,
        name="Practice sprint",
        starts_on=today - timedelta(days=28),
        ends_on=today + timedelta(days=14),
    )
    points_refresh(program_ids=[program.pk])
