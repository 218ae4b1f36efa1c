"""Reinforcement: stages of mastery, retrieval questions, the nudge outbox and coaching.

Depends on `programs` (skills, programs) and `cohorts` (people); nothing depends on it.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from rolloutplanner.jobs import JobProgress


class Stage(models.TextChoices):
    """The five stages of mastery, in order, plus the state before any evidence."""

    NOT_STARTED = "not_started", "Not started"
    LEARN = "learn", "Learn"
    REMEMBER = "remember", "Remember"
    PRACTICE = "practice", "Practice"
    APPLY = "apply", "Apply"
    MASTER = "master", "Master"

    @classmethod
    def rank(cls, value):
        return _STAGE_RANKS[value]


_STAGE_RANKS = {value: index for index, value in enumerate(Stage.values)}


class ReinforcementRules(models.Model):
    """Per-program evidence thresholds and nudge policy (defaults when a program has none).

    Use `ReinforcementRules.for_program(program)`: it returns the saved rules or an unsaved
    instance carrying the defaults, so reads never write.
    """

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="reinforcement_rules"
    )
    # Stage evidence
    pass_score = models.PositiveSmallIntegerField(
        default=70,
        validators=[MaxValueValidator(100)],
        help_text="Post-assessment score (0–100) that passes.",
    )
    require_attendance = models.BooleanField(
        default=True, help_text="Learn also needs attendance at a training session of the program."
    )
    remember_stability_days = models.PositiveSmallIntegerField(
        default=7, help_text="Average recall stability (days) across answered questions for Remember."
    )
    practice_min_sessions = models.PositiveSmallIntegerField(
        default=2, help_text="Role plays or 1:1 practice ratings needed for Practice."
    )
    practice_min_rating = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    master_stability_days = models.PositiveSmallIntegerField(default=60)
    master_min_high_ratings = models.PositiveSmallIntegerField(
        default=3, help_text="Coaching ratings of 4 or 5 needed, plus the manager's sign-off, for Master."
    )
    # Nudges. The spacing policy picks its desired retention within these bounds; the defaults
    # are the spacing module's, the ones `make simulate` measures.
    retention_min = models.FloatField(
        default=0.84,
        validators=[MinValueValidator(0.7), MaxValueValidator(0.97)],
        help_text=(
            "Lowest desired retention the spacing policy may pick: the predicted recall at which a"
            " memory of 10 days is asked again (stronger ones a little higher, weaker ones lower)."
        ),
    )
    retention_max = models.FloatField(
        default=0.86,
        validators=[MinValueValidator(0.7), MaxValueValidator(0.97)],
        help_text="Highest desired retention the spacing policy may pick.",
    )
    maximum_interval_days = models.PositiveSmallIntegerField(
        default=180,
        # At least the spacing module's minimum interval (2 days), at most ten years.
        validators=[MinValueValidator(2), MaxValueValidator(3650)],
        help_text="Longest gap, in days (2–3650), before a question is asked again.",
    )
    daily_question_cap = models.PositiveSmallIntegerField(default=2, validators=[MinValueValidator(1)])
    quiet_hours_start = models.PositiveSmallIntegerField(
        default=19, validators=[MaxValueValidator(23)], help_text="Local hour from which no questions go out."
    )
    quiet_hours_end = models.PositiveSmallIntegerField(
        default=8, validators=[MaxValueValidator(23)], help_text="Local hour from which questions may go out."
    )
    skip_weekends = models.BooleanField(default=True)
    retire_stability_days = models.PositiveSmallIntegerField(
        default=90,
        help_text="A question retires once its stability reaches this and its latest answers were right.",
    )
    resend_after_hours = models.PositiveSmallIntegerField(default=48)
    max_resends = models.PositiveSmallIntegerField(default=2)
    unanswered_pause_days = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(1)],
        help_text="Days before a question whose reminders all went unanswered is asked again.",
    )
    # Not rules: when saved rules last asked for the stages to be recomputed in the background,
    # when a recompute of this program last started, and why the latest asked one did not run.
    stages_queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    stages_recomputed_at = models.DateTimeField(null=True, blank=True, editable=False)
    stages_note = models.CharField(max_length=300, blank=True, editable=False)

    DEFAULT_COACHING_CADENCE_DAYS = 14

    class Meta:
        verbose_name_plural = "reinforcement rules"

    def __str__(self):
        return f"Reinforcement rules for {self.program}"

    @property
    def coaching_cadence_days(self):
        """Expected days between coaching conversations per seller: the program's reinforcement
        plan decides it (its cadence and conversations per rep), else two weeks."""
        plan = getattr(self.program, "reinforcement_plan", None) if self.program_id else None
        days = plan.coaching_interval_days() if plan else None
        return days or self.DEFAULT_COACHING_CADENCE_DAYS

    @classmethod
    def for_program(cls, program):
        try:
            return program.reinforcement_rules
        except cls.DoesNotExist:
            return cls(program=program)


class ProgramSpacing(models.Model):
    """The spacing policy a program uses: `reinforcement.spacing.Spacing` params (FSRS weights,
    desired retention, and the fit's metadata). No row means the default policy; the lead's
    bounds and intervals in ReinforcementRules always apply on top (`scheduling.policy_for`).
    Written only by `services.fitting`.
    """

    program = models.OneToOneField("programs.Program", on_delete=models.CASCADE, related_name="spacing")
    params = models.JSONField(default=dict, blank=True)
    fitted_at = models.DateTimeField(null=True, blank=True)
    review_count = models.PositiveIntegerField(default=0, help_text="Review logs the last fit saw.")
    fitting_enabled = models.BooleanField(
        default=True, help_text="Off once the lead goes back to the defaults, until they turn it on again."
    )
    policy_version = models.PositiveIntegerField(
        default=0,
        help_text="Goes up at every change of the policy (its params or the lead's bounds); "
        "a rescheduling job carries the version it was started for.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Spacing policy of {self.program}"


class RescheduleJob(JobProgress, models.Model):
    """Rescheduling a program's answered cards from their history under its current spacing
    policy, in the background (`services.rescheduling`); the rules page shows its progress.

    `policy_version` is the `ProgramSpacing.policy_version` the job was started for: when the
    policy changes again the job stops as superseded, and the job of the newer version
    reschedules every card.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Rescheduling"
        SUCCEEDED = "succeeded", "Done"
        FAILED = "failed", "Failed"
        SUPERSEDED = "superseded", "Replaced by a newer change"

    class Trigger(models.TextChoices):
        FIT = "fit", "Nightly fit"
        DEFAULTS = "defaults", "Back to the default weights"
        RULES = "rules", "Spacing rules changed"
        RETRY = "retry", "Started again"

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="reschedule_jobs")
    policy_version = models.PositiveIntegerField()
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=300, blank=True)

    lost_message = (
        "The rescheduling stopped without finishing (its worker was lost or it ran past {minutes} "
        "minutes); some questions may still follow the earlier policy. Start it again."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["program", "-id"], name="reschedule_job_program_latest")]

    def __str__(self):
        return f"Rescheduling of {self.program}, policy {self.policy_version} ({self.get_status_display()})"

    @property
    def is_finished(self):
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED, self.Status.SUPERSEDED}


