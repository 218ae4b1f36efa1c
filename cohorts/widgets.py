"""A searchable person picker for forms: a text box that asks the server as you type.

The form posts the chosen person's id (a hidden input), so the field stays a plain
ModelChoiceField and validation is one lookup by primary key however large the org chart.
Behaviour lives in static/js/person-picker.js (no inline script); without JavaScript the
text box takes an e-mail address, which `PersonField` accepts too.
"""

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from .models import Person


class PersonPicker(forms.Widget):
    template_name = "cohorts/widgets/person_picker.html"

    def __init__(self, *, levels=(), attrs=None):
        super().__init__(attrs)
        self.levels = tuple(levels)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        person = None
        if value not in (None, ""):
            lookup = {"pk": value} if str(value).isdigit() else {"email__iexact": value}
            person = Person.objects.filter(**lookup).first()
        url = reverse("cohorts:people_search")
        if self.levels:
            url += "?level=" + ",".join(self.levels)
        context["widget"].update(
            {"person": person, "search_url": url, "shown": person.full_name if person else value or ""}
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # Rendered with the project's templates (the default form renderer only sees app dirs).
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))

    def value_from_datadict(self, data, files, name):
        chosen = data.get(name)
        return chosen if chosen else data.get(f"{name}_search", "").strip() or None


class PersonField(forms.ModelChoiceField):
    """A person picked by id (from the picker) or typed as an e-mail address."""

    default_error_messages = {
        "invalid_choice": "Pick a person from the list (type a name or e-mail address)."
    }

    def __init__(self, queryset=None, *, levels=(), **kwargs):
        kwargs.setdefault("widget", PersonPicker(levels=levels))
        super().__init__(queryset if queryset is not None else Person.objects.all(), **kwargs)

    def to_python(self, value):
        if isinstance(value, str) and "@" in value:
            person = self.queryset.filter(email__iexact=value.strip()).first()
            if person is None:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
            return person
        return super().to_python(value)
