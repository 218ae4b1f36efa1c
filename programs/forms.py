"""Forms of the planning pages. They validate; the services in services.py write."""

import re

from django import forms
from django.forms import formset_factory

from . import directory
from .models import (
    BuyInPlan,
    Expectation,
    Metric,
    Program,
    ReinforcementPlan,
    Skill,
    SkillGap,
    Stakeholder,
    Touchpoint,
)
from .services import CONTEXT_FIELDS

# Names the cohorts app resolves against the org chart (programs stores names, not people).
SCOPE_KINDS = [
    ("teams", "Teams"),
    ("regions", "Regions"),
    ("locations", "Locations"),
    ("account_groups", "Account groups"),
]
# Mirrors cohorts.Person.Level / Function values (programs must not import cohorts).
LEVELS = [("individual", "Individual contributors"), ("manager", "Managers"), ("director", "Directors")]
FUNCTIONS = [
    ("field_sales", "Field sales"),
    ("inside_sales", "Inside sales"),
    ("sales_engineering", "Sales engineering"),
    ("customer_success", "Customer success"),
]
SCALE = [("", "—")] + [(str(i), str(i)) for i in range(1, 6)]


class NameListField(forms.CharField):
    """Names separated by commas or new lines, e.g. 'Enterprise East, DACH'; returns a list."""

    widget = forms.Textarea(attrs={"rows": 2})

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value):
        value = super().to_python(value) or ""
        names = []
        for part in re.split(r"[,\n]", value):
            name = " ".join(part.split())
            if name and name.lower() not in {n.lower() for n in names}:
                names.append(name)
        return names


def _names_input(placeholder, rows=2):
    return forms.Textarea(attrs={"rows": rows, "placeholder": placeholder})


def _scale_input():
    return forms.Select(choices=[(i, str(i)) for i in range(1, 6)])


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = CONTEXT_FIELDS
        widgets = {
            "start_date": _date_input(),
            "end_date": _date_input(),
            "audience_description": forms.Textarea(attrs={"rows": 2}),
            "sales_strategy": forms.Textarea(attrs={"rows": 2}),
            "sales_culture": forms.Textarea(attrs={"rows": 2}),
            "business_outcomes": forms.Textarea(attrs={"rows": 2}),
            "learning_outcomes": forms.Textarea(attrs={"rows": 2}),
            "culture_autonomy": _scale_input(),
            "learning_maturity": _scale_input(),
            "manager_coaching_capacity": _scale_input(),
        }
        labels = {
            "start_date": "Training window starts",
            "end_date": "Training window ends",
            "culture_autonomy": "Culture: autonomy (1–5)",
            "learning_maturity": "Learning maturity (1–5)",
            "manager_coaching_capacity": "Manager coaching capacity (1–5)",
            "location_count": "Number of locations",
            "compliance_required": "Compliance training is required",
            "is_foundational": "Foundational program (core skills for everyone)",
        }
        help_texts = {
            "learning_maturity": "1 = training is new to the organisation, 5 = learning is part of the job."
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The window cannot end before it starts.")
        budget = data.get("budget_per_head")
        if budget is not None and budget < 0:
            self.add_error("budget_per_head", "A budget cannot be negative.")
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Program.Status.choices)


# ---------------------------------------------------------------- readiness


