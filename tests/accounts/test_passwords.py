"""Password reset by e-mail and password change; both revoke API tokens."""

import re

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from cohorts.accounts.services import person_deactivate, provision_account
from tests.accounts.conftest import signs_in

pytestmark = pytest.mark.django_db
RESET_LINK = re.compile(r"https?://[^/\s]+(/accounts/password-reset/[^\s\"]+/)")


def test_the_login_page_offers_a_password_reset(client):
    body = client.get(reverse("login")).content.decode()
    assert "Forgot your password?" in body and reverse("accounts:password_reset") in body


def test_a_seller_resets_their_password_from_the_email(client, org, mailoutbox):
    Token.objects.create(user=org.seller)
    response = client.post(reverse("accounts:password_reset"), {"email": org.seller.email.upper()})
    assert response.url == reverse("accounts:password_reset_done")
    message = mailoutbox[0]
    assert message.to == [org.seller.email]
    assert message.alternatives and "Choose a new password" in message.alternatives[0][0]
    form_page = client.get(RESET_LINK.search(message.body).group(1), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Another-long-passw0rd", "new_password2": "Another-long-passw0rd"},
        follow=True,
    )
    assert "Your new password is saved" in done.content.decode()
    assert signs_in(client, "seller", "Another-long-passw0rd")
    assert not Token.objects.filter(user=org.seller).exists()
    client.logout()
    assert (
        "This link no longer works"
        in client.get(RESET_LINK.search(message.body).group(1), follow=True).content.decode()
    )


def test_someone_invited_who_lost_the_email_can_ask_for_a_link(client, org, mailoutbox):
    user = provision_account(person=org.people["seller_b"])
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert [m.to[0] for m in mailoutbox] == [user.email]


def test_a_deactivated_person_gets_no_reset_email_and_the_same_answer(client, org, mailoutbox):
    person_deactivate(person=org.people["seller"], by=org.lead)
    response = client.post(reverse("accounts:password_reset"), {"email": org.seller.email})
    assert response.url == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_an_unknown_email_gets_the_same_answer_and_no_email(client, roles, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response.url == reverse("accounts:password_reset_done")
    assert mailoutbox == []


def test_changing_the_password_revokes_the_api_token_and_keeps_the_session(client, org):
    token = Token.objects.create(user=org.seller)
    client.force_login(org.seller)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery",
            "new_password1": "Brand-new-passw0rd",
            "new_password2": "Brand-new-passw0rd",
        },
    )
    assert response.url == reverse("password_change_done")
    assert not Token.objects.filter(pk=token.pk).exists()
    assert client.get(reverse("cohorts:my_sessions")).status_code == 200
    assert client.get("/api/stages/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 401
