import pytest
from django.urls import reverse

from reinforcement.measurement.services import snapshot_refresh

pytestmark = pytest.mark.django_db


def test_the_executive_home_shows_headline_adoption_from_the_snapshot(client, org, measured):
    snapshot_refresh(program=measured["program"])
    client.force_login(org.executive)
    body = client.get(reverse("home")).content.decode()
    assert "33%" in body  # 2 of 6 seller-skills at Apply or Master
    assert "Open the adoption dashboard" in body


def test_without_a_snapshot_the_home_says_so(client, org, measured):
    client.force_login(org.executive)
    body = client.get(reverse("home")).content.decode()
    assert "not computed yet" in body
