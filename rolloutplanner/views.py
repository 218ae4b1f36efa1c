from django.shortcuts import render

from cohorts.selectors import person_for_user

from .roles import Role, role_of

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
    return render(request, HOME_TEMPLATES.get(role, "home/no_role.html"), context)
