"""Role checks shared by every app's views."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from .roles import role_of


def role_required(*roles):
    """Let the view run only for users holding one of `roles`; others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if role_of(request.user) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