class SkillStage(models.Model):
    """Where one seller stands on one skill of one program; changes only through services.

    `evidence` holds the evidence at the last move; every move is also kept as a StageEvent.
    """

    person = models.ForeignKey("cohorts.Person", on_delete=models.CASCADE, related_name="skill_stages")
    program_skill = models.ForeignKey(
        "programs.ProgramSkill", on_delete=models.CASCADE, related_name="skill_stages"
    )
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.NOT_STARTED)
    evidence = models.JSONField(default=dict, blank=True)  # at the last move
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["person_id", "program_skill_id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "program_skill"], name="skill_stage_once"),
        ]
        indexes = [models.Index(fields=["program_skill", "stage"])]

    def __str__(self):
        return f"{self.person} · {self.program_skill}: {self.get_stage_display()}"

    @property
    def rank(self):
        return Stage.rank(self.stage)


class StageEvent(models.Model):
    """Append-only history: what moved whom, when and why."""

    skill_stage = models.ForeignKey(SkillStage, on_delete=models.CASCADE, related_name="events")
    from_stage = models.CharField(max_length=12, choices=Stage.choices)
    to_stage = models.CharField(max_length=12, choices=Stage.choices)
    reason = models.CharField(max_length=300)
    evidence = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.from_stage} → {self.to_stage}: {self.reason}"

    @property
    def is_fall_back(self):
        return Stage.rank(self.to_stage) < Stage.rank(self.from_stage)


