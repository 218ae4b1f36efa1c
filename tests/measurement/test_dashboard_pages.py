"""The dashboard pages: who sees which scope, the CSV exports and constant query counts."""

import csv
import io

import pytest
from django.urls import reverse

from cohorts.models import CohortMember
from reinforcement.measurement.models import DashboardSnapshot
from reinforcement.measurement.services import snapshot_refresh
from reinforcement.models import SkillStage
from tests.factories import PersonFactory, practice_attempt

pytestmark = pytest.mark.django_db
URL = reverse("measurement:dashboard")


def test_an_executive_sees_adoption_for_the_whole_org(client, org, measured):
    client.force_login(org.executive)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Adoption per skill" in body
    assert response.context["view"]["adoption"] == pytest.approx(2 / 6)
    assert "Figures computed live" in body


def test_the_page_says_how_fresh_a_stored_snapshot_is(client, org, measured):
    snapshot_refresh(program=measured["program"])
    client.force_login(org.executive)
    response = client.get(URL)
    assert response.context["snapshot"] is not None
    assert "refreshed every 6 hours" in response.content.decode()


def test_an_executive_drills_from_region_to_team(client, org, measured):
    client.force_login(org.executive)
    team = org.teams["a"]
    region_page = client.get(
        URL, {"program": measured["program"].pk, "region": org.people["seller"].region_id}
    )
    assert region_page.status_code == 200
    team_page = client.get(URL, {"program": measured["program"].pk, "team": team.pk})
    assert team_page.status_code == 200
    assert team_page.context["scope"].kind == "team"
    assert team_page.context["view"]["people"] == 2
    assert org.people["seller"].full_name in team_page.content.decode()


def test_a_manager_gets_their_own_organisation_and_not_the_other_team(client, org, measured):
    client.force_login(org.manager)
    own = client.get(URL)
    assert own.status_code == 200
    assert own.context["scope"].kind == "manager"
    assert own.context["view"]["people"] == 2
    assert client.get(URL, {"team": org.teams["a"].pk}).status_code == 200
    assert client.get(URL, {"team": org.teams["b"].pk}).status_code == 404
    assert client.get(URL, {"region": org.people["seller"].region_id}).status_code == 403


@pytest.mark.parametrize("who", ["seller", "no_role"])
def test_sellers_and_users_without_a_role_get_no_dashboard(client, org, measured, who):
    client.force_login(getattr(org, who))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("measurement:export", args=["adoption"])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, measured):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_bad_date_range_is_explained_next_to_the_field(client, org, measured):
    client.force_login(org.executive)
    response = client.get(
        URL, {"team": org.teams["a"].pk, "date_from": "2026-11-20", "date_to": "2026-11-01"}
    )
    assert response.status_code == 200
    assert "The end of the range is before its start." in response.content.decode()
    # The other filters still apply.
    assert response.context["scope"].kind == "team"


def test_the_adoption_csv_has_the_numbers_behind_the_chart(client, org, measured):
    client.force_login(org.executive)
    response = client.get(
        reverse("measurement:export", args=["adoption"]), {"program": measured["program"].pk}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "skill" and rows[0][-1] == "adoption_pct"
    qualifying = next(r for r in rows if r[0] == "Qualifying")
    assert qualifying[-1] == "66.7"


@pytest.mark.parametrize(
    "table", ["trend", "children", "leading", "lagging", "impact", "managers", "overdue"]
)
def test_every_table_exports_as_csv(client, org, measured, table):
    client.force_login(org.executive)
    response = client.get(reverse("measurement:export", args=[table]), {"program": measured["program"].pk})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) >= 1 and rows[0]


def test_an_unknown_export_is_refused(client, org, measured):
    client.force_login(org.executive)
    assert client.get(reverse("measurement:export", args=["secrets"])).status_code == 403


def _grow(program, org, n):
    qualifying = program.skills.order_by("id").first()
    for _ in range(n):
        person = PersonFactory(manager=org.people["manager"], team=org.teams["a"])
        CohortMember.objects.create(program=program, person=person)
        SkillStage.objects.create(person=person, program_skill=qualifying, stage="remember")


def test_the_dashboard_query_count_does_not_grow_with_the_data(
    client, org, measured, django_assert_max_num_queries
):
    client.force_login(org.executive)
    program = measured["program"]
    snapshot_refresh(program=program)
    # 12: the figures' 9, the buy-in plan's expectations and team sessions held per manager (2).
    with django_assert_max_num_queries(12):
        client.get(URL, {"program": program.pk})
    _grow(program, org, 15)
    snapshot_refresh(program=program)
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"program": program.pk})
    assert response.context["view"]["people"] == 18


def test_a_live_team_view_has_a_constant_query_count(client, org, measured, django_assert_max_num_queries):
    client.force_login(org.executive)
    program = measured["program"]
    params = {"program": program.pk, "team": org.teams["a"].pk}
    _grow(program, org, 15)
    with django_assert_max_num_queries(33):  # 30 + team sessions held per manager (2) + practice reviews
        response = client.get(URL, params)
    assert response.context["view"]["people"] == 17


