import re

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model

from cohorts.models import Cohort
from programs.models import Program
from rolloutplanner.roles import Role

from .models import AccountState, InvitationJob


class UsersFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Search",
        widget=forms.TextInput(attrs={"placeholder": "Name or e-mail", "class": "form-control"}),
    )
    state = forms.ChoiceField(
        required=False,
        label="Account",
        choices=[("", "Any account state"), *AccountState.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    role = forms.ChoiceField(
        required=False,
        label="Role",
        choices=[("", "Any role"), *Role.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role", required=False, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, default_role, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", f"Follow the org chart ({default_role.label})"), *Role.choices]


class InviteForm(forms.Form):
    Scope = InvitationJob.Scope
    scope = forms.ChoiceField(
        label="Who",
        widget=forms.RadioSelect,
        choices=[(s.value, s.label) for s in (Scope.EVERYONE, Scope.PROGRAM, Scope.COHORT)],
        initial=Scope.EVERYONE,
    )
    program = forms.ModelChoiceField(
        Program.objects.order_by("name"), required=False, label="Program", empty_label="Choose a program"
    )
    cohort = forms.ModelChoiceField(
        Cohort.objects.select_related("program").order_by("program__name", "wave__number", "sequence"),
        required=False,
        label="Cohort",
        empty_label="Choose a cohort",
    )
    include_invited = forms.BooleanField(
        required=False,
        label="Also send again to people invited before who have not set a password yet",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].label_from_instance = lambda c: f"{c.program.name}: {c.name}"

    def clean(self):
        data = super().clean()
        if data.get("scope") == self.Scope.PROGRAM and not data.get("program"):
            self.add_error("program", "Pick the program whose people to invite.")
        if data.get("scope") == self.Scope.COHORT and not data.get("cohort"):
            self.add_error("cohort", "Pick the cohort to invite.")
        return data


class SelectionForm(forms.Form):
    people = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id a primary key can hold is accepted here; the job only writes to people who exist
        # and may be invited. (A larger one would overflow the database query and fail the job.)
        self.fields["people"].valid_value = lambda value: (
            re.fullmatch(r"[0-9]{1,19}", str(value)) is not None and int(value) < 2**63
        )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Also for people invited who never set a password (their invitation may have expired);
    never for deactivated people."""

    def get_users(self, email):
        User = get_user_model()
        users = User._default_manager.filter(email__iexact=email, is_active=True).exclude(
            person__is_active=False
        )
        return (u for u in users if u.email.lower() == email.lower())
