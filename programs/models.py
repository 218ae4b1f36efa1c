"""Programs: what must change (readiness) and how the training rolls out (design).

This app knows nothing of people, cohorts or nudges: scopes such as a pilot group or the
order of waves are stored as names (regions, locations, teams, account groups) that the
cohorts app resolves against the org chart.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Metric(models.Model):
    """A sales metric a program can set out to move (catalogue, extensible by leads)."""

    class Direction(models.TextChoices):
        UP = "up", "Higher is better"
        DOWN = "down", "Lower is better"

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    default_unit = models.CharField(max_length=30, blank=True)
    default_direction = models.CharField(max_length=4, choices=Direction.choices, default=Direction.UP)
    is_builtin = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Skill(models.Model):
    """A money-making skill or behaviour (catalogue, extensible by leads)."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    is_builtin = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Program(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        READY = "ready", "Ready"
        LAUNCHED = "launched", "Launched"
        CLOSED = "closed", "Closed"

    class Urgency(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    class Participation(models.TextChoices):
        MANDATORY = "mandatory", "Mandatory"
        SUGGESTED = "suggested", "Suggested"
        SELECTED = "selected", "Selected"
        OPTIONAL = "optional", "Optional"

    class Rollout(models.TextChoices):
        PILOT = "pilot", "Pilot first"
        TOP_DOWN = "top_down", "Top-down"
        AS_AVAILABLE = "as_available", "As available"
        BY_LOCATION = "by_location", "By location"
        BY_GROUP = "by_group", "By account, group, team or initiative"

    class ParticipantMix(models.TextChoices):
        CROSS_FUNCTIONAL = "cross_functional", "Cross-functional / cross-level"
        INTACT_TEAMS = "intact_teams", "Intact sales teams"

    class GroupKind(models.TextChoices):
        """What a by-group rollout groups people by (resolved by the cohorts app)."""

        ACCOUNT_GROUP = "account_group", "Account group / initiative"
        TEAM = "team", "Team"
        REGION = "region", "Region"

    name = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_programs"
    )
    audience_description = models.TextField(blank=True)
    start_date = models.DateField(null=True, blank=True, help_text="Start of the training window.")
    end_date = models.DateField(null=True, blank=True, help_text="End of the training window.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)

    # Context that shapes the recommendations.
    sales_strategy = models.TextField(blank=True)
    sales_culture = models.TextField(blank=True)
    culture_autonomy = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="How much the sales culture prizes individual choice (1 = directive, 5 = autonomous).",
    )
    budget_per_head = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    business_outcomes = models.TextField(blank=True)
    learning_outcomes = models.TextField(blank=True)
    learning_maturity = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    audience_size = models.PositiveIntegerField(null=True, blank=True)
    location_count = models.PositiveIntegerField(null=True, blank=True)
    compliance_required = models.BooleanField(default=False)
    is_foundational = models.BooleanField(
        default=False, help_text="Core skills everyone in the audience needs (as opposed to advanced)."
    )
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.MEDIUM)
    manager_coaching_capacity = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="How much time and skill front-line managers have for coaching (1 = little, 5 = plenty).",
    )

    # Rollout design (chosen once readiness is complete).
    participation = models.CharField(max_length=20, choices=Participation.choices, blank=True)
    participation_criteria = models.JSONField(
        default=dict,
        blank=True,
        help_text='Suggested: who qualifies, e.g. {"levels": ["individual"], "functions": ["field_sales"], '
        '"regions": ["EMEA"], "note": "..."}. Selected: the nomination process in "note".',
    )
    rollout = models.CharField(max_length=20, choices=Rollout.choices, blank=True)
    rollout_group_kind = models.CharField(max_length=20, choices=GroupKind.choices, blank=True)
    wave_order = models.JSONField(
        default=list, blank=True, help_text="By location / by group: names in the order of the waves."
    )
    pilot_scope = models.JSONField(
        default=dict, blank=True, help_text='Pilot: who is in the pilot, e.g. {"teams": ["DACH"]}.'
    )
    holdout_scope = models.JSONField(
        default=dict, blank=True, help_text="Pilot: a comparable control group, same shape as pilot_scope."
    )
    participant_mix = models.CharField(max_length=20, choices=ParticipantMix.choices, blank=True)
    managers_with_reps = models.BooleanField(
        default=False,
        help_text="Managers attend with their reps instead of in an earlier session.",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return self.name


class ProgramMetric(models.Model):
    """A success metric the program must move, with its baseline and target."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="metrics")
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="program_metrics")
    baseline = models.DecimalField(max_digits=14, decimal_places=2)
    target = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField(max_length=30)
    direction = models.CharField(max_length=4, choices=Metric.Direction.choices)
    horizon_months = models.PositiveSmallIntegerField(help_text="Months after launch to reach the target.")
    data_source = models.CharField(max_length=200)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "metric"], name="program_metric_once"),
        ]

    def __str__(self):
        return f"{self.metric}: {self.baseline} → {self.target} {self.unit}"


class ProgramSkill(models.Model):
    """A money-making skill the program trains, linked to the metric(s) it moves."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="program_skills")
    moves_metrics = models.ManyToManyField(ProgramMetric, related_name="skills", blank=True)
    why_it_matters = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["program", "skill"], name="program_skill_once")]

    def __str__(self):
        return str(self.skill)
