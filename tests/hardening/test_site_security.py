"""Issue 11.9: API docs behind login, no open redirect, branded error pages."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from rolloutplanner.errors import server_error
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def test_the_api_schema_and_docs_need_a_login(client, org):
    schema = client.get(reverse("api-schema"))
    assert schema.status_code in (401, 403)
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 302
    assert docs["Location"].startswith(reverse("login"))


def test_a_signed_in_user_reads_the_schema_and_docs(client, org):
    client.force_login(org.manager)
    assert client.get(reverse("api-schema")).status_code == 200
    assert client.get(reverse("api-docs")).status_code == 200


@pytest.mark.parametrize(
    "target",
    ["https://evil.example.com/", "//evil.example.com/", "/\\evil.example.com/", "https:evil.example.com"],
)
@pytest.mark.parametrize("valid", [False, True])
def test_moving_a_member_never_redirects_off_site(client, org, target, valid):
    from cohorts.services.planning import plan_build, plan_save
    from programs.models import Program

    program = ProgramFactory(
        owner=org.lead,
        participation=Program.Participation.MANDATORY,
        rollout=Program.Rollout.PILOT,
        participant_mix=Program.ParticipantMix.INTACT_TEAMS,
        pilot_scope={"teams": ["Team A"]},
    )
    plan_save(program=program, plan=plan_build(program))
    cohort = program.cohorts.first()
    client.force_login(org.lead)
    data = {"person": org.people["seller"].pk, "cohort": cohort.pk if valid else "", "next": target}
    response = client.post(reverse("cohorts:member_move", args=[program.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("cohorts:plan", args=[program.pk])


def test_a_missing_page_has_the_site_layout_a_reason_and_a_way_home(client, org):
    client.force_login(org.seller)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="navbar' in html and "Page not found" in html
    assert f'href="{reverse("home")}"' in html


def test_a_forbidden_page_says_why_in_the_site_layout(client, org):
    client.force_login(org.seller)
    response = client.get(reverse("programs:list"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Not allowed" in html and "navbar" in html and "Back to the home page" in html


def test_a_server_error_page_renders_without_the_database(django_assert_num_queries):
    request = RequestFactory().get("/programs/")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        with django_assert_num_queries(0):
            response = server_error(request)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "Back to the home page" in response.content.decode()


def test_every_page_carries_a_strict_content_security_policy(client, org):
    client.force_login(org.lead)
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