class MetricsForm(forms.Form):
    """One row per catalogue metric: tick it and give its baseline, target and horizon."""

    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why more than two metrics?",
        help_text="Only needed when you pick more than two: a program should move the critical few.",
    )
    ROW = ("include", "baseline", "target", "unit", "direction", "horizon_months", "data_source")

    def __init__(self, *args, program, metrics, **kwargs):
        existing = {pm.metric_id: pm for pm in program.metrics.all()}
        initial = {"reason": program.metrics_reason}
        super().__init__(*args, initial=initial, **kwargs)
        self.metrics = list(metrics)
        for m in self.metrics:
            pm = existing.get(m.pk)
            p = f"m{m.pk}_"
            self.fields[p + "include"] = forms.BooleanField(
                required=False, initial=pm is not None, label=m.name
            )
            self.fields[p + "baseline"] = forms.DecimalField(
                required=False, max_digits=14, decimal_places=2, initial=pm and pm.baseline, label="Baseline"
            )
            self.fields[p + "target"] = forms.DecimalField(
                required=False, max_digits=14, decimal_places=2, initial=pm and pm.target, label="Target"
            )
            self.fields[p + "unit"] = forms.CharField(
                required=False, max_length=30, initial=pm.unit if pm else m.default_unit, label="Unit"
            )
            self.fields[p + "direction"] = forms.ChoiceField(
                required=False,
                choices=Metric.Direction.choices,
                initial=pm.direction if pm else m.default_direction,
                label="Direction",
            )
            self.fields[p + "horizon_months"] = forms.IntegerField(
                required=False, min_value=1, max_value=60, initial=pm and pm.horizon_months, label="Months"
            )
            self.fields[p + "data_source"] = forms.CharField(
                required=False, max_length=200, initial=pm.data_source if pm else "", label="Data source"
            )

    def rows(self):
        return [(m, {name: self[f"m{m.pk}_{name}"] for name in self.ROW}) for m in self.metrics]

    def clean(self):
        data = super().clean()
        chosen = []
        for m in self.metrics:
            p = f"m{m.pk}_"
            if not data.get(p + "include"):
                continue
            chosen.append(m)
            for name in ("baseline", "target", "unit", "direction", "horizon_months", "data_source"):
                if data.get(p + name) in (None, "") and p + name not in self.errors:
                    self.add_error(p + name, "Needed for a chosen metric.")
            base, target = data.get(p + "baseline"), data.get(p + "target")
            if base is not None and target is not None:
                if data.get(p + "direction") == Metric.Direction.UP and target <= base:
                    self.add_error(p + "target", "Higher is better: the target must be above the baseline.")
                if data.get(p + "direction") == Metric.Direction.DOWN and target >= base:
                    self.add_error(p + "target", "Lower is better: the target must be below the baseline.")
        if not chosen:
            self.add_error(None, "Choose at least one success metric.")
        if len(chosen) > 2 and not (data.get("reason") or "").strip():
            self.add_error(
                "reason", f"You chose {len(chosen)} metrics: say why the program needs more than two."
            )
        return data

    def chosen_rows(self):
        d = self.cleaned_data
        return [
            {
                "metric": m,
                **{
                    name: d[f"m{m.pk}_{name}"]
                    for name in ("baseline", "target", "unit", "direction", "horizon_months", "data_source")
                },
            }
            for m in self.metrics
            if d.get(f"m{m.pk}_include")
        ]


class SkillsForm(forms.Form):
    """One row per catalogue skill: tick it and link it to the metric(s) it moves."""

    MAX_ADVISED = 5

    def __init__(self, *args, program, skills, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {ps.skill_id: ps for ps in program.skills.all()}
        self.program_metrics = {str(pm.pk): pm for pm in program.metrics.all()}
        choices = [(key, pm.metric.name) for key, pm in self.program_metrics.items()]
        self.skills = list(skills)
        for s in self.skills:
            ps = existing.get(s.pk)
            p = f"s{s.pk}_"
            self.fields[p + "include"] = forms.BooleanField(
                required=False, initial=ps is not None, label=s.name
            )
            self.fields[p + "moves"] = forms.MultipleChoiceField(
                required=False,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                initial=[str(m.pk) for m in ps.moves_metrics.all()] if ps else [],
                label="Moves",
            )
            self.fields[p + "why"] = forms.CharField(
                required=False,
                max_length=500,
                initial=ps.why_it_matters if ps else "",
                label="Why it matters here",
            )

    def rows(self):
        return [(s, {n: self[f"s{s.pk}_{n}"] for n in ("include", "moves", "why")}) for s in self.skills]

    def clean(self):
        data = super().clean()
        chosen = [s for s in self.skills if data.get(f"s{s.pk}_include")]
        for s in chosen:
            if not data.get(f"s{s.pk}_moves") and f"s{s.pk}_moves" not in self.errors:
                self.add_error(f"s{s.pk}_moves", "Link the skill to at least one metric it moves.")
        if not chosen:
            self.add_error(None, "Choose at least one money-making skill.")
        self.too_many = len(chosen) > self.MAX_ADVISED
        return data

    def chosen_rows(self):
        d = self.cleaned_data
        return [
            {
                "skill": s,
                "moves_metrics": [self.program_metrics[k] for k in d[f"s{s.pk}_moves"]],
                "why_it_matters": d[f"s{s.pk}_why"],
            }
            for s in self.skills
            if d.get(f"s{s.pk}_include")
        ]


class OptionalRowForm(forms.Form):
    """A formset row that is ignored while its `key_fields` are all blank; once used, the
    `required_fields` must be filled."""

    key_fields = ()
    required_fields = ()

    @property
    def is_blank(self):
        data = getattr(self, "cleaned_data", {})
        return not any(str(data.get(f) or "").strip() for f in self.key_fields)

    def clean(self):
        data = super().clean()
        if self.is_blank:
            return data
        for name in self.required_fields:
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, "This field is required.")
        return data


