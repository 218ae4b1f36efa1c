from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from cohorts.models import Person, validate_time_zone

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"})
OLDEST_PAST_DAYS = 30


class TeamSessionForm(forms.Form):
    day = forms.DateField(widget=DATE)
    start = forms.TimeField(label="Starts at", widget=TIME)
    minutes = forms.IntegerField(label="Length (minutes)", min_value=15, max_value=180, initial=30)
    time_zone = forms.CharField(max_length=64, validators=[validate_time_zone])
    where = forms.CharField(
        max_length=200, required=False, help_text="Room, or the meeting link for a virtual session."
    )
    invitees = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple, label="Invite"
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitees"].queryset = team

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        zone = ZoneInfo(data["time_zone"])
        starts = datetime.combine(data["day"], data["start"]).replace(tzinfo=zone)
        if starts < timezone.now() - timedelta(days=OLDEST_PAST_DAYS):
            self.add_error("day", f"Pick a day in the last {OLDEST_PAST_DAYS} days or later.")
        data["starts_at"] = starts
        data["ends_at"] = starts + timedelta(minutes=data["minutes"])
        return data


class SessionRecordForm(forms.Form):
    attendees = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple, required=False, label="Who came"
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text="What came up, and what you will follow up on.",
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["attendees"].queryset = session.invitees.order_by("last_name", "first_name")
        if session.is_held and not self.is_bound:
            self.initial = {
                "attendees": list(session.attendees.values_list("pk", flat=True)),
                "note": session.note,
            }

    def clean(self):
        data = super().clean()
        if self.session.starts_at > timezone.now():
            raise forms.ValidationError("Record who came once the session has started.")
        return data


class ReviewMeetingForm(forms.Form):
    held_on = forms.DateField(label="Held on", widget=DATE)
    attendees = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="One name per line.")
    decisions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, help_text="What was decided, one per line."
    )

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError("Record a meeting once it has taken place.")
        return held_on


class FollowUpForm(forms.Form):
    action = forms.CharField(max_length=300, required=False)
    owner = forms.CharField(max_length=150, required=False)
    due_on = forms.DateField(label="Due", widget=DATE, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action"):
            if not data.get("owner"):
                self.add_error("owner", "Who owns this follow-up?")
            if not data.get("due_on"):
                self.add_error("due_on", "By when?")
        elif data.get("owner") or data.get("due_on"):
            self.add_error("action", "Say what is to be done.")
        return data


FollowUpFormSet = forms.formset_factory(FollowUpForm, extra=4, max_num=4)


class RecognitionForm(forms.Form):
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        help_text="What they did, and why it matters. They see it on their progress page.",
    )
