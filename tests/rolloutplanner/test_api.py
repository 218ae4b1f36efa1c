import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def test_api_refuses_anonymous_callers_with_json(client):
    response = client.get(reverse("api-me"))
    assert response.status_code == 401 or response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json()["status_code"] == response.status_code


def test_api_accepts_a_token(client, org):
    token = Token.objects.create(user=org.manager)
    response = client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json() == {"username": "manager", "role": "manager"}


def test_api_refuses_a_wrong_token_with_json(client, org):
    response = client.get(reverse("api-me"), HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token.", "status_code": 401}


def test_unknown_api_method_is_a_json_405(client, org):
    token = Token.objects.create(user=org.lead)
    response = client.delete(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 405
    assert response.json()["status_code"] == 405


def test_openapi_schema_is_served(client, org):
    client.force_login(org.manager)
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Rollout Planner API"


def test_api_docs_use_no_cdn(client, org):
    client.force_login(org.manager)
    page = client.get(reverse("api-docs")).content.decode()
    assert "swagger-ui" in page
    assert "cdn.jsdelivr" not in page and "unpkg.com" not in page


def test_token_page_issues_and_replaces_a_token(client, org):
    client.force_login(org.seller)
    assert "You have no API token yet" in client.get(reverse("api_token")).content.decode()
    client.post(reverse("api_token"))
    first = Token.objects.get(user=org.seller).key
    client.post(reverse("api_token"))
    second = Token.objects.get(user=org.seller).key
    assert first != second
    assert second in client.get(reverse("api_token")).content.decode()


def test_an_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No API endpoint at /api/no-such-thing/.", "status_code": 404}
