from functools import cache
from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


def validate_time_zone(value):
    if value not in _time_zones():
        raise ValidationError(f"{value!r} is not a known IANA time zone (e.g. Europe/Berlin).")


@cache
def _time_zones():
    return frozenset(available_timezones())


class Region(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Location(models.Model):
    name = models.CharField(max_length=100, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="locations")
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="teams", null=True, blank=True)
    manager = models.ForeignKey(
        "Person", on_delete=models.SET_NULL, related_name="managed_teams", null=True, blank=True
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class AccountGroup(models.Model):
    """A set of customer accounts, a vertical or a sales initiative people are grouped by."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Person(models.Model):
    """Someone in the sales organisation's org chart.

    `org_path` is the chain of person ids from the top of the org down to this person
    ("/1/7/42/"); it is rebuilt whenever the chart changes, so "everyone under a manager"
    is one indexed prefix query.
    """

    class Level(models.TextChoices):
        EXECUTIVE = "executive", "Executive"
        DIRECTOR = "director", "Director"
        MANAGER = "manager", "Manager"
        INDIVIDUAL = "individual", "Individual contributor"

    class Function(models.TextChoices):
        FIELD_SALES = "field_sales", "Field sales"
        INSIDE_SALES = "inside_sales", "Inside sales"
        SALES_ENGINEERING = "sales_engineering", "Sales engineering"
        CUSTOMER_SUCCESS = "customer_success", "Customer success"
        SALES_LEADERSHIP = "sales_leadership", "Sales leadership"

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(unique=True)
    title = models.CharField(max_length=150, blank=True)
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.INDIVIDUAL)
    function = models.CharField(max_length=30, choices=Function.choices, default=Function.FIELD_SALES)
    manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="direct_reports"
    )
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members")
    location = models.ForeignKey(
        Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="people"
    )
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="people"
    )
    account_groups = models.ManyToManyField(AccountGroup, blank=True, related_name="people")
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    hire_date = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    org_path = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(
                fields=["org_path"], name="person_org_path_prefix", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def is_people_manager(self):
        return self.level != self.Level.INDIVIDUAL
