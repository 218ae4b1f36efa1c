from django import forms

from cohorts.models import Region
from programs.models import Program


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, all kept in the URL so a view can be shared or bookmarked."""

    program = forms.ModelChoiceField(queryset=Program.objects.none(), required=False, empty_label=None)
    region = forms.ModelChoiceField(
        queryset=Region.objects.order_by("name"), required=False, empty_label="All regions"
    )
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    team = forms.IntegerField(required=False, widget=forms.HiddenInput)
    manager = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The end of the range is before its start.")
        return data


class MetricImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: metric, email or team, period_start, period_end (optional), value.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 20 MB: split it.")
        return upload
