"""Test data factories, one place for every app."""

import factory
from django.contrib.auth import get_user_model

from cohorts.models import AccountGroup, Location, Person, Region, Team
from rolloutplanner.roles import assign_role

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        user.save()
        if extracted:
            assign_role(user, extracted)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Region {n}")


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"City {n}")
    region = factory.SubFactory(RegionFactory)
    time_zone = "Europe/Berlin"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")
    region = factory.SubFactory(RegionFactory)


class AccountGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountGroup
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Account group {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    """A person; give `manager=` to hang them under someone. Call org_paths_rebuild() after."""

    class Meta:
        model = Person

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    title = "Account Executive"
    level = Person.Level.INDIVIDUAL
    function = Person.Function.FIELD_SALES
    team = factory.SubFactory(TeamFactory)
    region = factory.LazyAttribute(lambda p: p.team.region if p.team else RegionFactory())
    location = factory.SubFactory(LocationFactory, region=factory.SelfAttribute("..region"))
    time_zone = "Europe/Berlin"


# ---------------------------------------------------------------- reinforcement
class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reinforcement.Question"

    prompt = factory.Sequence(lambda n: f"Which step comes first in situation {n}?")
    choices = factory.LazyFunction(lambda: ["Listen first", "Pitch the product", "Send a discount"])
    correct_index = 0
    explanation = "Understanding the buyer's situation comes before any proposal."


# ---------------------------------------------------------------- programs
class ProgramFactory(factory.django.DjangoModelFactory):
    """A draft program with some context and no readiness answers."""

    class Meta:
        model = "programs.Program"

    name = factory.Sequence(lambda n: f"Program {n}")
    owner = factory.SubFactory(UserFactory)
    audience_description = "Field account executives"
    audience_size = 60
    location_count = 3


def make_ready_program(owner=None, **fields):
    """A program whose four readiness questions are complete (gate open), decisions not yet made.

    Two metrics (Win rate, Deal size), two skills linked to them, one gap per skill and a full
    reinforcement plan; `fields` override the program's context.
    """
    from decimal import Decimal

    from programs.models import Metric, ProgramMetric, ProgramSkill, ReinforcementPlan, Skill, SkillGap
    from programs.services import catalogue_ensure

    catalogue_ensure()
    program = ProgramFactory(**({"owner": owner} if owner else {}), **fields)
    win = ProgramMetric.objects.create(
        program=program,
        metric=Metric.objects.get(name="Win rate"),
        baseline=Decimal("20"),
        target=Decimal("25"),
        unit="%",
        direction="up",
        horizon_months=9,
        data_source="CRM",
    )
    size = ProgramMetric.objects.create(
        program=program,
        metric=Metric.objects.get(name="Deal size"),
        baseline=Decimal("80"),
        target=Decimal("95"),
        unit="USD k",
        direction="up",
        horizon_months=12,
        data_source="CRM",
    )
    for skill_name, metric in (("Qualifying", win), ("Negotiating", size)):
        ps = ProgramSkill.objects.create(program=program, skill=Skill.objects.get(name=skill_name))
        ps.moves_metrics.set([metric])
        SkillGap.objects.create(
            program=program,
            program_skill=ps,
            segment="Account executives",
            limiters="Too eager",
            baseline_proficiency=3,
        )
    ReinforcementPlan.objects.create(
        program=program,
        methods=["manager_coaching", "spaced_retrieval"],
        coaching_cadence="fortnightly",
        owner="Regional directors",
        leading_indicators="Coaching sessions held",
        lagging_indicators="Win rate",
    )
    return program


def practice_attempt(person, skill, *, program=None, waiting_days=0, reviewed_by=None):
    """A written practice attempt of `person` on `skill`'s scenario for `program` (by default
    the newest program in which they train the skill), submitted `waiting_days` ago; scored 4
    by `reviewed_by` when given (else still waiting for review)."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from reinforcement.practice.models import Attempt, Review, Scenario

    scenario, _ = Scenario.objects.get_or_create(
        skill=skill,
        title=f"{skill.name}: test role play",
        defaults={
            "situation": "A buyer short on time.",
            "buyer_role": "Head of operations",
            "what_good_looks_like": "Finds the cost of the problem first.",
            "rubric": [{"criterion": "Opening", "levels": ["none", "weak", "fair", "good", "great"]}],
        },
    )
    from programs.models import Program

    if program is None:
        program = (
            Program.objects.filter(skills__skill=skill, skills__skill_stages__person=person)
            .order_by("-id")
            .first()
        )
    at = timezone.now() - timedelta(days=waiting_days)
    attempt = Attempt.objects.create(
        scenario=scenario,
        person=person,
        program=program,
        number=Attempt.objects.filter(person=person, scenario=scenario).count() + 1,
        kind=Attempt.Kind.WRITTEN,
        text="I would ask what the delay costs them each week.",
        status=Attempt.Status.REVIEWED if reviewed_by else Attempt.Status.SUBMITTED,
        created_at=at,
        submitted_at=at,
    )
    if reviewed_by:
        Review.objects.create(
            attempt=attempt, reviewer=reviewed_by, scores=[4], score=Decimal("4"), created_at=at
        )
    return attempt