class Question(models.Model):
    """A multiple-choice retrieval question about one skill, authored by the lead."""

    skill = models.ForeignKey("programs.Skill", on_delete=models.CASCADE, related_name="questions")
    prompt = models.TextField()
    choices = models.JSONField(help_text="The answer options, in display order.")
    correct_index = models.PositiveSmallIntegerField()
    explanation = models.TextField(help_text="Shown after answering, right or wrong.")
    is_active = models.BooleanField(default=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["skill__name", "id"]

    def __str__(self):
        return self.prompt[:80]

    @property
    def correct_choice(self):
        return self.choices[self.correct_index]


class CardQuerySet(models.QuerySet):
    def waiting(self, now):
        """Cards waiting for the seller's answer: the one rule behind the inbox, the counts
        and accepting an answer. Not retired, active question, program running (launched, not
        yet closed), and due or with an open (delivered, unanswered) nudge, whichever comes first."""
        return self.filter(
            retired_at__isnull=True, question__is_active=True, program__status="launched"
        ).filter(self.askable(now))

    @staticmethod
    def askable(now):
        """The part of `waiting` that only reads the card's own row (safe in a conditional UPDATE)."""
        open_nudge = Nudge.objects.filter(
            card=models.OuterRef("pk"), status=Nudge.Status.SENT, answered_at__isnull=True
        )
        return Q(retired_at__isnull=True) & (Q(due_at__lte=now) | models.Exists(open_nudge))


class Card(models.Model):
    """One seller's spaced-repetition state for one question of one program.

    `memory` is the spacing policy's memory (`reinforcement.spacing`, JSON); `stability`,
    `difficulty`, `last_review_at`, `state`, `due_at` and `retired_at` mirror it for queries
    and are written together with it (`reinforcement.scheduling.apply_memory`).
    """

    class State(models.IntegerChoices):
        LEARNING = 1, "Learning"
        REVIEW = 2, "Review"
        RELEARNING = 3, "Relearning"

    person = models.ForeignKey("cohorts.Person", on_delete=models.CASCADE, related_name="cards")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="cards")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="cards")
    state = models.PositiveSmallIntegerField(choices=State.choices, default=State.LEARNING)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due_at = models.DateTimeField()
    last_review_at = models.DateTimeField(null=True, blank=True)
    reviews = models.PositiveIntegerField(default=0)
    last_rating = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="FSRS rating of the latest answer (1 = Again, i.e. a lapse)."
    )
    lapses = models.PositiveIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)
    memory = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CardQuerySet.as_manager()

    class Meta:
        ordering = ["due_at"]
        # One card per seller, question and program: each program keeps its own evidence.
        constraints = [
            models.UniqueConstraint(fields=["person", "question", "program"], name="card_once_per_program")
        ]
        indexes = [models.Index(fields=["due_at"], name="card_due", condition=Q(retired_at__isnull=True))]

    def __str__(self):
        return f"Card {self.pk}: {self.person_id} / question {self.question_id}"


