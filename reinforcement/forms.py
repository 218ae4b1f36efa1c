from django import forms
from django.utils import timezone

from cohorts.models import Person
from cohorts.widgets import PersonField
from programs.models import Skill

from .models import (
    ActionPlan,
    AssessmentResult,
    CoachingRating,
    CoachingSession,
    FeedbackResponse,
    Leave,
    ReinforcementRules,
)

DATE = forms.DateInput(attrs={"type": "date"})


class QuestionForm(forms.Form):
    skill = forms.ModelChoiceField(queryset=Skill.objects.all())
    prompt = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    choice_1 = forms.CharField(label="Option 1", max_length=300)
    choice_2 = forms.CharField(label="Option 2", max_length=300)
    choice_3 = forms.CharField(label="Option 3", max_length=300, required=False)
    choice_4 = forms.CharField(label="Option 4", max_length=300, required=False)
    correct = forms.TypedChoiceField(
        label="Right answer", coerce=int, choices=[(i, f"Option {i}") for i in range(1, 5)]
    )
    explanation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text="Shown after answering, right or wrong."
    )
    is_active = forms.BooleanField(label="Active (sent to sellers)", required=False, initial=True)

    @classmethod
    def initial_for(cls, question):
        initial = {
            "skill": question.skill_id,
            "prompt": question.prompt,
            "correct": question.correct_index + 1,
            "explanation": question.explanation,
            "is_active": question.is_active,
        }
        for i, text in enumerate(question.choices, start=1):
            initial[f"choice_{i}"] = text
        return initial

    def clean(self):
        data = super().clean()
        options = [data.get(f"choice_{i}", "") for i in range(1, 5)]
        if options[2] == "" and options[3]:
            self.add_error("choice_3", "Fill the options in order: option 3 before option 4.")
        correct = data.get("correct")
        if correct and not options[correct - 1]:
            self.add_error("correct", "The right answer must be one of the options you filled in.")
        filled = [o.strip() for o in options if o]
        if len({o.lower() for o in filled}) != len(filled):
            self.add_error("choice_2", "Two options are the same.")
        data["choices"] = filled
        data["correct_index"] = (correct or 1) - 1
        return data


class CoachingForm(forms.Form):
    """Log a session for one or more sellers with a 1–5 rating per skill practised."""

    kind = forms.ChoiceField(label="Type", choices=CoachingSession.Kind.choices)
    occurred_on = forms.DateField(label="Date", widget=DATE)
    sellers = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple, label="Seller(s)"
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    next_step = forms.CharField(label="Agreed next step", max_length=300, required=False)
    next_step_due = forms.DateField(label="Next step due", widget=DATE, required=False)

    RATING_CHOICES = [("", "Not rated")] + [(i, f"{i} – {text}") for i, text in CoachingRating.RUBRIC.items()]

    def __init__(self, *args, sellers, skills, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sellers"].queryset = sellers
        self.fields["sellers"].label_from_instance = lambda p: p.full_name
        self.skills = list(skills)
        for skill in self.skills:
            self.fields[f"rating_{skill.pk}"] = forms.TypedChoiceField(
                label=f"{skill.name}: rating",
                choices=self.RATING_CHOICES,
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"signoff_{skill.pk}"] = forms.BooleanField(
                label=f"Sign off {skill.name} as mastered", required=False
            )

    def rating_fields(self):
        return [(self[f"rating_{s.pk}"], self[f"signoff_{s.pk}"]) for s in self.skills]

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("A session can only be logged once it has happened.")
        return value

    def clean(self):
        data = super().clean()
        ratings = {}
        for skill in self.skills:
            rating = data.get(f"rating_{skill.pk}")
            signed = data.get(f"signoff_{skill.pk}")
            if rating:
                ratings[skill] = (rating, bool(signed))
            elif signed:
                self.add_error(f"rating_{skill.pk}", "Rate the skill before signing it off.")
        if not ratings and not self.errors:
            self.add_error(None, "Rate at least one skill: the ratings are what moves a seller's stage.")
        data["ratings"] = ratings
        if data.get("next_step_due") and not data.get("next_step"):
            self.add_error("next_step", "Say what the next step is, or leave the due date empty.")
        return data


class ActionPlanForm(forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["skill", "customer", "commitment", "due_on"]
        widgets = {"due_on": DATE, "commitment": forms.Textarea(attrs={"rows": 3})}
        labels = {"due_on": "By when"}

    def __init__(self, *args, skills, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = skills

    def clean_due_on(self):
        value = self.cleaned_data["due_on"]
        if value < timezone.localdate():
            raise forms.ValidationError("Pick a date from today on.")
        return value


class ObservationForm(forms.Form):
    observation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you saw: the ride-along, call or meeting where the seller used the skill.",
    )


class AssessmentForm(forms.ModelForm):
    person = PersonField(levels=[Person.Level.INDIVIDUAL])  # searchable: the org may be huge

    class Meta:
        model = AssessmentResult
        fields = ["person", "program_skill", "kind", "score", "taken_on"]
        widgets = {"taken_on": DATE}
        labels = {"program_skill": "Skill", "score": "Score (0–100)"}

    def __init__(self, *args, program, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program_skill"].queryset = program.skills.select_related("skill")
        self.fields["person"].queryset = people

    def validate_unique(self):
        pass  # recording again corrects the earlier result (the service updates it)


class AssessmentImportForm(forms.Form):
    file = forms.FileField(help_text="CSV with columns email, skill, kind, score, taken_on.")


class FeedbackForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (i, label) for i, label in [(1, "1 – poor"), (2, "2"), (3, "3"), (4, "4"), (5, "5 – excellent")]
        ],
        label="How useful was the session?",
    )

    class Meta:
        model = FeedbackResponse
        fields = ["rating", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 3})}


class RulesForm(forms.ModelForm):
    class Meta:
        model = ReinforcementRules
        fields = [
            f.name for f in ReinforcementRules._meta.fields if f.editable and f.name not in ("id", "program")
        ]

    def clean(self):
        data = super().clean()
        master, remember = data.get("master_stability_days"), data.get("remember_stability_days")
        if master is not None and remember is not None and master < remember:
            self.add_error("master_stability_days", "Master needs at least the stability of Remember.")
        low, high = data.get("retention_min"), data.get("retention_max")
        # Compare the bounds only once each is in range: its own message says enough otherwise.
        if self._in_range("retention_min", low) and self._in_range("retention_max", high) and low > high:
            self.add_error("retention_max", "The upper bound must be at least the lower bound.")
        return data

    @staticmethod
    def _in_range(name, value):
        if value is None:
            return False
        try:
            ReinforcementRules._meta.get_field(name).run_validators(value)
        except forms.ValidationError:
            return False
        return True


class LeaveForm(forms.ModelForm):
    class Meta:
        model = Leave
        fields = ["starts_on", "ends_on", "note"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The leave must end on or after its first day.")
        return data


class AnswerForm(forms.Form):
    choice = forms.TypedChoiceField(
        coerce=int, widget=forms.RadioSelect(attrs={"class": "form-check-input"}), label="Your answer"
    )
    confidence = forms.ChoiceField(
        required=False,
        initial="",
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        choices=[("", "Skip"), ("unsure", "I was unsure"), ("sure", "I knew it")],
        label="How sure were you? (optional)",
    )

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = list(enumerate(question.choices))
