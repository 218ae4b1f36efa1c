"""Issue 11.7: hostile input to the API and the actuals import answers 400/413 in JSON, never 500."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from reinforcement.measurement.models import MetricActual

pytestmark = pytest.mark.django_db
ACTUALS = reverse("api-metric-actuals")
HUGE = str(10**23)


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


def far_row(org, **extra):
    return {
        "metric": "Win rate",
        "email": org.people["seller"].email,
        "period_start": "9999-12-31",
        "value": "1",
        **extra,
    }


def test_a_date_at_the_end_of_the_calendar_is_a_400_on_its_row(client, org, measured):
    response = client.post(ACTUALS, [far_row(org)], content_type="application/json", **auth(org.lead))
    assert response.status_code == 400
    assert response.json()["errors"][0]["column"] == "period_start"
    assert not MetricActual.objects.exists()


def test_a_far_date_in_the_actuals_csv_is_reported_on_its_row(client, org, measured):
    client.force_login(org.lead)
    content = f"metric,email,period_start,value\nWin rate,{org.people['seller'].email},9999-12-31,1\n"
    upload = SimpleUploadedFile("actuals.csv", content.encode(), content_type="text/csv")
    response = client.post(reverse("measurement:actuals_import"), {"file": upload})
    assert response.status_code == 200
    assert "<td>2</td><td>period_start</td><td>9999-12-31 is out of range" in response.content.decode()
    assert not MetricActual.objects.exists()


def test_a_body_over_the_limit_is_a_json_413(client, org, measured):
    rows = [far_row(org, period_start="2026-11-02", team="x" * 1000) for _ in range(3000)]
    body = json.dumps(rows)
    assert len(body) > 3_000_000
    response = client.post(ACTUALS, body, content_type="application/json", **auth(org.lead))
    assert response.status_code == 413
    assert response.json()["status_code"] == 413
    assert not MetricActual.objects.exists()


def test_json_nested_ten_thousand_deep_is_a_json_400(client, org, measured):
    body = "[" * 10_000 + "]" * 10_000
    response = client.post(ACTUALS, body, content_type="application/json", **auth(org.lead))
    assert response.status_code == 400
    assert response.json()["status_code"] == 400


@pytest.mark.parametrize(
    "url",
    [
        reverse("api-stages") + "?person=" + HUGE,
        reverse("api-stages") + "?program=" + HUGE,
        reverse("api-coaching-sessions") + "?program=" + HUGE,
        reverse("api-program-adoption", args=[1]) + "?team=" + HUGE,
    ],
)
def test_huge_ids_in_api_filters_are_not_a_500(client, org, measured, url):
    response = client.get(url, **auth(org.lead))
    assert response.status_code in (200, 400, 404)
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "url",
    [
        reverse("reinforcement:questions") + "?skill=" + HUGE,
        reverse("reinforcement:matrix") + "?program=" + HUGE,
        reverse("programs:how_we_recommend") + "?program=" + HUGE,
        reverse("reinforcement:questions") + "?skill=²",
    ],
)
def test_huge_ids_in_page_filters_are_not_a_500(client, org, measured, url):
    client.force_login(org.lead)
    assert client.get(url).status_code in (200, 400, 404)


def test_the_api_answers_json_when_the_database_is_down(client, org):
    key = Token.objects.create(user=org.lead).key

    def down(execute, sql, params, many, context):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    with connection.execute_wrapper(down):
        response = client.get(reverse("api-stages"), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["status_code"] == 503


def test_a_page_says_plainly_when_the_database_is_down(org):
    client = Client(raise_request_exception=False)
    client.force_login(org.lead)
    client.get(reverse("home"))  # session row read before the fault

    def down(execute, sql, params, many, context):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    with connection.execute_wrapper(down):
        response = client.get(reverse("programs:list"))
    assert response.status_code == 503
    assert "try again" in response.content.decode().lower()
