from django.contrib.auth import logout


class ActiveAccountMiddleware:
    """Sign out a deactivated login on its next request, whichever backend signed it in.

    Django's ModelBackend already refuses inactive users, but other backends (single sign-on)
    may not; this keeps "deactivated means out at once" true for every session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_active:
            logout(request)
        return self.get_response(request)