class RowsFormSet(forms.BaseFormSet):
    def used_forms(self):
        return [
            f
            for f in self.forms
            if f.is_valid() and not f.is_blank and not (self.can_delete and f.cleaned_data.get("DELETE"))
        ]

    def rows(self):
        return [{k: v for k, v in f.cleaned_data.items() if k != "DELETE"} for f in self.used_forms()]


class SkillGapForm(OptionalRowForm):
    key_fields = ("segment", "strengths", "limiters")
    required_fields = ("program_skill", "segment", "baseline_proficiency")

    program_skill = forms.ChoiceField(label="Skill", required=False)
    segment = forms.CharField(max_length=100, required=False, help_text="Role, region or team")
    strengths = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    limiters = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    baseline_proficiency = forms.TypedChoiceField(
        choices=SCALE, coerce=int, empty_value=None, required=False, label="Baseline (1–5)"
    )
    source = forms.ChoiceField(choices=SkillGap.Source.choices, initial=SkillGap.Source.TYPED, required=False)

    def __init__(self, *args, program_skills, **kwargs):
        super().__init__(*args, **kwargs)
        self.program_skills = {str(ps.pk): ps for ps in program_skills}
        self.fields["program_skill"].choices = [("", "—")] + [
            (k, str(ps)) for k, ps in self.program_skills.items()
        ]

    def clean_source(self):
        return self.cleaned_data["source"] or SkillGap.Source.TYPED

    def clean_program_skill(self):
        key = self.cleaned_data["program_skill"]
        return self.program_skills.get(key) if key else None


class SkillGapFormSet(RowsFormSet):
    def clean(self):
        seen = set()
        for form in self.used_forms():
            key = (form.cleaned_data["program_skill"].pk, form.cleaned_data["segment"].strip().lower())
            if key in seen:
                form.add_error("segment", "This skill already has an entry for this segment.")
            seen.add(key)


def skill_gap_formset(program, data=None):
    program_skills = list(program.skills.all())
    gaps = list(program.skill_gaps.all())
    initial = [
        {
            "program_skill": str(g.program_skill_id),
            "segment": g.segment,
            "strengths": g.strengths,
            "limiters": g.limiters,
            "baseline_proficiency": str(g.baseline_proficiency),
            "source": g.source,
        }
        for g in gaps
    ]
    if not gaps:  # start with one row per skill
        initial = [{"program_skill": str(ps.pk)} for ps in program_skills]
    factory = formset_factory(SkillGapForm, formset=SkillGapFormSet, extra=2, can_delete=True)
    return factory(data, initial=initial, prefix="gaps", form_kwargs={"program_skills": program_skills})


