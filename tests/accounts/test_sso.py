"""Single sign-on lets in active people of the org chart by verified e-mail, and nobody else.

The full round trip through a real OpenID provider is in tests/browser/test_sso_journey.py;
these tests cover the matching rules and the pages around it.
"""

import socket

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cohorts.accounts.sso import PersonBackend, SignInRefused, account_for_claims
from rolloutplanner.roles import Role, role_of
from tests.factories import PASSWORD, PersonFactory
from tests.rolloutplanner.test_settings import run_django

pytestmark = pytest.mark.django_db
User = get_user_model()


def claims(email, verified=True):
    return {"sub": "abc123", "email": email, "email_verified": verified}


@pytest.fixture
def sso_on(settings):
    settings.OIDC_ISSUER = "https://login.example.com"
    settings.OIDC_RP_CLIENT_ID = "rollout-planner"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_PROVIDER_NAME = "Acme"


def test_a_verified_email_of_an_active_person_gets_a_login_with_the_org_chart_role(roles):
    person = PersonFactory(email="Dana.Doe@example.com")
    user = account_for_claims(claims("dana.doe@EXAMPLE.com"))
    person.refresh_from_db()
    assert person.user == user
    assert user.username == "dana.doe@example.com"
    assert role_of(user) == Role.SELLER
    assert not user.has_usable_password()


def test_an_unverified_email_is_refused_and_no_login_is_created(roles):
    PersonFactory(email="dana@example.com")
    for unverified in (False, "false", None):
        with pytest.raises(SignInRefused) as refused:
            account_for_claims(claims("dana@example.com", verified=unverified))
        assert refused.value.reason == "unverified"
    with pytest.raises(SignInRefused):
        account_for_claims({"sub": "abc123", "email_verified": True})
    assert not User.objects.exists()


def test_an_inactive_person_is_refused_like_an_unknown_email(roles):
    PersonFactory(email="gone@example.com", is_active=False)
    for email in ("gone@example.com", "stranger@example.com"):
        with pytest.raises(SignInRefused) as refused:
            account_for_claims(claims(email))
        assert (refused.value.reason, refused.value.email) == ("not_in_org_chart", email)
    assert not User.objects.exists()


def test_an_existing_linked_login_is_reused_with_its_role(org):
    seller = org.people["seller"]
    users = User.objects.count()
    assert account_for_claims(claims(seller.email.upper())) == org.seller
    assert User.objects.count() == users
    assert role_of(org.seller) == Role.SELLER


def test_a_deactivated_login_is_refused_and_loses_its_session(org, client):
    client.force_login(org.seller)
    org.seller.is_active = False
    org.seller.save()
    with pytest.raises(SignInRefused) as refused:
        account_for_claims(claims(org.people["seller"].email))
    assert refused.value.reason == "deactivated"
    assert PersonBackend().get_user(org.seller.pk) is None
    assert client.get(reverse("home")).status_code == 302


def test_the_backend_ignores_password_logins_without_calling_the_provider(org, sso_on, client):
    # The issuer is unreachable; a password login must neither touch it nor fail because of it.
    response = client.post(reverse("login"), {"username": "lead", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_the_login_page_shows_the_button_only_when_sso_is_configured(client, settings, sso_on):
    body = client.get(reverse("login")).content.decode()
    assert "Sign in with Acme" in body
    assert reverse("sso_start") in body
    settings.OIDC_ISSUER = ""
    body = client.get(reverse("login")).content.decode()
    assert "Sign in with" not in body
    assert client.get(reverse("sso_start")).status_code == 404


def test_password_login_can_be_turned_off(org, client, settings, sso_on):
    settings.PASSWORD_LOGIN_ENABLED = False
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with Acme" in page
    assert 'name="password"' not in page
    response = client.post(reverse("login"), {"username": "lead", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_an_unreachable_provider_gets_a_clear_page_not_an_error(client, settings, sso_on):
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.OIDC_ISSUER = f"http://127.0.0.1:{port}"
    settings.OIDC_TIMEOUT = 2
    response = client.get(reverse("sso_start"))
    assert response.status_code == 503
    assert "could not reach your organisation's sign-in service" in response.content.decode()


def test_a_forged_or_replayed_callback_is_refused_with_a_page(client, sso_on):
    response = client.get(reverse("sso_callback"), {"code": "stolen", "state": "made-up"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("sso_refused")
    assert response.status_code == 403
    assert "Sign-in did not complete" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"OIDC_ISSUER": "https://login.example.com"}, "OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are required"),
        ({"PASSWORD_LOGIN_ENABLED": "false"}, "PASSWORD_LOGIN_ENABLED=false needs single sign-on"),
        (
            {"OIDC_ISSUER": "https://x.example", "OIDC_CLIENT_ID": "a", "OIDC_CLIENT_SECRET": "b"}
            | {"OIDC_SCOPES": "openid"},
            "OIDC_SCOPES must include openid and email",
        ),
        ({"LOGIN_FAILURE_LIMIT": "50", "LOGIN_FAILURE_LIMIT_PER_ADDRESS": "9"}, "LOGIN_FAILURE_LIMIT must"),
        ({"LOGIN_COOLOFF_MINUTES": "0"}, "LOGIN_COOLOFF_MINUTES must be at least 1"),
        (
            {"DEBUG": "false", "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "x.example"}
            | {"OIDC_ISSUER": "http://login.example.com", "OIDC_CLIENT_ID": "a", "OIDC_CLIENT_SECRET": "b"},
            "OIDC_ISSUER must be an https:// URL",
        ),
    ],
)
def test_bad_sign_in_settings_stop_start_up(env, message):
    result = run_django("pass", **env)
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
