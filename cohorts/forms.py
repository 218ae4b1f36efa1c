from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model

from rolloutplanner.roles import Role

from .accounts.models import AccountState
from .models import Cohort, Location, Region, Session, Team, _time_zones
from .services.planning import DEFAULT_COHORT_SIZE


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Org chart CSV", help_text="UTF-8 CSV in the documented format, up to 50 MB."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("Upload a .csv file (export it from your spreadsheet as CSV UTF-8).")
        if upload.size > settings.MAX_UPLOAD_BYTES:
            limit = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"The file is larger than {limit} MB; split it into several imports.")
        if upload.size == 0:
            raise forms.ValidationError("The file is empty.")
        return upload


class PeopleFilterForm(forms.Form):
    """Filters of the org chart. A search is a few words, each matched against name, e-mail or
    title; its length and word count are bounded so one request cannot build a huge query."""

    MAX_WORDS = 6

    q = forms.CharField(
        required=False,
        max_length=100,
        label="Search",
        widget=forms.TextInput(attrs={"placeholder": "Name, e-mail or title"}),
    )
    region = forms.ModelChoiceField(Region.objects.all(), required=False, empty_label="All regions")
    team = forms.ModelChoiceField(Team.objects.all(), required=False, empty_label="All teams")
    location = forms.ModelChoiceField(Location.objects.all(), required=False, empty_label="All locations")
    account = forms.ChoiceField(
        required=False, label="Account", choices=[("", "Any account state"), *AccountState.choices]
    )

    def clean_q(self):
        words = list(dict.fromkeys(self.cleaned_data["q"].split()))  # distinct, in order
        if len(words) > self.MAX_WORDS:
            raise forms.ValidationError(f"Search with at most {self.MAX_WORDS} words.")
        return words


class GenerateForm(forms.Form):
    cohort_size = forms.IntegerField(
        min_value=2, max_value=200, initial=DEFAULT_COHORT_SIZE, help_text="Most people trained together."
    )


class MoveForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    cohort = forms.ModelChoiceField(Cohort.objects.none(), label="Move to")

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.filter(program=program).select_related("wave")


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(Cohort.objects.none(), label="Merge into")

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Cohort.objects.filter(program_id=cohort.program_id).exclude(
            pk=cohort.pk
        )


def _trainers():
    return get_user_model().objects.filter(groups__name__in=[Role.LEAD.label, Role.MANAGER.label]).distinct()


class TrainerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class ScheduleForm(forms.Form):
    first_day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        initial="09:00",
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="Local time of each cohort.",
    )
    duration_minutes = forms.IntegerField(
        min_value=15, max_value=12 * 60, initial=180, label="Length (minutes)"
    )
    per_day = forms.IntegerField(min_value=1, max_value=50, initial=2, label="Sessions per day")
    wave_gap_days = forms.IntegerField(min_value=0, max_value=365, initial=14, label="Days between waves")
    mode = forms.ChoiceField(choices=Session.Mode.choices, initial=Session.Mode.VIRTUAL)
    meeting_url = forms.URLField(
        required=False, label="Meeting link", help_text="Needed for virtual sessions.", assume_scheme="https"
    )
    trainer = TrainerChoiceField(queryset=None, required=False)
    include_holdout = forms.BooleanField(
        required=False, label="Also schedule the holdout wave (the pilot has been reviewed)"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = _trainers()

    def clean(self):
        data = super().clean()
        if data.get("mode") == Session.Mode.VIRTUAL and not data.get("meeting_url"):
            self.add_error("meeting_url", "Virtual sessions need a meeting link.")
        return data


class SessionForm(forms.ModelForm):
    """Start and end are typed as local times in the session's time zone."""

    starts_at = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        label="Starts (local time)",
    )
    ends_at = forms.DateTimeField(
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        label="Ends (local time)",
    )
    meeting_url = forms.URLField(required=False, label="Meeting link", assume_scheme="https")
    trainer = TrainerChoiceField(queryset=None, required=False)

    class Meta:
        model = Session
        fields = [
            "title",
            "starts_at",
            "ends_at",
            "time_zone",
            "mode",
            "location",
            "room",
            "meeting_url",
            "capacity",
            "trainer",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = _trainers()
        self.fields["time_zone"].help_text = "IANA name, e.g. Europe/Berlin."
        if self.instance.pk:
            local = ZoneInfo(self.instance.time_zone)
            self.initial["starts_at"] = self.instance.starts_at.astimezone(local).replace(tzinfo=None)
            self.initial["ends_at"] = self.instance.ends_at.astimezone(local).replace(tzinfo=None)

    def clean_time_zone(self):
        value = self.cleaned_data["time_zone"]
        if value not in _time_zones():
            raise forms.ValidationError("Unknown time zone; use an IANA name such as America/New_York.")
        return value

    def clean(self):
        data = super().clean()
        tz = data.get("time_zone")
        for name in ("starts_at", "ends_at"):
            value = data.get(name)
            if isinstance(value, datetime) and tz:
                data[name] = value.replace(tzinfo=None).replace(tzinfo=ZoneInfo(tz))
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "The session must end after it starts.")
        if data.get("mode") == Session.Mode.VIRTUAL and not data.get("meeting_url"):
            self.add_error("meeting_url", "Virtual sessions need a meeting link.")
        if data.get("mode") == Session.Mode.IN_PERSON and not data.get("location"):
            self.add_error("location", "In-person sessions need a location.")
        if data.get("capacity") is not None and data["capacity"] < 1:
            self.add_error("capacity", "Capacity must be at least one seat.")
        return data