class ReinforcementForm(forms.ModelForm):
    methods = forms.MultipleChoiceField(
        choices=ReinforcementPlan.Method.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Coaching by managers does the most for adoption; combine it with practice and recall.",
    )

    class Meta:
        model = ReinforcementPlan
        fields = [
            "methods",
            "coaching_cadence",
            "coaching_sessions_per_rep",
            "owner",
            "leading_indicators",
            "lagging_indicators",
            "notes",
        ]
        widgets = {
            "leading_indicators": forms.Textarea(attrs={"rows": 2}),
            "lagging_indicators": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "coaching_cadence": "Coaching cadence per manager",
            "coaching_sessions_per_rep": "Coaching conversations per rep in that period",
            "owner": "Owner",
        }

    def clean_coaching_sessions_per_rep(self):
        value = self.cleaned_data["coaching_sessions_per_rep"]
        if value is not None and not 1 <= value <= 20:
            raise forms.ValidationError("Between 1 and 20 conversations.")
        return value


CAPACITY_FIELDS = ["capacity_recent_changes", "capacity_competing_initiatives", "capacity_manager_bandwidth"]


def _scale_field(label, help_text):
    """A 1–5 answer, blank (None) while unknown."""
    return forms.TypedChoiceField(
        choices=SCALE, coerce=int, empty_value=None, required=False, label=label, help_text=help_text
    )


class CapacityForm(forms.Form):
    """The short capacity-for-change check (each 1–5, blank while unknown)."""

    capacity_recent_changes = _scale_field(
        "Change absorbed in the last year",
        "1 = little, 5 = a lot (reorganisations, new tools, new territories…)",
    )
    capacity_competing_initiatives = _scale_field(
        "Competing initiatives now", "1 = none, 5 = many asking for sellers' time"
    )
    capacity_manager_bandwidth = _scale_field(
        "Manager bandwidth", "1 = none to spare, 5 = plenty of room to lead this"
    )

    @classmethod
    def for_program(cls, program, data=None):
        return cls(data, initial={f: getattr(program, f) for f in CAPACITY_FIELDS})


# ---------------------------------------------------------------- rollout design


class DecisionForm(forms.Form):
    """Pick an option; picking anything but the top recommendation needs a rationale."""

    choice = forms.ChoiceField(widget=forms.RadioSelect)
    rationale = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Rationale",
        help_text="Required when you override the recommendation.",
    )
    field_name = ""

    def __init__(self, *args, program, recommendation, **kwargs):
        kwargs.setdefault(
            "initial", {"choice": getattr(program, self.field_name) or recommendation.top.option}
        )
        super().__init__(*args, **kwargs)
        self.program = program
        self.recommendation = recommendation
        self.fields["choice"].choices = [(r.option, r.label) for r in recommendation.ranked]
        decision = next((d for d in program.decisions.all() if d.kind == recommendation.decision), None)
        if decision and "rationale" not in self.initial:
            self.initial["rationale"] = decision.rationale

    def clean(self):
        data = super().clean()
        choice, top = data.get("choice"), self.recommendation.top
        if choice and choice != top.option and not (data.get("rationale") or "").strip():
            label = dict(self.fields["choice"].choices)[choice]
            self.add_error("rationale", f"You chose {label} over the recommended {top.label}: say why.")
        return data

    def values(self):
        return {self.field_name: self.cleaned_data["choice"]}


