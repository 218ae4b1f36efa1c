"""Metric actuals from CSV: every bad row reported, nothing imported on error, re-import replaces."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reinforcement.measurement.models import MetricActual
from reinforcement.measurement.services import metric_actuals_import

pytestmark = pytest.mark.django_db
URL = reverse("measurement:actuals_import")
HEADER = "metric,email,team,period_start,period_end,value\n"


def test_a_valid_file_imports_people_and_teams(org, measured):
    seller = org.people["seller"]
    content = (
        HEADER + f"Win rate,{seller.email},,2026-11-02,2026-11-08,24.5\nRevenue,,team a,2026-11-02,,310\n"
    )
    result = metric_actuals_import(content=content.encode())
    assert result.ok
    assert (result.created, result.updated) == (2, 0)
    person_row = MetricActual.objects.get(person=seller)
    assert person_row.value == Decimal("24.5")
    assert MetricActual.objects.get(team=org.teams["a"]).metric.name == "Revenue"


def test_importing_the_same_period_again_replaces_the_value(org, measured):
    seller = org.people["seller"]
    metric_actuals_import(content=HEADER + f"Win rate,{seller.email},,2026-11-02,,20\n")
    result = metric_actuals_import(content=HEADER + f"Win rate,{seller.email.upper()},,2026-11-02,,22\n")
    assert (result.created, result.updated) == (0, 1)
    assert MetricActual.objects.get().value == Decimal("22")


def test_every_bad_row_is_reported_and_nothing_is_imported(org, measured):
    seller = org.people["seller"]
    content = HEADER + "\n".join(
        [
            f"Win rate,{seller.email},,2026-11-02,,20",  # fine
            "Happiness,nobody@example.com,,2026-11-02,,1",  # unknown metric and person
            f"Win rate,{seller.email},Team A,2026-11-02,,1",  # both person and team
            f"Win rate,{seller.email},,2026-11-09,2026-11-01,1",  # ends before it starts
            f"Win rate,{seller.email},,02/11/2026,,abc",  # bad date and value
            f"Win rate,{seller.email},,2026-11-02,,21",  # duplicate of line 2
            ",,,,,",  # blank line: skipped
        ]
    )
    result = metric_actuals_import(content=content)
    found = {(e["row"], e["column"]) for e in result.errors}
    assert {
        (3, "metric"),
        (3, "email"),
        (4, "email"),
        (5, "period_end"),
        (6, "period_start"),
        (6, "value"),
    } <= found
    assert (7, "period_start") in found
    assert not any(e["row"] == 2 for e in result.errors)
    assert not MetricActual.objects.exists()


def test_a_file_without_the_needed_columns_is_refused(org, measured):
    result = metric_actuals_import(content="name,amount\nx,1\n")
    assert not result.ok
    assert "Missing column" in result.errors[0]["message"]


def test_the_import_page_shows_each_problem_and_imports_nothing(client, org, measured):
    client.force_login(org.lead)
    upload = SimpleUploadedFile("actuals.csv", (HEADER + "Happiness,x@example.com,,2026-11-02,,1\n").encode())
    response = client.post(URL, {"file": upload})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing was imported" in body and "Unknown metric" in body
    assert not MetricActual.objects.exists()


def test_a_good_upload_redirects_with_a_summary(client, org, measured):
    client.force_login(org.lead)
    seller = org.people["seller"]
    upload = SimpleUploadedFile(
        "actuals.csv", (HEADER + f"Win rate,{seller.email},,2026-11-02,,20\n").encode()
    )
    response = client.post(URL, {"file": upload}, follow=True)
    assert "Imported 1 new" in response.content.decode()
    assert MetricActual.objects.count() == 1


@pytest.mark.parametrize("who", ["executive", "manager", "seller"])
def test_only_leads_import_actuals(client, org, measured, who):
    client.force_login(getattr(org, who))
    assert client.get(URL).status_code == 403
