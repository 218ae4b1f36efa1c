"""Role-play scenarios, practice attempts, reviews, certification, points and competitions.

Depends on `programs` (skills), `cohorts` (people) and `reinforcement` (stages); the stage
rules read scored practice and certificates through `practice.selectors`.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class Scenario(models.Model):
    """A role-play situation for one skill, with the rubric reviewers score against.

    `rubric` is a list of {"criterion": str, "levels": [five strings, for scores 1..5]}.
    """

    skill = models.ForeignKey("programs.Skill", on_delete=models.CASCADE, related_name="scenarios")
    title = models.CharField(max_length=200)
    situation = models.TextField(help_text="What the seller walks into: the account, the moment, the stakes.")
    buyer_role = models.CharField(
        max_length=200, help_text="Who the seller talks to, e.g. 'CFO of a retailer'."
    )
    objections = models.TextField(blank=True, help_text="What the buyer pushes back with, one per line.")
    what_good_looks_like = models.TextField(
        help_text="What a strong answer does, for the seller and reviewers."
    )
    rubric = models.JSONField(default=list)
    is_active = models.BooleanField(default=True)
    is_starter = models.BooleanField(default=False, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["skill__name", "title"]
        constraints = [
            models.UniqueConstraint(fields=["skill", "title"], name="scenario_title_once_per_skill")
        ]

    def __str__(self):
        return self.title

    @property
    def objection_list(self):
        return [line.strip() for line in self.objections.splitlines() if line.strip()]


class Attempt(models.Model):
    """One answer of a seller to a scenario: written, or an audio/video recording.

    A recording is `uploading` until every byte arrived and its content was checked; only
    `submitted` and `reviewed` attempts are shown to reviewers. Reruns are new attempts with
    the next `number`.

    Evidence belongs to a program: a scenario serves a skill in every program that trains
    it, so the attempt names the program the seller practised for, and counts (stages,
    points, certificates, dashboards) only there. `program` is empty only for attempts made
    before this was recorded that no program could be told for: they count nowhere.
    """

    class Kind(models.TextChoices):
        WRITTEN = "written", "Written"
        AUDIO = "audio", "Audio"
        VIDEO = "video", "Video"

    class Status(models.TextChoices):
        UPLOADING = "uploading", "Uploading"
        SUBMITTED = "submitted", "Waiting for review"
        REVIEWED = "reviewed", "Reviewed"

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="attempts")
    person = models.ForeignKey("cohorts.Person", on_delete=models.CASCADE, related_name="practice_attempts")
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="practice_attempts",
    )
    number = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(blank=True)
    recording = models.FileField(upload_to="practice/%Y/%m/", blank=True, max_length=300)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.BigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["person", "scenario"]),
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["program", "status"], name="attempt_program_status"),
        ]

    def __str__(self):
        return f"Attempt {self.number} of {self.person_id} on {self.scenario_id}"

    @property
    def is_recording(self):
        return self.kind in (self.Kind.AUDIO, self.Kind.VIDEO)


class Upload(models.Model):
    """A resumable recording upload: bytes are appended in order; `received` is the offset acked."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="upload")
    declared_type = models.CharField(max_length=100)
    total_size = models.BigIntegerField()
    received = models.BigIntegerField(default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    def __str__(self):
        return f"Upload {self.id}: {self.received}/{self.total_size}"


class ReviewerAssignment(models.Model):
    """A peer the lead asks to review a seller's practice in a program (the mentor network)."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="practice_reviewers"
    )
    seller = models.ForeignKey("cohorts.Person", on_delete=models.CASCADE, related_name="practice_reviewers")
    reviewer = models.ForeignKey(
        "cohorts.Person", on_delete=models.CASCADE, related_name="practice_reviewees"
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "seller", "reviewer"], name="reviewer_assigned_once"),
            models.CheckConstraint(condition=~Q(seller=models.F("reviewer")), name="reviewer_not_self"),
        ]

    def __str__(self):
        return f"{self.reviewer_id} reviews {self.seller_id}"


class Review(models.Model):
    """A reviewer's rubric scores (1–5 per criterion) and comment on one attempt."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey("cohorts.Person", on_delete=models.PROTECT, related_name="practice_reviews")
    by_manager = models.BooleanField(default=False)
    scores = models.JSONField(default=list)  # one 1–5 per rubric criterion, in rubric order
    score = models.DecimalField(max_digits=3, decimal_places=2)  # mean of `scores`
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "reviewer"], name="review_once_per_reviewer")
        ]

    def __str__(self):
        return f"Review of attempt {self.attempt_id}: {self.score}"


