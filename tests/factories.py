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