def test_only_leads_recompute_the_figures(client, org, measured):
    program = measured["program"]
    client.force_login(org.executive)
    assert client.post(reverse("measurement:refresh"), {"program": program.pk}).status_code == 403
    client.force_login(org.lead)
    response = client.post(reverse("measurement:refresh"), {"program": program.pk})
    assert response.status_code == 302
    assert program.snapshots.filter(region_key=0).exists()


def test_a_managers_breadcrumbs_do_not_link_to_the_org_view(client, org, measured):
    client.force_login(org.manager)
    response = client.get(URL, {"team": org.teams["a"].pk})
    labels = [label for label, _ in response.context["crumbs"]]
    assert "Whole organisation" not in labels
    assert labels[-1] == "Team A"


def test_a_region_lists_its_teams_with_links_to_each_manager(client, org, measured):
    client.force_login(org.executive)
    region = org.teams["a"].region
    response = client.get(URL, {"program": measured["program"].pk, "region": org.people["seller"].region_id})
    rows = {r["name"]: r for r in response.context["view"]["children"]}
    assert "Team A" in rows
    assert f"manager={org.people['manager'].pk}" in rows["Team A"]["manager_url"]
    manager_page = client.get(URL, {"program": measured["program"].pk, "manager": org.people["manager"].pk})
    assert manager_page.context["scope"].kind == "manager"
    assert manager_page.context["view"]["people"] == 2
    assert region is not None


def test_csv_exports_defuse_spreadsheet_formulas_in_names(client, org, measured):
    seller = org.people["other_seller"]
    seller.first_name = "=HYPERLINK(1)"
    seller.save(update_fields=["first_name"])
    client.force_login(org.executive)
    response = client.get(
        reverse("measurement:export", args=["overdue"]), {"program": measured["program"].pk}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    names = [r[0] for r in rows[1:]]
    assert any(n.startswith("'=HYPERLINK(1)") for n in names)


def test_a_big_org_without_a_snapshot_waits_for_it_instead_of_computing_live(
    client, org, measured, monkeypatch
):
    from reinforcement.measurement import selectors

    monkeypatch.setattr(selectors, "LIVE_LIMIT", 2)
    client.force_login(org.executive)
    response = client.get(URL)
    assert response.status_code == 200
    assert "not computed yet" in response.content.decode()
    assert client.get(reverse("measurement:export", args=["adoption"])).status_code == 503
    api = client.get(reverse("api-program-adoption", args=[measured["program"].pk]))
    assert api.status_code == 503 and api.json()["status_code"] == 503
    # A team is small enough to compute live; once the snapshot exists the org view shows it.
    assert client.get(URL, {"team": org.teams["a"].pk}).context["view"]["people"] == 2
    snapshot_refresh(program=measured["program"])
    assert client.get(URL).context["view"]["people"] == 3


def test_overdue_practice_reviews_count_against_the_manager_live_and_from_snapshots(
    client, org, measured, settings, django_assert_max_num_queries
):
    settings.PRACTICE_REVIEW_DUE_DAYS = 3
    program, p = measured["program"], org.people
    skill = program.skills.order_by("id").first().skill
    practice_attempt(p["seller"], skill, waiting_days=5)
    practice_attempt(p["seller_b"], skill, waiting_days=4)
    practice_attempt(p["seller_b"], skill, waiting_days=1)  # not due yet
    practice_attempt(p["other_seller"], skill, waiting_days=6, reviewed_by=p["other_manager"])
    client.force_login(org.executive)

    def figures():
        response = client.get(URL, {"program": program.pk})
        view = response.context["view"]
        by_manager = {r["manager"]: r["reviews_overdue"] for r in view["managers"]["lowest"]}
        return response, view["overdue"]["reviews"], by_manager

    expected = (2, {p["manager"].full_name: 2, p["other_manager"].full_name: 0})
    live, *counts = figures()
    assert live.context["snapshot"] is None and tuple(counts) == expected
    assert "2 practice reviews overdue" in live.content.decode()
    snapshot_refresh(program=program)
    with django_assert_max_num_queries(12):
        stored, *counts = figures()
    assert stored.context["snapshot"] is not None and tuple(counts) == expected
    export = client.get(reverse("measurement:export", args=["managers"]), {"program": program.pk})
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert {r["manager"]: r["practice_reviews_overdue"] for r in rows}[p["manager"].full_name] == "2"


def test_a_snapshot_stored_before_practice_reviews_were_counted_still_shows(client, org, measured):
    program = measured["program"]
    snapshot_refresh(program=program)
    snapshot = DashboardSnapshot.objects.get(program=program, region_key=0)
    snapshot.data.pop("practice_reviewed")
    snapshot.data["overdue"].pop("reviews")
    for row in snapshot.data["managers"]["lowest"]:
        row.pop("reviews_overdue")
    snapshot.save()
    client.force_login(org.executive)
    response = client.get(URL, {"program": program.pk})
    assert response.status_code == 200 and "practice reviews overdue" not in response.content.decode()


def test_the_apply_button_takes_its_own_width_so_it_stays_inside_the_filter_card_at_768px(client, org):
    """A col-md-1 column (about 60 px at 768 px) is narrower than the button and it overflowed."""
    client.force_login(org.lead)
    page = client.get(reverse("measurement:dashboard")).content.decode()
    assert "No program has skills to measure yet" in page
    assert '<div class="col-md-auto d-grid"><button class="btn btn-primary" type="submit">Apply' in page