class TimedComment(models.Model):
    """A reviewer's remark at a moment of a recording (seconds from the start)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="timed_comments")
    at_seconds = models.PositiveIntegerField()
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["at_seconds", "id"]

    def __str__(self):
        return f"{self.at_seconds}s: {self.text[:40]}"


class CertificationRule(models.Model):
    """For Master on this program skill, a manager-reviewed attempt scoring at least `threshold`."""

    program_skill = models.OneToOneField(
        "programs.ProgramSkill", on_delete=models.CASCADE, related_name="certification_rule"
    )
    threshold = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Mean rubric score (1–5) a manager must give.",
    )
    valid_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Days a certificate stays valid; empty = it does not expire."
    )

    def __str__(self):
        return f"Certification for {self.program_skill}"


class Certificate(models.Model):
    """Proof that a manager scored a seller's attempt at or above the program skill's threshold."""

    person = models.ForeignKey(
        "cohorts.Person", on_delete=models.CASCADE, related_name="practice_certificates"
    )
    program_skill = models.ForeignKey(
        "programs.ProgramSkill", on_delete=models.CASCADE, related_name="certificates"
    )
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="certificates")
    reviewer = models.ForeignKey(
        "cohorts.Person", on_delete=models.PROTECT, related_name="certificates_given"
    )
    score = models.DecimalField(max_digits=3, decimal_places=2)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["review", "program_skill"], name="certificate_once_per_review")
        ]

    def __str__(self):
        return f"Certificate {self.person_id} · {self.program_skill_id}"

    def is_valid(self, now):
        return self.expires_at is None or self.expires_at > now


class PointsSettings(models.Model):
    """Per-program switch for points, leaderboards, badges and competitions (on by default)."""

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="points_settings"
    )
    enabled = models.BooleanField(default=True)

    def __str__(self):
        return f"Points for {self.program}: {'on' if self.enabled else 'off'}"

    @classmethod
    def enabled_for(cls, program):
        return not cls.objects.filter(program=program, enabled=False).exists()


class PointEntry(models.Model):
    """A line of the points ledger. `source_key` names the record it was earned from, so
    recomputing the ledger never counts the same thing twice."""

    class Kind(models.TextChoices):
        ANSWER = "answer", "Review question answered on time"
        STREAK = "streak", "Weekly streak"
        PRACTICE = "practice", "Scored practice"
        CERTIFICATE = "certificate", "Certified skill"
        STAGE = "stage", "Stage reached"

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="point_entries")
    person = models.ForeignKey("cohorts.Person", on_delete=models.CASCADE, related_name="point_entries")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    points = models.PositiveSmallIntegerField()
    source_key = models.CharField(max_length=120)
    note = models.CharField(max_length=200, blank=True)
    earned_at = models.DateTimeField()

    class Meta:
        ordering = ["-earned_at", "-id"]
        verbose_name_plural = "point entries"
        constraints = [
            models.UniqueConstraint(fields=["program", "source_key"], name="points_once_per_source")
        ]
        indexes = [models.Index(fields=["program", "earned_at"])]

    def __str__(self):
        return f"{self.points} to {self.person_id} for {self.source_key}"


class Competition(models.Model):
    """Teams of a program compete over a date range on points per head."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="competitions")
    name = models.CharField(max_length=150)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="competition_ends_after_start"
            )
        ]

    def __str__(self):
        return self.name


class PracticeProfile(models.Model):
    """A seller's choices about the leaderboard."""

    person = models.OneToOneField("cohorts.Person", on_delete=models.CASCADE, related_name="practice_profile")
    hide_name = models.BooleanField(
        default=False, help_text="Show me as 'a colleague' to others on leaderboards."
    )

    def __str__(self):
        return f"Practice profile of {self.person_id}"