class ReviewLog(models.Model):
    """Append-only record of each answer, with the recall FSRS predicted at that moment.

    `sequence` is the card's review count after this answer: unique per card, so two
    racing submissions of the same question can never both be written.
    """

    class Rating(models.IntegerChoices):
        AGAIN = 1, "Again"
        HARD = 2, "Hard"
        GOOD = 3, "Good"
        EASY = 4, "Easy"

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="review_logs")
    nudge = models.ForeignKey("Nudge", on_delete=models.SET_NULL, null=True, blank=True)
    chosen_index = models.PositiveSmallIntegerField()
    is_correct = models.BooleanField()
    confidence = models.CharField(max_length=10, blank=True)
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    predicted_recall = models.FloatField(null=True, blank=True)
    stability_after = models.FloatField()
    due_after = models.DateTimeField()
    reviewed_at = models.DateTimeField(db_index=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["card", "sequence"], name="review_once_per_card_sequence"),
            models.UniqueConstraint(
                fields=["nudge"], condition=Q(nudge__isnull=False), name="review_once_per_nudge"
            ),
        ]

    def __str__(self):
        return f"Review of card {self.card_id}: {self.get_rating_display()}"


class Leave(models.Model):
    """A period in which a seller gets no questions (holiday, parental leave...)."""

    person = models.ForeignKey("cohorts.Person", on_delete=models.CASCADE, related_name="leaves")
    starts_on = models.DateField()
    ends_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="leave_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.person} away {self.starts_on}–{self.ends_on}"


class Nudge(models.Model):
    """A row in the transactional outbox: something to deliver to one person once.

    Lifecycle: pending → claimed (by a dispatcher, with a lease) → sent → answered; a claim
    whose lease expires goes back to pending (reaper). `idempotency_key` is unique, so
    planning the same nudge twice is a no-op; `Delivery` rows are unique per channel, so a
    nudge is recorded as delivered at most once per channel.
    """

    class Kind(models.TextChoices):
        QUESTION = "question", "Retrieval question"
        DIGEST = "digest", "Manager digest"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CLAIMED = "claimed", "Claimed"
        SENT = "sent", "Sent"
        ANSWERED = "answered", "Answered"
        EXPIRED = "expired", "Expired unanswered"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.QUESTION)
    person = models.ForeignKey("cohorts.Person", on_delete=models.CASCADE, related_name="nudges")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, null=True, blank=True, related_name="nudges")
    payload = models.JSONField(default=dict, blank=True)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    resend_number = models.PositiveSmallIntegerField(default=0)
    lease_token = models.UUIDField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=120, unique=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-due_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="nudge_status_due"),
            models.Index(fields=["status", "lease_expires_at"], name="nudge_status_lease"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.person_id} ({self.status})"

    @staticmethod
    def new_lease_token():
        return uuid.uuid4()

    @staticmethod
    def lease_until(now, seconds):
        return now + timedelta(seconds=seconds)


