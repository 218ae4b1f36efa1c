"""Single sign-on with OpenID Connect, on top of mozilla-django-oidc.

Rules:
- SSO is on when `OIDC_ISSUER` is set; the provider's endpoints come from its discovery
  document (`<issuer>/.well-known/openid-configuration`), fetched when first needed.
- A signed-in identity is let in only with a verified e-mail (`email_verified` true) that
  belongs to an ACTIVE person of the org chart (ignoring case). Their login is created or
  reused through `provision_account`; nobody else gets an account.
- Everything else ends on a page that says why (not in the org chart, e-mail not verified,
  account deactivated, provider unreachable), never on an error page.
"""

import logging
import time
from dataclasses import dataclass

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .services import active_person_for_email, provision_account

log = logging.getLogger(__name__)

DISCOVERY_TTL_SECONDS = 3600
_discovery_cache: dict[str, tuple[float, dict]] = {}


def sso_enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


class ProviderUnavailable(Exception):
    """The identity provider could not be reached or answered nonsense."""


def provider_metadata() -> dict:
    """The issuer's discovery document, cached for an hour per issuer."""
    issuer = settings.OIDC_ISSUER
    cached = _discovery_cache.get(issuer)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    try:
        response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        metadata = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"discovery at {issuer} failed: {exc}") from exc
    if metadata.get("issuer", "").rstrip("/") != issuer:
        raise ProviderUnavailable(f"discovery at {issuer} names another issuer: {metadata.get('issuer')!r}")
    _discovery_cache[issuer] = (time.monotonic() + DISCOVERY_TTL_SECONDS, metadata)
    return metadata


@dataclass
class SignInRefused(Exception):
    reason: str  # one of REFUSALS
    email: str = ""


REFUSALS = {
    "not_in_org_chart": "Your e-mail address is not in the org chart",
    "unverified": "Your e-mail address is not verified",
    "deactivated": "Your account is deactivated",
    "failed": "Sign-in did not complete",
}


def account_for_claims(claims: dict):
    """The login for a signed-in identity's claims, created through `provision_account` when
    the person has none yet. Raises SignInRefused when the identity may not come in."""
    email = (claims.get("email") or "").strip()
    if not email:
        raise SignInRefused("unverified")
    # Some providers send the flag as the string "true".
    if claims.get("email_verified") not in (True, "true"):
        raise SignInRefused("unverified", email)
    person = active_person_for_email(email)
    if person is None:
        raise SignInRefused("not_in_org_chart", email)
    if person.user is not None and not person.user.is_active:
        raise SignInRefused("deactivated", email)
    return provision_account(person=person)


class PersonBackend(OIDCAuthenticationBackend):
    """Signs in people of the org chart from the provider's callback; inert elsewhere
    (password logins pass through it untouched, and it makes no network call for them)."""

    def __init__(self, *args, **kwargs):
        # The parent reads the provider's endpoints here; they are resolved per sign-in instead.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        # Only the SSO callback passes a nonce; every other authenticate() call is not ours.
        if request is None or "nonce" not in kwargs or not sso_enabled():
            return None
        metadata = provider_metadata()
        self.OIDC_OP_TOKEN_ENDPOINT = metadata["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = metadata["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = metadata["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        """The library checks signature, expiry and nonce; also check who issued the token and
        for whom."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss", "").rstrip("/") != settings.OIDC_ISSUER:
            raise SuspiciousOperation("ID token from another issuer")
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo is about another subject than the ID token")
        try:
            return account_for_claims(claims)
        except SignInRefused as refusal:
            log.info("single sign-on refused (%s) for %s", refusal.reason, refusal.email or "no e-mail")
            self.request.sso_refusal = refusal
            return None

    def get_user(self, user_id):
        # The parent skips the is_active check; a deactivated login must lose its session.
        return ModelBackend.get_user(self, user_id)


class StartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's sign-in page (with state, nonce and PKCE)."""

    def __init__(self, **kwargs):
        # The parent reads the authorization endpoint here; it comes from discovery in get().
        View.__init__(self, **kwargs)

    def get(self, request):
        if not sso_enabled():
            raise Http404("Single sign-on is not configured.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_metadata()["authorization_endpoint"]
        except (ProviderUnavailable, KeyError) as exc:
            log.warning("single sign-on unavailable: %s", exc)
            return _unavailable(request)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: signs in, or says why not."""

    def get(self, request):
        if not sso_enabled():
            raise Http404("Single sign-on is not configured.")
        try:
            return super().get(request)
        except (ProviderUnavailable, requests.RequestException, KeyError) as exc:
            log.warning("single sign-on unavailable: %s", exc)
            return _unavailable(request)
        except SuspiciousOperation as exc:
            log.warning("single sign-on callback rejected: %s", exc)
            return self.login_failure()

    def login_failure(self):
        refusal = getattr(self.request, "sso_refusal", None) or SignInRefused("failed")
        self.request.session["sso_refusal"] = {"reason": refusal.reason, "email": refusal.email}
        return redirect("sso_refused")


@login_not_required
def sso_refused(request):
    """Why single sign-on did not let the person in; no account was created."""
    refusal = request.session.get("sso_refusal") or {"reason": "failed", "email": ""}
    reason = refusal["reason"] if refusal["reason"] in REFUSALS else "failed"
    context = {"reason": reason, "heading": REFUSALS[reason], "email": refusal["email"]}
    return render(request, "registration/sso_refused.html", context, status=403)


def _unavailable(request):
    context = {"reason": "unavailable", "heading": "Single sign-on is not reachable right now", "email": ""}
    return render(request, "registration/sso_refused.html", context, status=503)


def sign_in_context() -> dict:
    """What the sign-in page shows besides the form."""
    return {
        "sso_enabled": sso_enabled(),
        "sso_label": f"Sign in with {settings.OIDC_PROVIDER_NAME}",
        "password_login": settings.PASSWORD_LOGIN_ENABLED,
    }


class LoginView(auth_views.LoginView):
    """The sign-in page: password form and/or a "Sign in with <company>" button."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **sign_in_context()}

    def post(self, request, *args, **kwargs):
        if not settings.PASSWORD_LOGIN_ENABLED:
            return self.render_to_response(self.get_context_data(), status=403)
        return super().post(request, *args, **kwargs)


urlpatterns = [
    path("start/", login_not_required(StartView.as_view()), name="sso_start"),
    path("callback/", login_not_required(CallbackView.as_view()), name="sso_callback"),
    path("refused/", sso_refused, name="sso_refused"),
]
