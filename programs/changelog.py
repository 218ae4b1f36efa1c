"""The change log in words: field names and stored values as a person would write them.

The audit rows keep the raw values (`ProgramChange.details`); this only reads them.
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst

from .models import BuyInPlan, DesignDecision, Program, ReinforcementPlan

MODELS = (Program, ReinforcementPlan, BuyInPlan, DesignDecision)
SCOPE_LABELS = {
    "levels": "Levels",
    "functions": "Functions",
    "regions": "Regions",
    "teams": "Teams",
    "locations": "Locations",
    "account_groups": "Account groups",
    "note": "Note",
}
LABELS = {
    "participation_criteria": "Who qualifies",
    "wave_order": "Order of the waves",
    "pilot_scope": "Pilot group",
    "holdout_scope": "Comparison (holdout) group",
    "managers_with_reps": "Managers train with their reps",
    "rationale": "Reason given",
}


def _field(name):
    for model in MODELS:
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
    return None


def _words(code):
    """A stored code such as 'field_sales' in words ('field sales')."""
    return str(code).replace("_", " ")


def field_label(name):
    if name in LABELS:
        return LABELS[name]
    field = _field(name)
    return capfirst(field.verbose_name) if field is not None else capfirst(_words(name))


def value_text(name, value):
    if value in (None, "", [], {}):
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name == "methods":
        labels = dict(ReinforcementPlan.Method.choices)
        return ", ".join(labels.get(v, _words(v)) for v in value)
    if isinstance(value, dict):
        parts = []
        for key, items in value.items():
            shown = ", ".join(_words(i) for i in items) if isinstance(items, list) else str(items)
            parts.append(f"{SCOPE_LABELS.get(key, capfirst(_words(key)))}: {shown}")
        return "; ".join(parts)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    field = _field(name)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def readable(details):
    """[(label, old, new)] for the `details` of a ProgramChange."""
    return [
        (field_label(d["field"]), value_text(d["field"], d.get("old")), value_text(d["field"], d.get("new")))
        for d in details
    ]
