"""Programs: what must change (readiness) and how the training rolls out (design).

This app knows nothing of people, cohorts or nudges: scopes such as a pilot group or the
order of waves are stored as names (regions, locations, teams, account groups) that the
cohorts app resolves against the org chart.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse


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

    # Readiness: more than two success metrics only with a stated reason ("the critical few").
    metrics_reason = models.TextField(blank=True)

    # Capacity for change (readiness): blank until the lead answers the short check.
    capacity_recent_changes = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="How much change the sales team absorbed in the last year (1 = little, 5 = a lot).",
    )
    capacity_competing_initiatives = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Other initiatives competing for sellers' time now (1 = none, 5 = many).",
    )
    capacity_manager_bandwidth = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Room managers have to lead one more change (1 = none, 5 = plenty).",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:detail", args=[self.pk])


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


class SkillGap(models.Model):
    """Where one audience segment stands on one program skill before training."""

    class Source(models.TextChoices):
        TYPED = "typed", "Typed in by the lead"
        PRE_ASSESSMENT = "pre_assessment", "Pre-assessment"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="skill_gaps")
    program_skill = models.ForeignKey(ProgramSkill, on_delete=models.CASCADE, related_name="gaps")
    segment = models.CharField(max_length=100, help_text="A role, region or team, e.g. 'Account executives'.")
    strengths = models.TextField(blank=True)
    limiters = models.TextField(blank=True)
    baseline_proficiency = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)], help_text="1 = novice, 5 = expert."
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.TYPED)

    class Meta:
        ordering = ["program_skill_id", "segment"]
        constraints = [
            models.UniqueConstraint(fields=["program_skill", "segment"], name="skill_gap_once_per_segment"),
        ]

    def __str__(self):
        return f"{self.program_skill} / {self.segment}"


class ReinforcementPlan(models.Model):
    """How the behaviour change is coached, reinforced and measured after training."""

    class Method(models.TextChoices):
        MANAGER_COACHING = "manager_coaching", "Manager coaching"
        SPACED_RETRIEVAL = "spaced_retrieval", "Spaced retrieval questions"
        ROLE_PLAY = "role_play", "Role-play practice"
        CALL_REVIEWS = "call_reviews", "Ride-alongs and call reviews"
        PEER_NETWORK = "peer_network", "Peer or mentor network"
        GAMIFICATION = "gamification", "Gamification"

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", "Weekly"
        FORTNIGHTLY = "fortnightly", "Every two weeks"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="reinforcement_plan")
    methods = models.JSONField(default=list, blank=True, help_text="Values of ReinforcementPlan.Method.")
    coaching_cadence = models.CharField(max_length=20, choices=Cadence.choices, blank=True)
    coaching_sessions_per_rep = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Coaching conversations each manager holds per rep in that period."
    )
    owner = models.CharField(max_length=150, blank=True, help_text="Who answers for reinforcement.")
    leading_indicators = models.TextField(blank=True, help_text="Behaviour: practice done, coaching held.")
    lagging_indicators = models.TextField(blank=True, help_text="Results: the success metrics moving.")
    notes = models.TextField(blank=True)

    def __str__(self):
        return f"Reinforcement plan for {self.program}"

    def method_labels(self):
        return [self.Method(m).label for m in self.methods if m in self.Method.values]

    CADENCE_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 30, "quarterly": 91}

    def coaching_interval_days(self):
        """Days a rep may go without a coaching conversation, as this plan sets it: the cadence's
        period split by the conversations per rep in it (monthly, twice = 15). None when unset.

        This is the one source of the coaching cadence; the reinforcement rules read it."""
        period = self.CADENCE_DAYS.get(self.coaching_cadence)
        if period is None:
            return None
        return max(1, round(period / max(1, self.coaching_sessions_per_rep or 1)))


class DesignDecision(models.Model):
    """The lead's choice for one rollout decision, next to what the app recommended then."""

    class Kind(models.TextChoices):
        PARTICIPATION = "participation", "Participation"
        ROLLOUT = "rollout", "Rollout"
        PARTICIPANT_MIX = "participant_mix", "Participant mix"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    chosen = models.CharField(max_length=20)
    recommended = models.CharField(max_length=20)
    recommendation_summary = models.TextField(blank=True)
    rationale = models.TextField(
        blank=True, help_text="Required when the choice overrides the recommendation."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["program_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["program", "kind"], name="one_decision_per_kind")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.chosen}"

    @property
    def is_override(self):
        return self.chosen != self.recommended


class BuyInPlan(models.Model):
    """Why the change matters and what leadership commits to, before launch."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="buy_in")
    why_message = models.TextField(blank=True, help_text="What changed in the market.")
    status_quo_risk = models.TextField(blank=True, help_text="Why carrying on as today is not OK.")
    leadership_actions = models.TextField(blank=True, help_text="What leaders will do differently.")
    expectations = models.TextField(
        blank=True,
        help_text="What managers and reps are expected to do, and how it is measured and rewarded.",
    )

    def __str__(self):
        return f"Buy-in plan for {self.program}"


class Touchpoint(models.Model):
    """One moment the 'why' is communicated before launch."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail from a leader"
        TOWN_HALL = "town_hall", "Town hall / all-hands"
        TEAM_MEETING = "team_meeting", "Team meeting"
        VIDEO = "video", "Video message"
        ONE_ON_ONE = "one_on_one", "Manager 1:1"
        KICKOFF = "kickoff", "Sales kickoff"
        CHAT = "chat", "Chat or intranet post"
        QBR = "qbr", "Business review"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="touchpoints")
    date = models.DateField()
    channel = models.CharField(max_length=20, choices=Channel.choices)
    forum = models.CharField(max_length=150, blank=True, help_text="Audience or forum, e.g. 'EMEA managers'.")
    messenger = models.CharField(max_length=150, help_text="Who delivers it, e.g. 'VP of Sales'.")
    message = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.date} {self.get_channel_display()}"


