"""Logins linked to people in the org chart: invitations, role changes, account state."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from rolloutplanner.jobs import JobProgress
from rolloutplanner.roles import Role


def new_key():
    return secrets.token_urlsafe(16)


class Account(models.Model):
    """The login side of one person of the org chart (the `User` itself hangs off `Person.user`).

    - `role_override` empty means the role follows the org chart (see `services.default_role_for`);
      a lead or the CSV `role` column sets it.
    - `link_key` goes into every invitation link: changing it (revoke) kills the links sent.
    - `feed_key` goes into the calendar feed URL: changing it (rotate) kills the old URL. Empty
      until the first rotation, so feed URLs already sent (session e-mails) keep working.
    """

    person = models.OneToOneField("cohorts.Person", on_delete=models.CASCADE, related_name="account")
    role_override = models.CharField(max_length=20, choices=Role.choices, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invitation_count = models.PositiveIntegerField(default=0)
    invitation_job = models.ForeignKey(
        "InvitationJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invitation_revoked_at = models.DateTimeField(null=True, blank=True)
    link_key = models.CharField(max_length=40, default=new_key)
    password_set_at = models.DateTimeField(null=True, blank=True)
    feed_key = models.CharField(max_length=40, blank=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    deactivated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self):
        return f"Account of {self.person}"

    @property
    def invitation_open(self):
        return bool(self.invited_at and not self.invitation_revoked_at and not self.password_set_at)


class AccountState(models.TextChoices):
    """What the people list and the users page show for a person (see `selectors.with_account_state`)."""

    NO_LOGIN = "no_login", "No login"
    INVITED = "invited", "Invited"
    NEVER_SIGNED_IN = "never_signed_in", "Never signed in"
    ACTIVE = "active", "Active"
    DEACTIVATED = "deactivated", "Deactivated"


class RoleChange(models.Model):
    """One change of a person's role: who made it, when, from what to what. Append-only."""

    class Source(models.TextChoices):
        LEAD = "lead", "Changed by a lead"
        IMPORT = "import", "Org chart import"
        ORG_CHART = "org_chart", "Follows the org chart"
        COMMAND = "command", "Command line"

    person = models.ForeignKey(
        "cohorts.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="role_changes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="role_changes"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    from_role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    to_role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.LEAD)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["person", "-changed_at"], name="rolechange_person_recent")]

    def __str__(self):
        return f"{self.person or self.user}: {self.from_role or '—'} → {self.to_role or '—'}"


class InvitationJob(JobProgress, models.Model):
    """One invitation run for many people, sent in the background; the page polls its progress."""

    class Scope(models.TextChoices):
        EVERYONE = "everyone", "Everyone in the org chart"
        PROGRAM = "program", "Everyone in a program"
        COHORT = "cohort", "One cohort"
        SELECTION = "selection", "The people I selected"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Sending"
        SUCCEEDED = "succeeded", "Done"
        FAILED = "failed", "Failed"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    scope = models.CharField(max_length=20, choices=Scope.choices)
    program = models.ForeignKey(
        "programs.Program", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person_ids = models.JSONField(default=list, blank=True)
    include_invited = models.BooleanField(
        default=False, help_text="Send again to people invited before who have not set a password."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    sent_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=300, blank=True)

    lost_message = (
        "The job stopped without finishing (its worker was lost or it ran past {minutes} minutes). "
        "Invitations already sent stay sent; start the job again."
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Invitations to {self.describe()} ({self.get_status_display()})"

    def describe(self):
        if self.scope == self.Scope.PROGRAM and self.program:
            return f"everyone in {self.program}"
        if self.scope == self.Scope.COHORT and self.cohort:
            return f"cohort {self.cohort}"
        if self.scope == self.Scope.SELECTION:
            return f"{len(self.person_ids)} selected {'person' if len(self.person_ids) == 1 else 'people'}"
        return "everyone in the org chart"
