"""Issue 11.5 and 11.6: every limit of the org import is checked up front and reported on its row.

Before, PostgreSQL refused overlong values and deep chains only at save time ("Saving failed
unexpectedly", no row), a quoted carriage return broke the COPY, and NUL bytes made saving the
error list fail so the job stayed "Running".
"""

import csv
import io

import pytest

from cohorts.models import ImportJob, Person, Team
from cohorts.orgcsv import COLUMNS
from cohorts.services.org_import import org_import_run

pytestmark = pytest.mark.django_db


def csv_bytes(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode()


def person(n, **extra):
    return {"email": f"p{n}@x.com", "first_name": f"First{n}", "last_name": "Last", **extra}


def run(content):
    job = ImportJob.objects.create(file_name="org.csv", content=content)
    return org_import_run(job_id=job.pk)


def errors_by_row(job):
    return {(e["row"], e["column"]) for e in job.errors}


def test_overlong_values_are_reported_on_their_row_and_column():
    content = csv_bytes(
        [
            person(1),
            person(2, first_name="A" * 5000),
            person(3, title="T" * 5000),
            person(4, team="Team " + "x" * 5000),
            person(5, account_groups="Fine;" + "G" * 101),
            person(6, location="L" * 101, region="R" * 101),
        ]
    )
    job = run(content)
    assert job.status == ImportJob.Status.FAILED
    assert {(3, "first_name"), (4, "title"), (5, "team"), (6, "account_groups")} <= errors_by_row(job)
    assert {(7, "location"), (7, "region")} <= errors_by_row(job)
    message = next(e["message"] for e in job.errors if e["row"] == 4)
    assert "150" in message
    assert not Person.objects.exists() and not Team.objects.exists()


def test_a_management_chain_too_deep_for_the_org_path_is_reported():
    rows = [person(0)] + [person(n, manager_email=f"p{n - 1}@x.com") for n in range(1, 150)]
    job = run(csv_bytes(rows))
    assert job.status == ImportJob.Status.FAILED
    deep = sorted(e["row"] for e in job.errors if e["column"] == "manager_email")
    assert deep and deep[-1] == 151  # the last person of the chain, on the last row
    assert "levels" in job.errors[0]["message"]
    assert not Person.objects.exists()


def test_a_chain_within_the_limit_imports():
    rows = [person(0)] + [person(n, manager_email=f"p{n - 1}@x.com") for n in range(1, 40)]
    job = run(csv_bytes(rows))
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert Person.objects.get(email="p39@x.com").org_path.count("/") == 41


def test_quoted_carriage_returns_and_newlines_inside_cells_are_kept():
    content = csv_bytes([person(1, title="Head of\r\nSales"), person(2, title="Tab\there\rand\\slash")])
    job = run(content)
    assert job.status == ImportJob.Status.SUCCEEDED, job.errors
    assert Person.objects.get(email="p1@x.com").title == "Head of\r\nSales"
    assert Person.objects.get(email="p2@x.com").title == "Tab\there\rand\\slash"


def test_nul_bytes_are_an_encoding_problem_on_their_row_and_the_job_ends():
    content = csv_bytes([person(1), person(2, title="Bad\x00title"), person(3)])
    job = run(content)
    assert job.status == ImportJob.Status.FAILED
    assert job.finished_at is not None
    (error,) = job.errors
    assert error["row"] == 3
    assert "NUL" in error["message"] and "encoding" in error["message"]


def test_a_utf16_file_without_a_bom_is_reported_as_an_encoding_problem():
    content = csv_bytes([person(1)]).decode().encode("utf-16-le")
    job = run(content)
    assert job.status == ImportJob.Status.FAILED
    assert job.errors and all("encoding" in e["message"] for e in job.errors)
    assert job.errors[0]["row"] == 1


def test_nul_bytes_in_the_actuals_and_assessment_imports_are_reported_on_their_row(org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from programs.models import Program
    from reinforcement.measurement.services import metric_actuals_import
    from reinforcement.services.coaching import assessments_import

    seller = org.people["seller"].email
    actuals = f"metric,email,period_start,value\nWin rate,{seller}\x00,2026-11-02,1\n"
    result = metric_actuals_import(content=actuals.encode())
    assert [(e["row"], "encoding" in e["message"]) for e in result.errors] == [(2, True)]

    program = Program.objects.create(name="P", owner=org.lead)
    content = f"email,skill,kind,score,taken_on\n{seller},Qualifying\x00,post,80,2026-11-02\n".encode()
    report = assessments_import(program=program, csv_file=SimpleUploadedFile("a.csv", content))
    assert [(row, "encoding" in message) for row, message in report.errors] == [(2, True)]
