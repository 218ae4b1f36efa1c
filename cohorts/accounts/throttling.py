"""Login throttling with django-axes: per account and per client address.

Rules:
- An account is locked after `LOGIN_FAILURE_LIMIT` wrong passwords within the cool-off, from
  whatever addresses they came; a client address is locked after
  `LOGIN_FAILURE_LIMIT_PER_ADDRESS` wrong passwords for any accounts. A locked account or
  address is refused even the right password until `LOGIN_COOLOFF_MINUTES` have passed
  since the last attempt (an attempt during the lock restarts the wait).
- A successful sign-in clears the account's failures (not the address's).
- Usernames are counted case-insensitively, so "Lead" and "lead" share one count.
- Behind reverse proxies (`TRUSTED_PROXY_COUNT`) the address comes from X-Forwarded-For.
- Only password attempts from an HTTP request count: single sign-on callbacks (no username)
  and authenticate() without a request (shell, test client) pass through untouched.
- A locked client sees the sign-in page again with a message saying how long to wait
  (HTTP 429), never a bare error page.
- The password-reset form is throttled the same way: `LOGIN_FAILURE_LIMIT` requests per
  e-mail address, and the client address's limit, per cool-off (no mailbox gets flooded);
  reset requests never lock the account's password sign-in.
"""

from functools import wraps

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.shortcuts import render

from .forms import PasswordResetForm
from .sso import sign_in_context


def username_for_throttling(request, credentials=None):
    """The username an attempt is counted against: as typed, trimmed, lower case."""
    username = (credentials or {}).get("username")
    if username is None and request is not None and request.method == "POST":
        username = request.POST.get("username")
    return (username or "").strip().lower() or None


def client_address(request):
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the entry the
    outermost of them appended to X-Forwarded-For (entries left of it can be forged)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


class LoginThrottleBackend(AxesStandaloneBackend):
    """First in AUTHENTICATION_BACKENDS: refuses locked accounts and addresses."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not username:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with a separate, higher limit per client address.

    Axes compares one count with one limit; the address count is shifted onto the account
    scale so that either limit locks. Needs AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"].
    """

    def get_failures(self, request, credentials=None) -> int:
        per_account, per_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if not get_client_username(request, credentials):
            per_account = 0  # attempts without a username must not share one "account"
        shift = settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS - settings.AXES_FAILURE_LIMIT
        return max(per_account, per_address - shift)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        if request is not None and not get_client_username(request, credentials):
            return  # a refused single sign-on is not a password guess
        return super().user_login_failed(sender, credentials, request, **kwargs)

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A good password clears that account only: one valid login must not wipe the
        # failures an address piled up against other accounts.
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def cooloff_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def _wait() -> str:
    minutes = cooloff_minutes()
    return f"try again in {minutes} minute{'s' if minutes != 1 else ''}"


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page again, saying why and for how long (AXES_LOCKOUT_CALLABLE)."""
    message = (
        "Too many failed sign-in attempts for this account or from your network. "
        f"For your security, sign-in is paused: {_wait()}."
    )
    form = AuthenticationForm(request, initial={"username": username_for_throttling(request, credentials)})
    context = {
        **sign_in_context(),
        "form": form,
        "lockout_message": message,
        "next": request.POST.get("next", ""),
    }
    return render(request, "registration/login.html", context, status=429)


def password_reset_throttled(view):
    """Wrap the password-reset view: each request counts against "password-reset:<e-mail>"
    and the client address; over the limit the form comes back with the wait (HTTP 429)."""

    @wraps(view)
    def throttled(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        email = (request.POST.get("email") or "").strip().lower()
        credentials = {"username": f"password-reset:{email}"}
        if AxesProxyHandler.is_locked(request, credentials):
            messages.warning(
                request,
                f"Too many password-reset requests for this e-mail address or from your network: {_wait()}.",
            )
            form = PasswordResetForm(initial={"email": email})
            return render(request, "registration/password_reset_form.html", {"form": form}, status=429)
        response = view(request, *args, **kwargs)
        AxesProxyHandler.user_login_failed(sender=throttled, credentials=credentials, request=request)
        request.axes_locked_out = False  # the next request gets the form back (above), not the sign-in page
        return response

    return throttled
