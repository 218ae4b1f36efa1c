"""The REST API: metric actuals pushed by a CRM job, and reads scoped like the pages."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.authtoken.models import Token

from reinforcement.measurement.models import MetricActual
from reinforcement.models import CoachingSession
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ACTUALS = reverse("api-metric-actuals")


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


def row(person, value="24.5", **extra):
    return {
        "metric": "Win rate",
        "email": person.email,
        "period_start": "2026-11-02",
        "value": value,
        **extra,
    }


def test_a_lead_pushes_a_batch_and_a_second_push_replaces_the_values(client, org, measured):
    people = [org.people["seller"], org.people["seller_b"]]
    response = client.post(
        ACTUALS, [row(p) for p in people], content_type="application/json", **auth(org.lead)
    )
    assert response.status_code == 201
    assert response.json() == {"created": 2, "updated": 0}
    again = client.post(
        ACTUALS, [row(p, "30") for p in people], content_type="application/json", **auth(org.lead)
    )
    assert again.json() == {"created": 0, "updated": 2}
    values = MetricActual.objects.filter(source=MetricActual.Source.API).values_list("value", flat=True)
    assert sorted(float(v) for v in values) == [30.0, 30.0]
    first = MetricActual.objects.first()
    assert first.period_end == date(2026, 11, 8)


def test_a_single_object_is_accepted_for_a_team(client, org, measured):
    payload = {"metric": "deal size", "team": "Team A", "period_start": "2026-11-02", "value": "120"}
    response = client.post(ACTUALS, payload, content_type="application/json", **auth(org.lead))
    assert response.status_code == 201
    assert MetricActual.objects.get().team == org.teams["a"]


def test_one_bad_row_saves_nothing_and_every_problem_is_listed(client, org, measured):
    payload = [
        row(org.people["seller"]),
        row(org.people["seller_b"], value="lots"),
        {"metric": "Happiness", "email": "nobody@example.com", "period_start": "2026-13-01", "value": "1"},
    ]
    response = client.post(ACTUALS, payload, content_type="application/json", **auth(org.lead))
    assert response.status_code == 400
    body = response.json()
    assert body["status_code"] == 400
    problems = {(e["row"], e["column"]) for e in body["errors"]}
    assert (1, "value") in problems
    assert (2, "period_start") in problems
    assert not MetricActual.objects.exists()


def test_unknown_people_and_metrics_are_reported_by_row(client, org, measured):
    payload = [
        {"metric": "Happiness", "email": "nobody@example.com", "period_start": "2026-11-02", "value": "1"}
    ]
    response = client.post(ACTUALS, payload, content_type="application/json", **auth(org.lead))
    columns = {e["column"] for e in response.json()["errors"]}
    assert columns == {"metric", "email"}


@pytest.mark.parametrize("who", ["executive", "manager", "seller"])
def test_other_roles_cannot_push_actuals(client, org, measured, who):
    user = getattr(org, who)
    response = client.post(
        ACTUALS, [row(org.people["seller"])], content_type="application/json", **auth(user)
    )
    assert response.status_code == 403
    assert response.json()["status_code"] == 403
    assert not MetricActual.objects.exists()


def test_an_integration_user_with_the_add_permission_may_push(client, org, measured):
    robot = UserFactory(username="crm-sync")
    robot.user_permissions.add(Permission.objects.get(codename="add_metricactual"))
    response = client.post(
        ACTUALS, [row(org.people["seller"])], content_type="application/json", **auth(robot)
    )
    assert response.status_code == 201


def test_anonymous_callers_get_a_json_401(client, measured):
    response = client.post(ACTUALS, [], content_type="application/json")
    assert response.status_code in (401, 403)
    assert response.json()["status_code"] == response.status_code


def _push(client, org):
    rows = [row(org.people[k]) for k in ("seller", "seller_b", "other_seller")]
    client.post(ACTUALS, rows, content_type="application/json", **auth(org.lead))


def test_actuals_are_read_within_the_callers_scope(client, org, measured):
    _push(client, org)
    emails = lambda user: {r["email"] for r in client.get(ACTUALS, **auth(user)).json()["results"]}  # noqa: E731
    assert len(emails(org.executive)) == 3
    assert emails(org.manager) == {org.people["seller"].email, org.people["seller_b"].email}
    assert emails(org.seller) == {org.people["seller"].email}
    assert client.get(ACTUALS, **auth(org.no_role)).status_code == 403


def test_programs_are_read_by_planners_but_not_by_sellers(client, org, measured):
    response = client.get(reverse("api-programs"), **auth(org.manager))
    assert response.status_code == 200
    program = response.json()["results"][0]
    assert program["skills"] == ["Qualifying", "Negotiating"]
    assert client.get(reverse("api-programs"), **auth(org.seller)).status_code == 403
    detail = reverse("api-program", args=[measured["program"].pk])
    assert client.get(detail, **auth(org.seller)).status_code == 403
    assert client.get(detail, **auth(org.executive)).json()["name"] == "Value selling"


def test_stages_are_scoped_to_the_callers_people(client, org, measured):
    url = reverse("api-stages")
    assert client.get(url, **auth(org.executive)).json()["count"] == 5
    mine = client.get(url, **auth(org.seller)).json()["results"]
    assert {r["person"] for r in mine} == {org.people["seller"].pk}
    managed = client.get(url, **auth(org.other_manager)).json()["results"]
    assert {r["person"] for r in managed} == {org.people["other_seller"].pk}
    assert client.get(url, **auth(org.no_role)).status_code == 403


def test_coaching_logs_are_scoped_like_the_pages(client, org, measured):
    url = reverse("api-coaching-sessions")
    assert client.get(url, **auth(org.executive)).json()["count"] == 2
    assert client.get(url, **auth(org.manager)).json()["count"] == 2
    assert client.get(url, **auth(org.other_manager)).json()["count"] == 0
    assert client.get(url, **auth(org.seller)).json()["count"] == 2
    assert client.get(url, **auth(org.other_seller)).json()["count"] == 0
    assert CoachingSession.objects.count() == 2


def test_cohorts_list_only_the_members_a_manager_may_see(client, org, measured):
    from cohorts.models import Cohort, CohortMember, Wave

    program = measured["program"]
    wave = Wave.objects.create(program=program, number=1, name="Pilot", kind=Wave.Kind.PILOT)
    cohort = Cohort.objects.create(program=program, wave=wave, name="Pilot 1")
    CohortMember.objects.filter(program=program).update(cohort=cohort)
    url = reverse("api-program-cohorts", args=[program.pk])
    everyone = client.get(url, **auth(org.executive)).json()[0]
    assert everyone["member_count"] == 5 and len(everyone["members"]) == 5
    mine = client.get(url, **auth(org.manager)).json()[0]
    assert set(mine["members"]) == {org.people["seller"].pk, org.people["seller_b"].pk}
    assert client.get(url, **auth(org.seller)).status_code == 403


def test_adoption_is_served_with_the_dashboard_rules(client, org, measured):
    url = reverse("api-program-adoption", args=[measured["program"].pk])
    body = client.get(url, **auth(org.executive)).json()
    assert body["adoption"] == pytest.approx(2 / 6)
    assert body["people"] == 3
    assert client.get(url, {"team": org.teams["b"].pk}, **auth(org.manager)).status_code == 404
    assert client.get(url, {"region": org.people["seller"].region_id}, **auth(org.manager)).status_code == 403
    assert client.get(url, **auth(org.seller)).status_code == 403


def test_the_schema_documents_the_metric_actuals_endpoint(client, org):
    client.force_login(org.lead)
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "post" in schema["paths"]["/api/metric-actuals/"]
    assert "/api/stages/" in schema["paths"]


def test_list_endpoints_keep_a_constant_query_count(client, org, measured, django_assert_max_num_queries):
    from reinforcement.models import CoachingSession

    headers = auth(org.executive)
    _push(client, org)
    urls = [reverse("api-stages"), reverse("api-coaching-sessions"), reverse("api-programs"), ACTUALS]
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(20) as captured:
            client.get(url, **headers)
        counts[url] = len(captured.captured_queries)
    manager = org.people["manager"]
    for _ in range(5):
        session = CoachingSession.objects.create(
            manager=manager, program=measured["program"], kind="role_play", occurred_on="2026-11-20"
        )
        session.sellers.set([org.people["seller"], org.people["seller_b"]])
    more = [row(org.people["seller"], period_start=f"2026-10-{day:02d}") for day in (5, 12, 19, 26)]
    client.post(ACTUALS, more, content_type="application/json", **auth(org.lead))
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url, **headers).status_code == 200


def test_a_manager_reads_their_own_teams_figures_but_not_another_teams(client, org, measured):
    rows = [
        {"metric": "Revenue", "team": "Team A", "period_start": "2026-11-02", "value": "300"},
        {"metric": "Revenue", "team": "Team B", "period_start": "2026-11-02", "value": "200"},
    ]
    client.post(ACTUALS, rows, content_type="application/json", **auth(org.lead))
    teams = {r["team"] for r in client.get(ACTUALS, **auth(org.manager)).json()["results"]}
    assert teams == {"Team A"}
    assert not client.get(ACTUALS, **auth(org.seller)).json()["results"]