class ManagerEngagement(models.Model):
    """A front-line manager's part in the program (named, not linked: programs knows no people)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="manager_engagements")
    manager_name = models.CharField(max_length=150)
    team = models.CharField(max_length=100, blank=True)
    helps_tailor = models.BooleanField(default=False, help_text="Helps tailor content and cases.")
    spreads_message = models.BooleanField(default=False, help_text="Carries the 'why' to their team.")
    trained_before_reps = models.BooleanField(default=True, help_text="Goes through the program first.")
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["manager_name", "id"]

    def __str__(self):
        return self.manager_name


class Expectation(models.Model):
    """What leadership, managers or sellers are expected to do after launch, the indicator that
    measures it (from a fixed list the dashboard can compute) and how meeting it is recognised."""

    class Audience(models.TextChoices):
        LEADERSHIP = "leadership", "Leadership"
        MANAGERS = "managers", "Managers"
        SELLERS = "sellers", "Sellers"

    class Indicator(models.TextChoices):
        WEEKLY_REVIEWS = "weekly_reviews", "Weekly leadership reviews held"
        COACHING_CADENCE = "coaching_cadence", "Coaching held against the agreed cadence"
        TEAM_SESSIONS = "team_sessions", "Team reinforcement sessions held"
        QUESTIONS_ANSWERED = "questions_answered", "Retrieval questions answered"
        PRACTICE_ATTEMPTS = "practice_attempts", "Practice attempts reviewed"
        ATTENDANCE = "attendance", "Training sessions attended"
        STAGE_REACHED = "stage_reached", "Sellers at Apply or Master"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="expectations")
    audience = models.CharField(max_length=12, choices=Audience.choices)
    expected = models.CharField(max_length=300, help_text="What is expected after launch.")
    indicator = models.CharField(max_length=24, choices=Indicator.choices)
    target_percent = models.PositiveSmallIntegerField(
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Share that meets it.",
    )
    recognition = models.CharField(max_length=300, blank=True, help_text="How meeting it is recognised.")

    class Meta:
        ordering = ["program_id", "audience", "id"]

    def __str__(self):
        return f"{self.get_audience_display()}: {self.expected}"


class Stakeholder(models.Model):
    """Someone in the change coalition (named: programs knows no people), with the next step."""

    class Kind(models.TextChoices):
        SPONSOR = "sponsor", "Sponsor"
        CHAMPION = "champion", "Champion"
        SKEPTIC = "skeptic", "Skeptic"
        TAILORING_MANAGER = "tailoring_manager", "Manager helping tailor"
        OTHER = "other", "Other stakeholder"

    class Support(models.IntegerChoices):
        OPPOSED = 1, "Opposed"
        DOUBTFUL = 2, "Doubtful"
        NEUTRAL = 3, "Neutral"
        SUPPORTIVE = 4, "Supportive"
        CHAMPIONING = 5, "Championing"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=150, blank=True, help_text="Title or function.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    next_step = models.CharField(max_length=300, blank=True)
    next_step_due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["program_id", "name", "id"]

    def __str__(self):
        return self.name


class SupportCheck(models.Model):
    """A stakeholder's support level on a date; the history shows how the coalition moves."""

    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="support_checks")
    level = models.PositiveSmallIntegerField(choices=Stakeholder.Support.choices)
    noted_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-noted_on", "-id"]

    def __str__(self):
        return f"{self.stakeholder}: {self.get_level_display()} on {self.noted_on}"


class ProgramChange(models.Model):
    """Audit trail: who changed what on a program, and when. Written by services only."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(db_index=True)
    summary = models.CharField(max_length=300)
    details = models.JSONField(
        default=list, blank=True, help_text='Field changes: [{"field": ..., "old": ..., "new": ...}].'
    )

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.summary}"
