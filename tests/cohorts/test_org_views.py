import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError

from cohorts.models import ImportJob, Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

CSV = (
    b"email,first_name,last_name,manager_email,team,location,region\n"
    b"new.boss@x.com,New,Boss,,Team Z,Lisbon,EMEA\n"
    b"new.rep@x.com,New,Rep,new.boss@x.com,Team Z,Lisbon,EMEA\n"
)


def upload(client, content, name="org.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("cohorts:import"), {"file": SimpleUploadedFile(name, content, "text/csv")})


def test_leads_see_everyone_in_the_org_chart(client, org):
    client.force_login(org.lead)
    page = client.get(reverse("cohorts:people")).content.decode()
    assert org.people["other_seller"].full_name in page and org.people["seller"].full_name in page


def test_managers_see_only_their_part_of_the_org(client, org):
    client.force_login(org.manager)
    page = client.get(reverse("cohorts:people")).content.decode()
    assert org.people["seller"].full_name in page
    assert org.people["other_seller"].full_name not in page
    other = client.get(reverse("cohorts:person", args=[org.people["other_seller"].pk]))
    assert other.status_code == 404


@pytest.mark.parametrize("persona", ["seller", "no_role"])
def test_sellers_and_people_without_a_role_cannot_browse_the_org_chart(client, org, persona):
    client.force_login(getattr(org, persona))
    assert client.get(reverse("cohorts:people")).status_code == 403


def test_the_org_chart_filters_by_team_and_searches_by_name(client, org):
    client.force_login(org.lead)
    page = client.get(reverse("cohorts:people"), {"team": org.teams["b"].pk}).content.decode()
    assert org.people["other_seller"].full_name in page and org.people["seller"].full_name not in page
    seller = org.people["seller"]
    page = client.get(reverse("cohorts:people"), {"q": seller.email}).content.decode()
    assert seller.full_name in page and org.people["other_seller"].full_name not in page


def test_a_person_page_shows_the_reporting_line_from_the_top(client, org):
    client.force_login(org.lead)
    page = client.get(reverse("cohorts:person", args=[org.people["seller"].pk])).content.decode()
    vp, manager = org.people["vp"].full_name, org.people["manager"].full_name
    line = page[page.index("Reporting line") :]
    assert line.index(vp) < line.index(manager) < line.index(org.people["seller"].full_name)


def test_the_people_list_needs_the_same_queries_for_many_people(client, org, django_assert_max_num_queries):
    client.force_login(org.lead)
    PersonFactory.create_batch(40, manager=org.people["manager"], team=org.teams["a"])
    with django_assert_max_num_queries(10):
        assert client.get(reverse("cohorts:people")).status_code == 200


def test_export_is_for_leads_and_executives(client, org):
    client.force_login(org.manager)
    assert client.get(reverse("cohorts:people_export")).status_code == 403
    client.force_login(org.executive)
    response = client.get(reverse("cohorts:people_export"))
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("email,first_name,last_name")
    assert org.people["seller"].email in body


def test_the_template_lists_every_column(client, org):
    client.force_login(org.lead)
    header = client.get(reverse("cohorts:import_template")).content.decode().splitlines()[0]
    assert header.split(",")[:3] == ["email", "first_name", "last_name"]


def test_a_lead_uploads_a_file_and_it_is_imported_in_the_background(
    client, org, eager_celery, django_capture_on_commit_callbacks
):
    client.force_login(org.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, CSV)
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("cohorts:import_detail", args=[job.pk])
    assert job.status == ImportJob.Status.SUCCEEDED
    assert Person.objects.get(email="new.rep@x.com").manager.email == "new.boss@x.com"
    page = client.get(response["Location"]).content.decode()
    assert "2 added" in page and "hx-get" not in page


@pytest.mark.django_db(transaction=True)
def test_the_upload_is_imported_in_the_background_when_the_queue_is_down(client, org, monkeypatch):
    from cohorts import tasks
    from rolloutplanner.background import runner

    def broker_down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(tasks.import_org_chart, "delay", broker_down)
    client.force_login(org.lead)
    upload(client, CSV)
    runner().wait_idle(timeout=60)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.SUCCEEDED
    assert "unreachable" in job.note


def test_a_queued_job_page_polls_for_progress(client, org):
    job = ImportJob.objects.create(file_name="big.csv", content=CSV, total_rows=1000, processed_rows=250)
    client.force_login(org.lead)
    page = client.get(reverse("cohorts:import_progress", args=[job.pk])).content.decode()
    assert 'hx-get="{}"'.format(reverse("cohorts:import_progress", args=[job.pk])) in page
    assert "25%" in page


def test_a_rejected_file_shows_each_problem_with_its_row(
    client, org, eager_celery, django_capture_on_commit_callbacks
):
    client.force_login(org.lead)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, CSV + b"broken,No,Mail,,,,\n")
    job = ImportJob.objects.get()
    page = client.get(reverse("cohorts:import_detail", args=[job.pk])).content.decode()
    assert "Nothing was imported" in page and "<td>4</td>" in page
    assert not Person.objects.filter(email="new.rep@x.com").exists()


def test_only_csv_files_are_accepted(client, org):
    client.force_login(org.lead)
    response = upload(client, b"whatever", name="org.xlsx")
    assert "Upload a .csv file" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("persona", ["manager", "executive", "seller"])
def test_only_leads_import(client, org, persona):
    client.force_login(getattr(org, persona))
    assert upload(client, CSV).status_code == 403
    assert client.get(reverse("cohorts:import")).status_code == 403


def test_the_org_chart_pages_keep_the_filters(client, org, monkeypatch):
    monkeypatch.setattr("cohorts.views.PEOPLE_PER_PAGE", 1)
    client.force_login(org.lead)
    team = org.teams["a"].pk
    response = client.get(reverse("cohorts:people"), {"team": team, "page": 2})
    page = response.content.decode()
    assert response.context["page"].number == 2
    assert "Page 2 of 3" in page
    assert f'href="?team={team}&page=1">Previous' in page
    assert f'href="?team={team}&page=3">Next' in page
    last = client.get(reverse("cohorts:people"), {"team": team, "page": "not a number"})
    assert last.status_code == 200 and last.context["page"].number == 1
