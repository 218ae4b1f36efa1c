"""Account pages: users and roles (leads), invitations, setting and resetting passwords."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST

from cohorts.models import Person
from cohorts.selectors import person_for_user
from rolloutplanner.access import role_required
from rolloutplanner.jobs import job_reap_if_stale
from rolloutplanner.pagination import page_and_query
from rolloutplanner.roles import Role, role_of

from . import invitations, services
from .forms import InviteForm, PasswordResetForm, RoleForm, SelectionForm, UsersFilterForm
from .models import InvitationJob, RoleChange
from .selectors import with_account_state
from .tokens import invitation_tokens

USERS_PER_PAGE = 50


# ---------------------------------------------------------------- users and roles (leads)
@role_required(Role.LEAD)
def users(request):
    people = with_account_state(Person.objects.all())
    form = UsersFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        for word in data["q"].split():
            people = people.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
            )
        if data["state"]:
            people = people.filter(account_state=data["state"])
        if data["role"]:
            people = people.filter(user__groups__name=Role(data["role"]).label)
    people = (
        people.select_related("user", "team", "account")
        .prefetch_related("user__groups")
        .annotate(has_reports=Exists(Person.objects.filter(manager=OuterRef("pk"), is_active=True)))
    )
    page, query = page_and_query(request, people.order_by("last_name", "first_name", "pk"), USERS_PER_PAGE)
    for person in page:
        if person.user:
            person.role = role_of(person.user)
        else:
            # No login yet: the role they will get when invited (the one set by hand, else the org chart's).
            override = getattr(getattr(person, "account", None), "role_override", "")
            person.role = (
                Role(override) if override else services.implied_role(person, has_reports=person.has_reports)
            )
    return render(
        request,
        "accounts/users.html",
        {
            "form": form,
            "page": page,
            "org_chart_empty": not page.object_list and not Person.objects.exists(),
            "query": query,
            "recent_changes": RoleChange.objects.select_related("person", "user", "changed_by")[:10],
            "outside": _logins_outside_the_org_chart(),
            "jobs": InvitationJob.objects.select_related("program", "cohort")[:5],
        },
    )


def _logins_outside_the_org_chart():
    """Logins linked to nobody in the org chart (the first lead, admins), with their role."""
    logins = list(
        get_user_model()
        .objects.filter(person__isnull=True)
        .prefetch_related("groups")
        .order_by("username")[:50]
    )
    for user in logins:
        user.role = role_of(user)
    return logins


def _person(pk):
    return get_object_or_404(
        with_account_state(Person.objects.select_related("user", "team", "manager", "account")), pk=pk
    )


@role_required(Role.LEAD)
def person_account(request, pk):
    person = _person(pk)
    default = services.default_role_for(person)
    override = getattr(getattr(person, "account", None), "role_override", "")
    return render(
        request,
        "accounts/person.html",
        {
            "person": person,
            "account": getattr(person, "account", None),
            "role": role_of(person.user) if person.user else None,
            "default_role": default,
            "role_form": RoleForm(default_role=default, initial={"role": override}),
            "changes": person.role_changes.select_related("changed_by")[:50],
            "is_self": person.user_id == request.user.pk,
            "can_invite": invitations.invitable(Person.objects.filter(pk=person.pk)).exists(),
        },
    )


def _act(request, pk, action, done):
    """Run one account action on a person for a lead; an AccountError becomes a message."""
    person = _person(pk)
    try:
        action(person)
    except services.AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done.format(person=person))
    return redirect("accounts:person", pk=person.pk)


@require_POST
@role_required(Role.LEAD)
def role_set(request, pk):
    person = _person(pk)
    form = RoleForm(request.POST, default_role=services.default_role_for(person))
    if not form.is_valid():
        messages.error(request, "Pick one of the roles offered.")
        return redirect("accounts:person", pk=person.pk)
    if person.user_id == request.user.pk:
        messages.error(request, "You cannot change your own role; ask another lead.")
        return redirect("accounts:person", pk=person.pk)
    role = form.cleaned_data["role"] or None
    services.account_role_set(person=person, role=role, by=request.user)
    messages.success(request, f"Role of {person} saved.")
    return redirect("accounts:person", pk=person.pk)


@require_POST
@role_required(Role.LEAD)
def deactivate(request, pk):
    return _act(
        request,
        pk,
        lambda p: services.person_deactivate(person=p, by=request.user),
        "{person} is deactivated: signed out, API token revoked, feed and question links stopped.",
    )


@require_POST
@role_required(Role.LEAD)
def reactivate(request, pk):
    return _act(
        request,
        pk,
        lambda p: services.person_reactivate(person=p, by=request.user),
        "{person} is active again.",
    )


@require_POST
@role_required(Role.LEAD)
def invitation_send(request, pk):
    return _act(
        request,
        pk,
        lambda p: invitations.invitation_send(person=p, by=request.user),
        "Invitation sent to {person}.",
    )


@require_POST
@role_required(Role.LEAD)
def invitation_revoke(request, pk):
    return _act(
        request,
        pk,
        lambda p: invitations.invitation_revoke(person=p, by=request.user),
        "The invitation links sent to {person} no longer work.",
    )


# ---------------------------------------------------------------- invitation jobs (leads)
@require_http_methods(["GET", "POST"])
@role_required(Role.LEAD)
def invite(request):
    form = InviteForm(request.POST or None, initial=request.GET or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = invitations.invitation_job_start(
            user=request.user,
            scope=data["scope"],
            program=data["program"] if data["scope"] == InvitationJob.Scope.PROGRAM else None,
            cohort=data["cohort"] if data["scope"] == InvitationJob.Scope.COHORT else None,
            include_invited=data["include_invited"],
        )
        return redirect("accounts:job", pk=job.pk)
    return render(
        request, "accounts/invite.html", {"form": form, "expires_days": settings.INVITATION_LINK_MAX_AGE_DAYS}
    )


@require_POST
@role_required(Role.LEAD)
def invite_selected(request):
    form = SelectionForm(request.POST)
    if not form.is_valid():
        if request.POST.getlist("people"):
            messages.error(
                request, "Some of the people ticked are not valid; reload the page and tick them again."
            )
        else:
            messages.error(request, "Tick at least one person to invite.")
        return redirect("accounts:users")
    job = invitations.invitation_job_start(
        user=request.user,
        scope=InvitationJob.Scope.SELECTION,
        person_ids=form.cleaned_data["people"],
        include_invited=True,
    )
    return redirect("accounts:job", pk=job.pk)


@role_required(Role.LEAD)
def job_detail(request, pk):
    job = job_reap_if_stale(
        get_object_or_404(InvitationJob.objects.select_related("program", "cohort"), pk=pk)
    )
    return render(request, "accounts/job_detail.html", {"job": job})


@role_required(Role.LEAD)
def job_progress(request, pk):
    job = job_reap_if_stale(
        get_object_or_404(InvitationJob.objects.select_related("program", "cohort"), pk=pk)
    )
    return render(request, "accounts/_job_progress.html", {"job": job})


# ---------------------------------------------------------------- own account
@require_POST
def calendar_feed_rotate(request):
    person = person_for_user(request.user)
    if person is None:
        messages.error(request, "No person of the org chart is linked to your login.")
    else:
        services.calendar_feed_rotate(person=person)
        messages.success(request, "Your calendar feed has a new address; the old one no longer works.")
    return redirect("cohorts:my_sessions")


class _SetsPassword:
    """Set the password through the service, so API tokens are revoked on every change."""

    done_message = ""

    def get_user(self, uidb64):
        """Nobody deactivated gets in through a link (the form says the link is not valid)."""
        user = super().get_user(uidb64)
        if user is None or not user.is_active or Person.objects.filter(user=user, is_active=False).exists():
            return None
        return user

    def form_valid(self, form):
        services.account_password_set(user=form.user, password=form.cleaned_data["new_password1"])
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        if self.done_message:
            messages.success(self.request, self.done_message)
        return HttpResponseRedirect(self.get_success_url())


class WelcomeView(_SetsPassword, auth_views.PasswordResetConfirmView):
    """The invitation link: choose a first password (the link then stops working)."""

    token_generator = invitation_tokens
    template_name = "accounts/welcome.html"
    success_url = reverse_lazy("login")
    title = "Choose your password"
    done_message = "Your password is set. Sign in with your e-mail address and the new password."


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(_SetsPassword, auth_views.PasswordResetConfirmView):
    token_generator = default_token_generator
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        services.account_password_set(user=form.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, form.user)
        messages.success(
            self.request, "Password changed. Any API token you had was revoked; issue a new one."
        )
        return HttpResponseRedirect(reverse("password_change_done"))
