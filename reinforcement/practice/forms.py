from django import forms

from cohorts.models import Person
from programs.models import Skill

from . import rules
from .models import CertificationRule, Competition, Scenario


class ScenarioForm(forms.ModelForm):
    rubric_text = forms.CharField(
        label="Rubric",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "One criterion per line: the criterion, then what scores 1, 2, 3, 4 and 5 mean, "
            "separated by '|', e.g. Opening | Starts with the product | … | … | … | Outcome and a question"
        ),
    )

    class Meta:
        model = Scenario
        fields = [
            "skill",
            "title",
            "situation",
            "buyer_role",
            "objections",
            "what_good_looks_like",
            "is_active",
        ]
        widgets = {
            "situation": forms.Textarea(attrs={"rows": 4}),
            "objections": forms.Textarea(attrs={"rows": 3}),
            "what_good_looks_like": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"what_good_looks_like": "What good looks like", "buyer_role": "Buyer's role"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = Skill.objects.order_by("name")
        if self.instance.pk and not self.is_bound:
            self.initial["rubric_text"] = rules.rubric_text(self.instance.rubric)

    def clean_rubric_text(self):
        rubric, errors = rules.parse_rubric(self.cleaned_data["rubric_text"])
        if errors:
            raise forms.ValidationError(errors)
        self.cleaned_data["rubric"] = rubric
        return self.cleaned_data["rubric_text"]

    def clean(self):
        cleaned = super().clean()
        skill, title = cleaned.get("skill"), cleaned.get("title")
        if skill and title:
            clash = Scenario.objects.filter(skill=skill, title=title).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("title", "This skill already has a scenario with that title.")
        return cleaned


class WrittenAttemptForm(forms.Form):
    text = forms.CharField(
        label="Your answer",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Write what you would say to the buyer, as you would say it.",
    )


class ReviewForm(forms.Form):
    """Scores per rubric criterion, a comment and, for recordings, remarks at moments."""

    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Comment")
    timed = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Comments at a time in the recording",
        help_text="One per line: m:ss, then the remark, e.g. '0:42 Good question about the cost'.",
    )

    def __init__(self, *args, rubric, recording=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        for index, criterion in enumerate(rubric):
            self.fields[f"score_{index}"] = forms.TypedChoiceField(
                label=criterion["criterion"],
                choices=[(n, f"{n} – {criterion['levels'][n - 1]}") for n in range(1, 6)],
                coerce=int,
                widget=forms.RadioSelect,
            )
        if not recording:
            del self.fields["timed"]

    def score_fields(self):
        return [self[f"score_{i}"] for i in range(len(self.rubric))]

    def clean_timed(self):
        remarks = []
        for number, raw in enumerate(self.cleaned_data.get("timed", "").splitlines(), start=1):
            line = raw.strip()
            if not line:
                continue
            stamp, _, text = line.partition(" ")
            minutes, _, seconds = stamp.partition(":")
            if not (
                minutes.isdigit()
                and seconds.isdigit()
                and len(seconds) == 2
                and int(seconds) < 60
                and text.strip()
            ):
                raise forms.ValidationError(f"Line {number}: start with a time as m:ss, then the remark.")
            remarks.append((int(minutes) * 60 + int(seconds), text.strip()))
        return remarks

    def scores(self):
        return [self.cleaned_data[f"score_{i}"] for i in range(len(self.rubric))]


class AssignmentForm(forms.Form):
    seller = forms.ModelChoiceField(queryset=Person.objects.none())
    reviewer = forms.ModelChoiceField(
        queryset=Person.objects.none(), help_text="A peer at Apply or Master on a skill of this program."
    )

    def __init__(self, *args, people, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seller"].queryset = people
        self.fields["reviewer"].queryset = reviewers


class CertificationForm(forms.ModelForm):
    required = forms.BooleanField(required=False, label="Require a certified attempt for Master")
    field_order = ["required", "threshold", "valid_days"]

    class Meta:
        model = CertificationRule
        fields = ["threshold", "valid_days"]
        labels = {"threshold": "Score needed (1–5)", "valid_days": "Valid for (days)"}


class PointsForm(forms.Form):
    enabled = forms.BooleanField(required=False, label="Points, leaderboards, badges and competitions are on")


class CompetitionForm(forms.ModelForm):
    class Meta:
        model = Competition
        fields = ["name", "starts_on", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["starts_on"]:
            self.add_error("ends_on", "The competition must end on or after its first day.")
        return cleaned
