import csv
import io

import pytest

from cohorts.models import ImportJob, Person
from cohorts.orgcsv import COLUMNS, export_rows
from cohorts.services.org_import import org_csv_validate, org_import_run
from tests.factories import LocationFactory, PersonFactory

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)


def csv_bytes(*lines, header=HEADER):
    return ("\n".join([header, *lines]) + "\n").encode()


def run(content):
    job = ImportJob.objects.create(file_name="org.csv", content=content)
    return org_import_run(job_id=job.pk)


GOOD = csv_bytes(
    "ceo@x.com,Cleo,Oak,CEO,executive,sales_leadership,,,Berlin,EMEA,,Europe/Berlin,2015-01-01,yes",
    "mia@x.com,Mia,Ash,Manager,manager,sales_leadership,ceo@x.com,DACH,Berlin,EMEA,,,2019-05-01,yes",
    "rep@x.com,Rey,Elm,AE,individual,field_sales,mia@x.com,DACH,Berlin,EMEA,Healthcare;Retail,,,yes",
)


def test_a_valid_file_creates_everyone_with_managers_and_groups():
    job = run(GOOD)
    assert job.status == ImportJob.Status.SUCCEEDED
    assert (job.created_count, job.updated_count, job.unchanged_count) == (3, 0, 0)
    rep = Person.objects.get(email="rep@x.com")
    assert rep.manager.email == "mia@x.com"
    assert rep.team.name == "DACH" and rep.region.name == "EMEA"
    assert rep.time_zone == "Europe/Berlin"  # taken from the location
    assert sorted(rep.account_groups.values_list("name", flat=True)) == ["Healthcare", "Retail"]
    ceo = Person.objects.get(email="ceo@x.com")
    assert rep.org_path == f"{ceo.org_path}{rep.manager_id}/{rep.pk}/"


def test_importing_the_same_file_twice_changes_nothing():
    run(GOOD)
    before = list(Person.objects.order_by("pk").values())
    job = run(GOOD)
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 3)
    assert list(Person.objects.order_by("pk").values()) == before


def test_a_changed_row_updates_only_that_person():
    run(GOOD)
    job = run(GOOD.replace(b"Rey,Elm,AE", b"Rey,Elm,Senior AE"))
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 2)
    assert Person.objects.get(email="rep@x.com").title == "Senior AE"


def test_every_bad_row_is_reported_and_nothing_is_imported():
    content = csv_bytes(
        "ok@x.com,Ok,Person,,,,,,,,,,,",
        "not-an-email,Bad,Mail,,,,,,,,,,,",
        ",No,Mail,,,,,,,,,,,",
        "ok@x.com,Dup,Licate,,,,,,,,,,,",
        "tz@x.com,Bad,Zone,,,,,,,,,Mars/Olympus,,",
        "boss@x.com,Lost,Boss,,,,ghost@x.com,,,,,,,",
        "lvl@x.com,Bad,Level,,wizard,,,,,,,,2024-13-45,maybe",
        "a@x.com,A,Loop,,,,b@x.com,,,,,,,",
        "b@x.com,B,Loop,,,,a@x.com,,,,,,,",
    )
    job = run(content)
    assert job.status == ImportJob.Status.FAILED
    problems = {(e["row"], e["column"]) for e in job.errors}
    assert {
        (3, "email"),
        (4, "email"),
        (5, "email"),
        (6, "time_zone"),
        (7, "manager_email"),
        (8, "level"),
        (8, "hire_date"),
        (8, "active"),
        (9, "manager_email"),
        (10, "manager_email"),
    } <= problems
    assert (2, "email") not in problems
    assert Person.objects.count() == 0


def test_a_file_that_is_not_utf8_names_the_bad_line():
    content = csv_bytes("ok@x.com,Ok,Person,,,,,,,,,,,", "jo@x.com,J\xf6rg,M\xfcller,,,,,,,,,,,").replace(
        "J\xf6rg".encode(), b"J\xf6rg"
    )
    content = content.replace("M\xfcller".encode(), b"M\xfcller")
    job = run(content)
    assert job.status == ImportJob.Status.FAILED
    assert [e["row"] for e in job.errors] == [3]
    assert "UTF-8" in job.errors[0]["message"]


def test_a_cycle_through_people_already_in_the_org_chart_is_caught():
    top = PersonFactory(email="top@x.com")
    PersonFactory(email="mid@x.com", manager=top)
    rows, _, errors = org_csv_validate(csv_bytes("top@x.com,Top,Boss,,,,mid@x.com,,,,,,,"))
    assert [e["column"] for e in errors] == ["manager_email"]
    assert "loops" in errors[0]["message"]


def test_missing_required_columns_are_reported_on_the_header_row():
    _, _, errors = org_csv_validate(b"email,first_name\nx@x.com,X\n")
    assert errors == [{"row": 1, "column": "last_name", "message": "The header has no “last_name” column."}]


def test_columns_left_out_of_the_file_keep_their_values():
    location = LocationFactory(name="Lisbon", time_zone="Europe/Lisbon")
    PersonFactory(email="keep@x.com", title="Keeper", location=location, team=None)
    job = run(b"email,first_name,last_name\nkeep@x.com,Kay,Keep\n")
    assert job.status == ImportJob.Status.SUCCEEDED
    person = Person.objects.get(email="keep@x.com")
    assert (person.first_name, person.title, person.location) == ("Kay", "Keeper", location)


def test_export_neutralises_formulas_and_imports_back_unchanged():
    run(GOOD.replace(b"Rey,Elm,AE", b"Rey,Elm,=HYPERLINK(1)"))
    exported = io.StringIO()
    csv.writer(exported).writerows(export_rows(Person.objects.order_by("email")))
    text = exported.getvalue()
    assert "'=HYPERLINK(1)" in text
    job = run(text.encode())
    assert job.status == ImportJob.Status.SUCCEEDED
    assert (job.created_count, job.updated_count) == (0, 0)
    assert Person.objects.get(email="rep@x.com").title == "=HYPERLINK(1)"


def test_a_job_is_imported_once_even_when_the_task_runs_twice():
    job = ImportJob.objects.create(file_name="org.csv", content=GOOD)
    org_import_run(job_id=job.pk)
    again = org_import_run(job_id=job.pk)
    assert (again.status, again.created_count) == (ImportJob.Status.SUCCEEDED, 3)
    assert Person.objects.count() == 3


def test_a_run_abandoned_by_a_dead_worker_is_taken_over():
    from datetime import timedelta

    from django.utils import timezone

    job = ImportJob.objects.create(
        file_name="org.csv",
        content=GOOD,
        status=ImportJob.Status.RUNNING,
        started_at=timezone.now() - timedelta(hours=1),
    )
    assert org_import_run(job_id=job.pk).status == ImportJob.Status.SUCCEEDED
    fresh = ImportJob.objects.create(
        file_name="org.csv", content=GOOD, status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    assert org_import_run(job_id=fresh.pk).status == ImportJob.Status.RUNNING
