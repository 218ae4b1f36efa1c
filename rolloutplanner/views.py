from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from cohorts.selectors import person_for_user, upcoming_enrollments

from .first_run import lead_steps
from .roles import Role, role_of
from .services import api_token_regenerate

HOME_TEMPLATES = {
    Role.LEAD: "home/lead.html",
    Role.MANAGER: "home/manager.html",
    Role.EXECUTIVE: "home/executive.html",
    Role.SELLER: "home/seller.html",
}


def home(request):
    role = role_of(request.user)
    person = person_for_user(request.user)
    context = {"person": person}
    if role == Role.MANAGER and person is not None:
        context["direct_reports"] = person.direct_reports.filter(is_active=True).select_related("team")
    if role == Role.SELLER and person is not None:
        context["my_enrollments"] = upcoming_enrollments(person)
    if role == Role.LEAD:
        context["first_steps"] = lead_steps()
    return render(request, HOME_TEMPLATES.get(role, "home/no_role.html"), context)


@require_http_methods(["GET", "POST"])
def api_token(request):
    """Show the caller's API token; POST issues a new one (revoking the old)."""
    if request.method == "POST":
        api_token_regenerate(user=request.user)
        messages.success(request, "A new API token was issued; the previous one no longer works.")
        return redirect("api_token")
    token = Token.objects.filter(user=request.user).first()
    return render(request, "account/api_token.html", {"token": token})
