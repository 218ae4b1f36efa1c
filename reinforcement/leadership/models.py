"""Leadership follow-through: what turns the plan's reinforcement section into weekly work.

Team reinforcement sessions run from a skill's kit, the weekly leadership brief (sent through
its own outbox) and the review meetings it feeds, recognitions, and fade alarms. Reads
`programs`, `cohorts` and `reinforcement`; nothing but URLs, templates and tags imports it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class TeamSession(models.Model):
    """A reinforcement session a manager runs with their team from one skill's kit.

    Scheduling invites the team (e-mail with an .ics); afterwards the manager records who came
    and a short note. A session counts as held once its attendance is recorded.
    """

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="team_sessions")
    program_skill = models.ForeignKey(
        "programs.ProgramSkill", on_delete=models.CASCADE, related_name="team_sessions"
    )
    manager = models.ForeignKey("cohorts.Person", on_delete=models.PROTECT, related_name="team_sessions_run")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default="UTC")
    where = models.CharField(max_length=200, blank=True, help_text="Room or meeting link.")
    invitees = models.ManyToManyField("cohorts.Person", related_name="team_sessions_invited")
    attendees = models.ManyToManyField("cohorts.Person", related_name="team_sessions_attended", blank=True)
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="team_session_ends_after_start"
            )
        ]
        indexes = [models.Index(fields=["program", "manager"], name="team_session_program_manager")]

    def __str__(self):
        return f"{self.program_skill} with {self.manager} on {self.starts_at:%Y-%m-%d}"

    @property
    def is_held(self):
        return self.recorded_at is not None


class BriefDelivery(models.Model):
    """One weekly leadership brief for one program, week and recipient: a row in its outbox.

    The (program, week, recipient) triple is unique, so planning the week again adds nothing
    and a brief never goes out twice for the same week. Claimed rows carry a lease; a claim
    whose lease runs out (a worker died) goes back to pending.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CLAIMED = "claimed", "Claimed"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="brief_deliveries")
    week = models.DateField(help_text="Monday of the week the brief covers.")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_token = models.UUIDField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-week", "program_id", "recipient_id"]
        verbose_name_plural = "brief deliveries"
        constraints = [
            models.UniqueConstraint(fields=["program", "week", "recipient"], name="brief_once_per_week"),
        ]
        indexes = [models.Index(fields=["status", "lease_expires_at"], name="brief_status_lease")]

    def __str__(self):
        return f"Brief {self.program_id} {self.week} to {self.recipient_id} ({self.status})"

    @property
    def message_id(self):
        return f"<brief.{self.program_id}.{self.week:%Y%m%d}.{self.recipient_id}@rolloutplanner.brief>"


class ReviewMeeting(models.Model):
    """A weekly leadership review of a launched program, as the lead recorded it."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="review_meetings")
    held_on = models.DateField()
    attendees = models.TextField(help_text="Who took part, one name per line.")
    decisions = models.TextField(blank=True, help_text="What was decided.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"Review of {self.program} on {self.held_on}"

    @property
    def attendee_list(self):
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]


class FollowUp(models.Model):
    """An action agreed in a review meeting, with its owner and date."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.CharField(max_length=300)
    owner = models.CharField(max_length=150)
    due_on = models.DateField()
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"{self.action} ({self.owner}, {self.due_on})"


class Recognition(models.Model):
    """A note from a leader recognising a seller or a whole team."""

    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    person = models.ForeignKey(
        "cohorts.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="recognitions"
    )
    team = models.ForeignKey(
        "cohorts.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="recognitions"
    )
    program = models.ForeignKey(
        "programs.Program", on_delete=models.SET_NULL, null=True, blank=True, related_name="recognitions"
    )
    message = models.CharField(max_length=500)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(team__isnull=True))
                | (Q(person__isnull=True) & Q(team__isnull=False)),
                name="recognition_person_xor_team",
            )
        ]

    def __str__(self):
        return f"Recognition of {self.person or self.team}"

    @property
    def recipient_name(self):
        return self.person.full_name if self.person_id else f"Team {self.team.name}"


class FadeAlarm(models.Model):
    """A launched program fading in one team: raised by the daily check, one per team and week.

    `signals` names what fell (adoption, answer rate, stages falling back); `causes` the likely
    reasons read from the same data; `figures` the numbers behind both.
    """

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="fade_alarms")
    team = models.ForeignKey("cohorts.Team", on_delete=models.CASCADE, related_name="fade_alarms")
    manager = models.ForeignKey(
        "cohorts.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="fade_alarms"
    )
    week = models.DateField(help_text="Monday of the week the fade was detected in.")
    signals = models.JSONField(default=list)
    causes = models.JSONField(default=list)
    figures = models.JSONField(default=dict)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-week", "team__name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "team", "week"], name="fade_alarm_once_per_week"),
        ]

    def __str__(self):
        return f"Fade in {self.team} ({self.program}) week of {self.week}"

    @property
    def signal_texts(self):
        from .rules import SIGNAL_TEXT

        return [SIGNAL_TEXT.get(s, s) for s in self.signals]

    @property
    def cause_texts(self):
        from .rules import CAUSE_TEXT

        return [CAUSE_TEXT.get(c, c) for c in self.causes]