class ParticipationForm(DecisionForm):
    field_name = "participation"
    criteria_regions = NameListField(required=False, label="Regions", widget=_names_input("e.g. EMEA, APAC"))
    criteria_locations = NameListField(required=False, label="Locations", widget=_names_input("e.g. London"))
    criteria_teams = NameListField(required=False, label="Teams", widget=_names_input("e.g. Enterprise East"))
    criteria_account_groups = NameListField(
        required=False, label="Account groups", widget=_names_input("e.g. Healthcare, Public sector")
    )
    criteria_levels = forms.MultipleChoiceField(
        choices=LEVELS, required=False, widget=forms.CheckboxSelectMultiple, label="Levels"
    )
    criteria_functions = forms.MultipleChoiceField(
        choices=FUNCTIONS, required=False, widget=forms.CheckboxSelectMultiple, label="Functions"
    )
    criteria_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Criteria or nomination process",
        help_text="Suggested: who qualifies and who decides. Selected: how people are nominated and chosen.",
    )
    KEYS = ("regions", "locations", "teams", "account_groups", "levels", "functions")

    def __init__(self, *args, program, **kwargs):
        criteria = program.participation_criteria or {}
        initial = {f"criteria_{k}": criteria.get(k, []) for k in self.KEYS}
        initial["criteria_note"] = criteria.get("note", "")
        super().__init__(*args, program=program, **kwargs)
        for key, value in initial.items():
            self.initial.setdefault(key, value)

    def criteria(self):
        d = self.cleaned_data
        criteria = {k: d[f"criteria_{k}"] for k in self.KEYS if d.get(f"criteria_{k}")}
        if (d.get("criteria_note") or "").strip():
            criteria["note"] = d["criteria_note"].strip()
        return criteria

    def clean(self):
        data = super().clean()
        choice = data.get("choice")
        if choice == Program.Participation.SUGGESTED and not self.criteria():
            self.add_error("criteria_note", "Suggested participation needs criteria: who qualifies?")
        if choice == Program.Participation.SELECTED and not (data.get("criteria_note") or "").strip():
            self.add_error("criteria_note", "Selected participation needs a nomination process.")
        return data

    def values(self):
        # The criteria are the audience in scope whatever the choice: everyone matching them must
        # attend (mandatory), is recommended (suggested), may be nominated (selected) or may sign up.
        return {"participation": self.cleaned_data["choice"], "participation_criteria": self.criteria()}


class RolloutForm(DecisionForm):
    field_name = "rollout"
    pilot_kind = forms.ChoiceField(choices=SCOPE_KINDS, label="Pilot group is made of")
    pilot_names = NameListField(
        required=False,
        label="Pilot group",
        help_text="Comma or line separated names.",
        widget=_names_input("e.g. Enterprise East, DACH"),
    )
    holdout_kind = forms.ChoiceField(choices=SCOPE_KINDS, label="Holdout group is made of")
    holdout_names = NameListField(
        required=False,
        label="Holdout (control) group",
        help_text="Comparable people who wait, to show the effect. Leave empty to have comparable people "
        "matched when the cohorts are built.",
        widget=_names_input("e.g. Enterprise West, Enterprise UK"),
    )
    group_kind = forms.ChoiceField(
        choices=[("", "—")] + Program.GroupKind.choices, required=False, label="Waves are formed by"
    )
    wave_names = NameListField(
        required=False,
        label="Order of the waves",
        help_text="By location: location names. By group: the group names. First wave first.",
        widget=_names_input("e.g. Chicago, London, Singapore"),
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, program=program, **kwargs)
        for prefix, scope in (("pilot", program.pilot_scope), ("holdout", program.holdout_scope)):
            if scope:
                kind, names = next(iter(scope.items()))
                self.initial.setdefault(f"{prefix}_kind", kind)
                self.initial.setdefault(f"{prefix}_names", names)
        self.initial.setdefault("group_kind", program.rollout_group_kind)
        self.initial.setdefault("wave_names", program.wave_order)

    def clean(self):
        data = super().clean()
        choice = data.get("choice")
        if choice == Program.Rollout.PILOT:
            if not data.get("pilot_names"):
                self.add_error("pilot_names", "Name who is in the pilot.")
            overlap = {n.lower() for n in data.get("pilot_names") or []} & {
                n.lower() for n in data.get("holdout_names") or []
            }
            if overlap and data.get("pilot_kind") == data.get("holdout_kind"):
                self.add_error("holdout_names", "The holdout cannot include the pilot group.")
        if choice in (Program.Rollout.BY_LOCATION, Program.Rollout.BY_GROUP):
            if len(data.get("wave_names") or []) < 2:
                self.add_error("wave_names", "List at least two waves, in order.")
            if choice == Program.Rollout.BY_GROUP and not data.get("group_kind"):
                self.add_error("group_kind", "Say what the waves are formed by.")
        return data

    def values(self):
        d, choice = self.cleaned_data, self.cleaned_data["choice"]
        values = {"rollout": choice}
        if choice == Program.Rollout.PILOT:
            values["pilot_scope"] = {d["pilot_kind"]: d["pilot_names"]}
            values["holdout_scope"] = {d["holdout_kind"]: d["holdout_names"]} if d["holdout_names"] else {}
        elif choice == Program.Rollout.BY_LOCATION:
            values["wave_order"] = d["wave_names"]
        elif choice == Program.Rollout.BY_GROUP:
            values["wave_order"] = d["wave_names"]
            values["rollout_group_kind"] = d["group_kind"]
        return values


