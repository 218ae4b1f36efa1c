"""A deactivated person loses every door at once: session, API token, calendar feed, answer
link and nudges; their history stays. Deactivation comes from a lead or from the import."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from cohorts.accounts.models import Account
from cohorts.accounts.services import AccountError, person_deactivate, person_reactivate
from cohorts.calendars import feed_token
from cohorts.services.org_import import org_csv_apply, org_csv_validate
from reinforcement.models import Card, Nudge, ReviewLog
from reinforcement.services.nudges import answer_token, nudges_claim, nudges_deliver, nudges_plan
from tests.accounts.conftest import signs_in

pytestmark = pytest.mark.django_db


def deactivate_by_lead(client, org, person):
    client.force_login(org.lead)
    response = client.post(reverse("accounts:deactivate", args=[person.pk]))
    assert response.status_code == 302
    client.logout()
    person.refresh_from_db()
    assert not person.is_active


def test_a_deactivated_sellers_session_stops_at_once(client, org):
    client.force_login(org.seller)
    assert client.get(reverse("cohorts:my_sessions")).status_code == 200
    person_deactivate(person=org.people["seller"], by=org.lead)
    response = client.get(reverse("cohorts:my_sessions"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_deactivated_person_cannot_log_in_again(client, org):
    person_deactivate(person=org.people["seller"], by=org.lead)
    assert not signs_in(client, "seller", "correct-horse-battery")


def test_a_deactivated_persons_api_token_stops_working(client, org):
    token = Token.objects.create(user=org.seller)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    assert client.get("/api/stages/", **auth).status_code == 200
    deactivate_by_lead(client, org, org.people["seller"])
    response = client.get("/api/stages/", **auth)
    assert response.status_code == 401
    assert response.json()["status_code"] == 401
    assert not Token.objects.filter(user=org.seller).exists()


def test_a_deactivated_persons_calendar_feed_stops_working(client, org):
    url = reverse("cohorts:calendar_feed", args=[feed_token(org.people["seller"])])
    assert client.get(url).status_code == 200
    deactivate_by_lead(client, org, org.people["seller"])
    assert client.get(url).status_code == 404


def test_a_deactivated_persons_answer_link_stops_working(client, org, learned):
    card = Card.objects.filter(person=learned).first()
    nudge = Nudge.objects.create(
        person=learned,
        card=card,
        due_at=timezone.now(),
        created_at=timezone.now(),
        status=Nudge.Status.SENT,
        sent_at=timezone.now(),
        idempotency_key="q:deactivated",
    )
    url = reverse("reinforcement:answer_link", args=[answer_token(nudge)])
    assert client.get(url).status_code == 200
    deactivate_by_lead(client, org, learned)
    response = client.post(url, {"choice": "0"})
    assert response.status_code == 403
    assert ReviewLog.objects.count() == 0


def test_nudges_stop_for_a_deactivated_person_and_their_history_stays(org, learned, mailoutbox):
    now = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # a Tuesday morning in Berlin
    Card.objects.filter(person=learned).update(due_at=now - timedelta(hours=1))
    nudges_plan(now=now)
    planned = Nudge.objects.filter(person=learned, status=Nudge.Status.PENDING).count()
    assert planned > 0
    # Deactivated between planning and sending: nothing goes out, the rows stay (cancelled).
    person_deactivate(person=learned, by=org.lead)
    token, ids = nudges_claim(now=now + timedelta(minutes=1))
    assert nudges_deliver(nudge_ids=ids, lease_token=token) == 0
    assert mailoutbox == []
    assert Nudge.objects.filter(person=learned, status=Nudge.Status.CANCELLED).count() == planned
    # And nothing new is planned for them.
    Nudge.objects.all().delete()
    assert nudges_plan(now=now) == 0
    assert Card.objects.filter(person=learned).exists()


def test_an_import_with_active_no_switches_the_login_off(org):
    seller = org.people["seller"]
    Token.objects.create(user=org.seller)
    content = f"email,first_name,last_name,active\n{seller.email},{seller.first_name},{seller.last_name},no\n"
    rows, columns, errors = org_csv_validate(content.encode())
    assert errors == []
    org_csv_apply(rows, columns, by=org.lead)
    org.seller.refresh_from_db()
    assert not org.seller.is_active
    assert not Token.objects.filter(user=org.seller).exists()
    assert Account.objects.get(person=seller).deactivated_by == org.lead
    # Back to active in a later import: the login works again with the same password.
    rows, columns, _ = org_csv_validate(content.replace(",no\n", ",yes\n").encode())
    org_csv_apply(rows, columns)
    org.seller.refresh_from_db()
    assert org.seller.is_active


def test_a_lead_reactivates_a_person(client, org):
    person_deactivate(person=org.people["seller"], by=org.lead)
    person_reactivate(person=org.people["seller"], by=org.lead)
    assert signs_in(client, "seller", "correct-horse-battery")


def test_a_lead_cannot_deactivate_themselves(org):
    lead_person = org.people["vp"]
    with pytest.raises(AccountError):
        person_deactivate(person=lead_person, by=org.executive)
