from functools import cache
from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from rolloutplanner.jobs import JobProgress


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
            ),
            # Name order: the person picker's first 20 matches and the org chart's pages stop early.
            models.Index(fields=["last_name", "first_name", "id"], name="person_name_order"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def is_people_manager(self):
        return self.level != self.Level.INDIVIDUAL


class ImportJob(JobProgress, models.Model):
    """One upload of the org chart as CSV, imported in the background.

    The file is kept in the row so an upload is never lost when the task queue is down; the
    page polls `processed_rows`/`total_rows`. Nothing is imported unless every row is valid.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Imported"
        FAILED = "failed", "Rejected"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text='[{"row": 3, "column": "email", ...}]')
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=300, blank=True)

    progress_fields = ("processed_rows", "total_rows")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Import of {self.file_name} ({self.get_status_display()})"


class Wave(models.Model):
    """A step of a program's rollout: everyone in a wave is trained before the next wave starts.

    A holdout wave is the pilot's comparison group: it is not scheduled until the pilot
    has been evaluated.
    """

    class Kind(models.TextChoices):
        PILOT = "pilot", "Pilot"
        MAIN = "main", "Rollout"
        HOLDOUT = "holdout", "Holdout"
        OPEN = "open", "Open enrollment"

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="waves")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MAIN)

    class Meta:
        ordering = ["program", "number"]
        constraints = [models.UniqueConstraint(fields=["program", "number"], name="wave_number_once")]

    def __str__(self):
        return f"Wave {self.number}: {self.name}"


class Cohort(models.Model):
    """A group of people trained together, in one wave; `sequence` orders cohorts in the wave.

    An open cohort takes sign-ups (as-available rollouts, optional participation).
    """

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="cohorts")
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=150)
    sequence = models.PositiveIntegerField(default=0)
    is_leaders = models.BooleanField(default=False, help_text="Managers trained ahead of their reps.")
    is_open = models.BooleanField(default=False, help_text="People sign up themselves.")
    capacity = models.PositiveIntegerField(default=12)

    class Meta:
        ordering = ["program", "wave__number", "sequence", "id"]

    def __str__(self):
        return self.name

    @property
    def order_key(self):
        """Position in the program's training order (needs `wave` loaded)."""
        return (self.wave.number, self.sequence)


class CohortMember(models.Model):
    """A person's place in a program: whether they are in, and in which cohort.

    One row per person and program. Only CONFIRMED members are in scope; PROPOSED rows wait
    for their manager (suggested participation), NOMINATED rows for the lead (selected).
    `cohort` is empty while someone is in scope but not placed yet (e.g. until they sign up).
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Suggested, awaiting manager"
        NOMINATED = "nominated", "Nominated, awaiting approval"
        CONFIRMED = "confirmed", "Confirmed"
        DECLINED = "declined", "Declined"

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="members")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["program", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "person"], name="cohort_member_once_per_program")
        ]
        indexes = [models.Index(fields=["program", "status"], name="member_program_status")]

    def __str__(self):
        return f"{self.person} in {self.cohort or 'no cohort yet'}"


class Session(models.Model):
    """A training session of a cohort, stored in UTC and shown in its own time zone."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        VIRTUAL = "virtual", "Virtual"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.VIRTUAL)
    location = models.ForeignKey(Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    room = models.CharField(max_length=150, blank=True)
    meeting_url = models.URLField(blank=True)
    capacity = models.PositiveIntegerField(default=12)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trained_sessions",
    )

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def has_started(self):
        """Attendance can be marked only from the start of the session."""
        return self.starts_at <= timezone.now()

    @property
    def where(self):
        if self.mode == self.Mode.VIRTUAL:
            return self.meeting_url or "Online"
        return ", ".join(part for part in [self.room, str(self.location or "")] if part)


class Enrollment(models.Model):
    """A person's seat in a session, or their place on its waitlist, and their attendance.

    Attendance is what the Learn stage reads: ATTENDED means the person was trained in that
    session. A no-show is re-invited to a later session (a new enrollment).
    """

    class Status(models.TextChoices):
        ENROLLED = "enrolled", "Enrolled"
        WAITLISTED = "waitlisted", "Waitlisted"
        CANCELLED = "cancelled", "Cancelled"

    class Attendance(models.TextChoices):
        UNMARKED = "unmarked", "Not marked"
        ATTENDED = "attended", "Attended"
        NO_SHOW = "no_show", "No-show"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="enrollments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrollments")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ENROLLED)
    attendance = models.CharField(max_length=10, choices=Attendance.choices, default=Attendance.UNMARKED)
    created_at = models.DateTimeField(auto_now_add=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="enrollment_once_per_session")
        ]
        indexes = [models.Index(fields=["person", "attendance"], name="enrollment_person_attendance")]

    def __str__(self):
        return f"{self.person} in {self.session}"
