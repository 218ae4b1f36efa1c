"""Login throttling: wrong passwords lock the account and the client address for a while."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.db.models import F
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 6
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(response):
    return response.status_code == 302 and response.url == reverse("home")


def test_a_few_typos_do_not_lock_anyone(client, org):
    for _ in range(2):
        response = sign_in(client, "lead", "wrong")
        assert response.status_code == 200
        assert "correct username and password" in response.content.decode()
    assert signed_in(sign_in(client, "lead", PASSWORD))


def test_wrong_passwords_from_different_addresses_lock_the_account(client, org):
    for i in range(3):
        sign_in(client, "lead", "wrong", address=f"10.0.1.{i}")
    response = sign_in(client, "lead", PASSWORD, address="10.0.9.9")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-in attempts" in page
    assert "try again in 15 minutes" in page
    assert 'name="password"' in page  # the sign-in page again, not a bare error
    assert "_auth_user_id" not in client.session
    # The address itself is not locked: someone else signs in from it.
    assert signed_in(sign_in(client, "manager", PASSWORD, address="10.0.9.9"))


def test_usernames_are_counted_ignoring_case(client, org):
    for username in ("Lead", "LEAD", " lead "):
        sign_in(client, username, "wrong")
    assert sign_in(client, "lead", PASSWORD, address="10.0.9.9").status_code == 429


def test_many_accounts_tried_from_one_address_lock_that_address(client, org):
    for username in ("alice", "bob", "carol", "manager", "seller", "executive"):
        sign_in(client, username, "wrong", address="10.0.2.2")
    locked = sign_in(client, "lead", PASSWORD, address="10.0.2.2")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert signed_in(sign_in(client, "lead", PASSWORD, address="10.0.2.3"))


def test_the_lock_lifts_after_the_cool_off(client, org):
    for _ in range(3):
        sign_in(client, "lead", "wrong")
    assert sign_in(client, "lead", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))
    assert sign_in(client, "lead", PASSWORD).status_code == 429  # still locked, wait restarted
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    assert signed_in(sign_in(client, "lead", PASSWORD))


def test_a_successful_sign_in_clears_the_accounts_failures(client, org):
    for _ in range(2):
        sign_in(client, "lead", "wrong")
    assert signed_in(sign_in(client, "lead", PASSWORD))
    client.logout()
    for _ in range(2):
        sign_in(client, "lead", "wrong")
    assert signed_in(sign_in(client, "lead", PASSWORD))


def test_api_tokens_keep_working_and_are_not_counted(client, org):
    token = Token.objects.create(user=org.lead)
    for _ in range(3):
        sign_in(client, "lead", "wrong")
    response = client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token.key}", REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 200
    bad = client.get(reverse("api-me"), HTTP_AUTHORIZATION="Token nope", REMOTE_ADDR="10.0.0.1")
    assert bad.status_code == 401
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 3


def test_a_refused_single_sign_on_is_not_counted_as_a_password_guess(org):
    request = RequestFactory().get("/accounts/sso/callback/", REMOTE_ADDR="10.0.3.3")
    for _ in range(10):
        assert authenticate(request, nonce="n", code_verifier="v") is None
    assert not AccessAttempt.objects.exists()


def test_behind_a_proxy_each_client_is_counted_by_its_forwarded_address(client, org, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "172.16.0.1"

    def via_proxy(username, password, forwarded):
        return client.post(
            reverse("login"),
            {"username": username, "password": password},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for username in ("alice", "bob", "carol", "dave", "erin", "frank"):
        via_proxy(username, "wrong", "203.0.113.7")  # one client tries six accounts
    assert via_proxy("lead", PASSWORD, "203.0.113.7").status_code == 429
    # Another client behind the same proxy is not locked out; a forged left entry changes nothing.
    assert signed_in(via_proxy("lead", PASSWORD, "203.0.113.7, 198.51.100.2"))
    client.logout()
    assert via_proxy("manager", PASSWORD, "1.2.3.4, 203.0.113.7").status_code == 429


def test_password_reset_requests_are_throttled_per_email(client, org, mailoutbox):
    reset = reverse("accounts:password_reset")
    for i in range(3):
        response = client.post(reset, {"email": org.seller.email}, REMOTE_ADDR=f"10.0.4.{i}")
        assert response.status_code == 302
    refused = client.post(reset, {"email": org.seller.email.upper()}, REMOTE_ADDR="10.0.4.9")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many password-reset requests" in page and "try again in 15 minutes" in page
    assert 'name="email"' in page
    assert len(mailoutbox) == 3
    # Reset requests never lock the account's own sign-in.
    assert signed_in(sign_in(client, "seller", PASSWORD, address="10.0.4.9"))


def test_password_reset_requests_count_against_the_client_address(client, org, mailoutbox):
    reset = reverse("accounts:password_reset")
    for i in range(6):
        client.post(reset, {"email": f"someone{i}@example.com"}, REMOTE_ADDR="10.0.5.5")
    assert client.post(reset, {"email": org.seller.email}, REMOTE_ADDR="10.0.5.5").status_code == 429
    assert client.post(reset, {"email": org.seller.email}, REMOTE_ADDR="10.0.5.6").status_code == 302
    assert len(mailoutbox) == 1
