"""Measurement: business-metric actuals and the precomputed dashboard figures.

Reads everything (programs, cohorts, reinforcement); nothing but URLs, seeding and the bench
imports it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class MetricActual(models.Model):
    """One value of a sales metric for one person (or one team) over one period.

    Exactly one of `person` and `team` is set. A (metric, person or team, period start) is
    stored once: importing or pushing the same period again replaces the value.
    """

    class Source(models.TextChoices):
        CSV = "csv", "CSV import"
        API = "api", "API"
        DEMO = "demo", "Demo data"
        SYNTHETIC = "synthetic", "Synthetic (bench)"

    metric = models.ForeignKey("programs.Metric", on_delete=models.PROTECT, related_name="actuals")
    person = models.ForeignKey(
        "cohorts.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="metric_actuals"
    )
    team = models.ForeignKey(
        "cohorts.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="metric_actuals"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=16, decimal_places=4)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.CSV)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-period_start", "metric_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(team__isnull=True))
                | (Q(person__isnull=True) & Q(team__isnull=False)),
                name="metric_actual_person_xor_team",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="metric_actual_period_order"
            ),
            models.UniqueConstraint(
                fields=["metric", "person", "period_start"],
                condition=Q(person__isnull=False),
                name="metric_actual_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["metric", "team", "period_start"],
                condition=Q(team__isnull=False),
                name="metric_actual_once_per_team",
            ),
        ]
        indexes = [models.Index(fields=["metric", "period_start"], name="metric_actual_period")]

    def __str__(self):
        who = f"person {self.person_id}" if self.person_id else f"team {self.team_id}"
        return f"{self.metric_id} for {who} from {self.period_start}: {self.value}"


class DashboardSnapshot(models.Model):
    """The dashboard's figures for one program and scope (whole org or one region), precomputed.

    Written by `snapshot_refresh` (a periodic job); `data` is the JSON the dashboard reads,
    `computed_at` tells the reader how fresh it is. `region_key` is 0 for the whole org.
    """

    class Scope(models.TextChoices):
        ORG = "org", "Whole organisation"
        REGION = "region", "Region"

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="snapshots")
    scope = models.CharField(max_length=10, choices=Scope.choices)
    region_key = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["program_id", "region_key"]
        constraints = [
            models.UniqueConstraint(fields=["program", "region_key"], name="snapshot_once_per_scope"),
        ]

    def __str__(self):
        when = f"{self.computed_at:%Y-%m-%d %H:%M}"
        return f"Snapshot of {self.program_id} ({self.scope} {self.region_key}) at {when}"
