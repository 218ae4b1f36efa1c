from .menus import menu_for
from .roles import Role, role_of


def role(request):
    user_role = role_of(request.user) if hasattr(request, "user") else None
    match = getattr(request, "resolver_match", None)
    return {
        "user_role": user_role,
        "Role": Role,
        "main_menu": menu_for(user_role, match.view_name if match else ""),
    }
