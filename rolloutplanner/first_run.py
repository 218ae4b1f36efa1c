"""The lead's first steps, in order: org chart → program → readiness → design → cohorts.

Shown on the lead's home page until every step is done, so a new customer on an empty
organisation is told what to do first (the org chart: cohorts are built from it).
"""

from dataclasses import dataclass

from django.urls import reverse

from cohorts.models import Person, Wave
from programs.models import DesignDecision, Program
from programs.readiness import readiness_of
from programs.selectors import program_queryset


@dataclass
class Step:
    title: str
    detail: str
    done: bool
    url: str
    action: str
    is_next: bool = False


def lead_steps():
    """The five steps with whether each is done (none once all are); a step's link leads to doing it.

    The newest open program counts. Three queries once its cohorts exist (the everyday
    case); the readiness answers are loaded only while the steps are still being worked."""
    has_people = Person.objects.exists()
    program = Program.objects.exclude(status=Program.Status.CLOSED).order_by("-updated_at", "-id").first()
    planned = program is not None and Wave.objects.filter(program=program).exists()
    if has_people and planned:
        return []
    if program is not None:
        program = program_queryset().get(pk=program.pk)
    readiness = readiness_of(program) if program else None
    decided = program is not None and len({d.kind for d in program.decisions.all()}) == len(
        DesignDecision.Kind
    )

    def at(name):
        return reverse(name, args=[program.pk]) if program else reverse("programs:create")

    steps = [
        Step(
            "Import the org chart",
            "People, managers, teams, regions and locations: cohorts and coaching are built from it.",
            has_people,
            reverse("cohorts:import"),
            "Import the org chart",
        ),
        Step(
            "Create a program",
            "Name the training and its audience, dates and context.",
            program is not None,
            reverse("programs:create"),
            "New program",
        ),
        Step(
            "Answer the four readiness questions",
            "Success metrics, money-making skills, skill gaps and the reinforcement plan.",
            bool(readiness and readiness.complete),
            reverse(readiness.next_question.url_name, args=[program.pk])
            if readiness and readiness.next_question
            else at("programs:detail"),
            "Answer the questions",
        ),
        Step(
            "Decide the rollout design",
            "Participation, rollout order and participant mix, each recommended with reasons.",
            decided,
            at("programs:design"),
            "Open the rollout design",
        ),
        Step(
            "Generate cohorts and schedule sessions",
            "Waves and cohorts from the design and the org chart, then the training dates.",
            planned,
            reverse("cohorts:plan_generate", args=[program.pk]) if program else reverse("cohorts:index"),
            "Generate cohorts",
        ),
    ]
    upcoming = next((s for s in steps if not s.done), None)
    if upcoming:
        upcoming.is_next = True
    return steps
