from .roles import Role, role_of


def role(request):
    user_role = role_of(request.user) if hasattr(request, "user") else None
    return {"user_role": user_role, "Role": Role}
