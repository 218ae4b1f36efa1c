"""The owner of a calendar feed can give it a new address; the old one stops working."""

import pytest
from django.urls import reverse

from cohorts.calendars import FEED_SALT, feed_token

pytestmark = pytest.mark.django_db


def test_the_owner_rotates_their_feed_and_the_old_url_dies(client, org):
    old = reverse("cohorts:calendar_feed", args=[feed_token(org.people["seller"])])
    assert client.get(old).status_code == 200
    client.force_login(org.seller)
    response = client.post(reverse("accounts:feed_rotate"), follow=True)
    assert "new address" in response.content.decode()
    client.logout()
    assert client.get(old).status_code == 404
    new = reverse("cohorts:calendar_feed", args=[feed_token(org.people["seller"])])
    assert new != old and client.get(new).status_code == 200


def test_a_feed_url_made_before_rotation_existed_still_works_until_rotated(client, org):
    from django.core import signing

    legacy = signing.dumps(org.people["seller"].pk, salt=FEED_SALT)
    assert client.get(reverse("cohorts:calendar_feed", args=[legacy])).status_code == 200


def test_a_forged_feed_token_is_refused(client, org):
    from django.core import signing

    forged = signing.dumps({"p": org.people["seller"].pk, "k": ""}, salt=FEED_SALT, key="not-our-secret")
    assert client.get(reverse("cohorts:calendar_feed", args=[forged])).status_code == 404


def test_a_feed_url_sent_before_the_login_existed_keeps_working_after_an_invitation(client, org, mailoutbox):
    from cohorts.accounts.invitations import invitation_send

    person = org.people["seller_b"]
    url = reverse("cohorts:calendar_feed", args=[feed_token(person)])
    invitation_send(person=person, by=org.lead)
    assert client.get(url).status_code == 200