class ParticipantMixForm(DecisionForm):
    field_name = "participant_mix"
    managers_with_reps = forms.BooleanField(
        required=False,
        label="Managers attend with their reps",
        help_text="Otherwise managers go through the program in an earlier session, so they can coach.",
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, program=program, **kwargs)
        self.initial.setdefault("managers_with_reps", program.managers_with_reps)

    def values(self):
        return {
            "participant_mix": self.cleaned_data["choice"],
            "managers_with_reps": self.cleaned_data["managers_with_reps"],
        }


DECISION_FORMS = {
    "participation": ParticipationForm,
    "rollout": RolloutForm,
    "participant_mix": ParticipantMixForm,
}


# ---------------------------------------------------------------- buy-in


class BuyInForm(forms.ModelForm):
    class Meta:
        model = BuyInPlan
        fields = ["why_message", "status_quo_risk", "leadership_actions", "expectations"]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in fields}
        labels = {
            "why_message": "Why now: what changed in the market",
            "status_quo_risk": "Why the status quo is not OK",
            "leadership_actions": "What leadership will do differently",
            "expectations": "Expectations, and how they are measured and rewarded",
        }
        help_texts = dict.fromkeys(fields, "")

    def clean_why_message(self):
        value = self.cleaned_data["why_message"].strip()
        if not value:
            raise forms.ValidationError("Write the 'why': it is the message every touchpoint repeats.")
        return value


class TouchpointForm(OptionalRowForm):
    key_fields = ("date", "messenger", "forum", "message")
    required_fields = ("date", "channel", "messenger")

    date = forms.DateField(required=False, widget=_date_input())
    channel = forms.ChoiceField(choices=[("", "—")] + Touchpoint.Channel.choices, required=False)
    forum = forms.CharField(max_length=150, required=False, label="Forum / audience")
    messenger = forms.CharField(max_length=150, required=False, label="Who delivers it")
    message = forms.CharField(max_length=300, required=False, label="Key message")


class ManagerEngagementForm(OptionalRowForm):
    key_fields = ("manager_name", "team", "notes")
    required_fields = ("manager_name",)

    manager_name = forms.CharField(max_length=150, required=False, label="Manager")
    team = forms.CharField(max_length=100, required=False)
    helps_tailor = forms.BooleanField(required=False, label="Helps tailor")
    spreads_message = forms.BooleanField(required=False, label="Spreads the message")
    trained_before_reps = forms.BooleanField(required=False, initial=True, label="Trained before reps")
    notes = forms.CharField(max_length=300, required=False)


class ExpectationForm(OptionalRowForm):
    key_fields = ("expected", "recognition")
    required_fields = ("audience", "expected", "indicator", "target_percent")

    audience = forms.ChoiceField(
        choices=[("", "—")] + Expectation.Audience.choices, required=False, label="Who"
    )
    expected = forms.CharField(max_length=300, required=False, label="Expected after launch")
    indicator = forms.ChoiceField(
        choices=[("", "—")] + Expectation.Indicator.choices, required=False, label="Measured by"
    )
    target_percent = forms.IntegerField(
        min_value=1, max_value=100, required=False, initial=80, label="Target %"
    )
    recognition = forms.CharField(max_length=300, required=False, label="How it is recognised")