class Delivery(models.Model):
    """Proof that a nudge reached a channel; at most one per (nudge, channel)."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        INBOX = "inbox", "In-app inbox"

    nudge = models.ForeignKey(Nudge, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    delivered_at = models.DateTimeField()
    worker = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [models.UniqueConstraint(fields=["nudge", "channel"], name="delivery_once_per_channel")]

    def __str__(self):
        return f"{self.nudge_id} via {self.channel}"


class CoachingSession(models.Model):
    """A coaching conversation a manager logged, with ratings per seller and skill."""

    class Kind(models.TextChoices):
        ONE_ON_ONE = "one_on_one", "1:1"
        ROLE_PLAY = "role_play", "Role play"
        RIDE_ALONG = "ride_along", "Ride-along"
        CALL_REVIEW = "call_review", "Call review"
        TEAM_MEETING = "team_meeting", "Team meeting"

    PRACTICE_KINDS = (Kind.ROLE_PLAY, Kind.ONE_ON_ONE, Kind.TEAM_MEETING)
    APPLICATION_KINDS = (Kind.RIDE_ALONG, Kind.CALL_REVIEW)

    manager = models.ForeignKey("cohorts.Person", on_delete=models.PROTECT, related_name="coaching_given")
    program = models.ForeignKey(
        "programs.Program", on_delete=models.SET_NULL, null=True, blank=True, related_name="coaching_sessions"
    )
    kind = models.CharField(max_length=15, choices=Kind.choices)
    occurred_on = models.DateField()
    sellers = models.ManyToManyField("cohorts.Person", related_name="coaching_received")
    notes = models.TextField(blank=True)
    next_step = models.CharField(max_length=300, blank=True)
    next_step_due = models.DateField(null=True, blank=True)
    next_step_done = models.BooleanField(default=False)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.occurred_on}"


class CoachingRating(models.Model):
    """A 1–5 rubric rating of one seller on one skill in a coaching session."""

    RUBRIC = {
        1: "Not yet: the behaviour did not show up, even with prompting.",
        2: "Emerging: attempted, but missing key steps or only when prompted.",
        3: "Competent: the core steps are there and used without prompting.",
        4: "Strong: used fluently and adapted to the buyer.",
        5: "Role model: could teach it; used consistently with real buyers.",
    }

    session = models.ForeignKey(CoachingSession, on_delete=models.CASCADE, related_name="ratings")
    seller = models.ForeignKey("cohorts.Person", on_delete=models.CASCADE, related_name="coaching_ratings")
    skill = models.ForeignKey("programs.Skill", on_delete=models.PROTECT, related_name="coaching_ratings")
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    signs_off_mastery = models.BooleanField(
        default=False, help_text="The manager judges the seller has mastered this skill."
    )

    class Meta:
        ordering = ["session_id", "seller_id", "skill_id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "seller", "skill"], name="coaching_rating_once"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="coaching_rating_1_to_5"),
        ]

    def __str__(self):
        return f"{self.seller_id} on {self.skill_id}: {self.rating}/5"


class ActionPlan(models.Model):
    """What a seller will do with a skill on a real opportunity, and whether it was seen."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        OBSERVED = "observed", "Observed by manager"

    person = models.ForeignKey("cohorts.Person", on_delete=models.CASCADE, related_name="action_plans")
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, null=True, blank=True, related_name="action_plans"
    )
    skill = models.ForeignKey("programs.Skill", on_delete=models.PROTECT, related_name="action_plans")
    customer = models.CharField(max_length=200, help_text="Customer or opportunity.")
    commitment = models.TextField(help_text="What you will do.")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    observed_by = models.ForeignKey(
        "cohorts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    observed_at = models.DateTimeField(null=True, blank=True)
    observation = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"{self.person}: {self.commitment[:60]}"


class AssessmentResult(models.Model):
    """A scored pre- or post-training assessment of one seller on one program skill."""

    class Kind(models.TextChoices):
        PRE = "pre", "Before training"
        POST = "post", "After training"

    person = models.ForeignKey("cohorts.Person", on_delete=models.CASCADE, related_name="assessments")
    program_skill = models.ForeignKey(
        "programs.ProgramSkill", on_delete=models.CASCADE, related_name="assessment_results"
    )
    kind = models.CharField(max_length=4, choices=Kind.choices)
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    taken_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "program_skill", "kind"], name="assessment_once_per_kind"
            ),
            models.CheckConstraint(condition=Q(score__lte=100), name="assessment_score_max_100"),
        ]

    def __str__(self):
        return f"{self.person} {self.kind} {self.program_skill}: {self.score}"


class FeedbackResponse(models.Model):
    """A participant's rating (1–5) and comments on one training session."""

    session = models.ForeignKey("cohorts.Session", on_delete=models.CASCADE, related_name="feedback")
    person = models.ForeignKey("cohorts.Person", on_delete=models.CASCADE, related_name="session_feedback")
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comments = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="feedback_once_per_session"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"),
        ]

    def __str__(self):
        return f"{self.person_id} on session {self.session_id}: {self.rating}/5"