def expectation_formset(program, data=None):
    initial = [
        {
            "audience": e.audience,
            "expected": e.expected,
            "indicator": e.indicator,
            "target_percent": e.target_percent,
            "recognition": e.recognition,
        }
        for e in program.expectations.all()
    ]
    factory = formset_factory(
        ExpectationForm, formset=RowsFormSet, extra=3 if not initial else 1, can_delete=True
    )
    return factory(data, initial=initial, prefix="expect")


def touchpoint_formset(program, data=None):
    initial = [
        {
            "date": t.date,
            "channel": t.channel,
            "forum": t.forum,
            "messenger": t.messenger,
            "message": t.message,
        }
        for t in program.touchpoints.all()
    ]
    factory = formset_factory(
        TouchpointForm, formset=RowsFormSet, extra=3 if not initial else 1, can_delete=True
    )
    return factory(data, initial=initial, prefix="touch")


class ManagerRowsFormSet(RowsFormSet):
    """Managers are picked from the org chart when one is installed: a name that is not a
    manager there is refused beside the field, and a blank team is filled from the chart."""

    def clean(self):
        super().clean()
        people = directory.current()
        if people is None:
            return
        used = self.used_forms()
        known = people.managers_named([f.cleaned_data["manager_name"] for f in used])
        for form in used:
            name = form.cleaned_data["manager_name"].strip()
            if name.lower() not in known:
                form.add_error(
                    "manager_name", f"“{name}” is not a manager in the org chart: pick one from the list."
                )
            elif not form.cleaned_data.get("team"):
                form.cleaned_data["team"] = known[name.lower()]
        if any(f.errors for f in used):
            raise forms.ValidationError("Some managers are not in the org chart.")


def manager_search_url():
    people = directory.current()
    return people.manager_search_url() if people else ""


def manager_formset(program, data=None):
    initial = [
        {
            "manager_name": m.manager_name,
            "team": m.team,
            "helps_tailor": m.helps_tailor,
            "spreads_message": m.spreads_message,
            "trained_before_reps": m.trained_before_reps,
            "notes": m.notes,
        }
        for m in program.manager_engagements.all()
    ]
    factory = formset_factory(
        ManagerEngagementForm, formset=ManagerRowsFormSet, extra=2 if not initial else 1, can_delete=True
    )
    return factory(data, initial=initial, prefix="managers")


# ---------------------------------------------------------------- catalogue


class MetricForm(forms.ModelForm):
    class Meta:
        model = Metric
        fields = ["name", "description", "default_unit", "default_direction"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if Metric.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError("The catalogue already has a metric with this name.")
        return name


class SkillForm(forms.ModelForm):
    class Meta:
        model = Skill
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if Skill.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError("The catalogue already has a skill with this name.")
        return name


# ---------------------------------------------------------------- change coalition


class StakeholderForm(forms.Form):
    name = forms.CharField(max_length=150)
    role = forms.CharField(max_length=150, required=False, label="Title or function")
    kind = forms.ChoiceField(choices=Stakeholder.Kind.choices, label="Part in the coalition")
    level = forms.TypedChoiceField(
        choices=Stakeholder.Support.choices, coerce=int, initial=3, label="Support today"
    )
    next_step = forms.CharField(max_length=300, required=False, label="Next step with them")
    next_step_due = forms.DateField(required=False, widget=_date_input(), label="By")


class SupportCheckForm(forms.Form):
    stakeholder = forms.ModelChoiceField(queryset=Stakeholder.objects.none())
    level = forms.TypedChoiceField(
        choices=Stakeholder.Support.choices, coerce=int, initial=3, label="Support now"
    )
    note = forms.CharField(max_length=300, required=False)
    next_step = forms.CharField(max_length=300, required=False, label="Next step")
    next_step_due = forms.DateField(required=False, widget=_date_input(), label="By")

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stakeholder"].queryset = program.stakeholders.all()
