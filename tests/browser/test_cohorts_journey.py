"""Cohorts journey: import the org chart, generate and fix the plan, schedule, confirm, download."""

from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from cohorts.demo import DEMO_PROGRAM, demo_org_csv
from cohorts.models import CohortMember, Enrollment, ImportJob, Person
from cohorts.services.planning import plan_build, plan_save
from programs.models import Program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("var/screenshots")


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def broken(csv_text):
    """The demo file with three bad rows: a bad e-mail, an unknown manager, an unknown time zone."""
    lines = csv_text.splitlines()
    lines[2] = "not-an-email" + lines[2][lines[2].index(",") :]
    lines[3] = lines[3].replace(f",{lines[3].split(',')[6]},", ",ghost@nowhere.example,", 1)
    lines[4] = lines[4].replace(lines[4].split(",")[11], "Mars/Olympus")
    return "\n".join(lines) + "\n"


@pytest.fixture
def suggested_program(demo_data):
    program = Program.objects.create(
        name="Negotiation clinic",
        owner=Program.objects.get(name=DEMO_PROGRAM).owner,
        participation=Program.Participation.SUGGESTED,
        participation_criteria={"teams": ["Enterprise East"], "levels": ["individual"]},
        rollout=Program.Rollout.BY_GROUP,
        rollout_group_kind=Program.GroupKind.TEAM,
        participant_mix=Program.ParticipantMix.INTACT_TEAMS,
    )
    plan_save(program=program, plan=plan_build(program))
    return program


def test_lead_imports_plans_and_schedules_manager_confirms_seller_downloads(
    demo_data, suggested_program, eager_celery, live_server, page, tmp_path
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    good_file = tmp_path / "demo-org.csv"
    good_file.write_text(demo_org_csv())
    bad_file = tmp_path / "broken-org.csv"
    bad_file.write_text(broken(good_file.read_text()))
    people_before = Person.objects.count()

    # The lead imports a broken file: every bad row is listed and nothing is imported.
    log_in(page, live_server, "lead")
    page.get_by_role("button", name="People & cohorts").click()
    page.get_by_role("link", name="Org chart", exact=True).click()
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("Org chart CSV").set_input_files(bad_file)
    page.get_by_role("button", name="Upload and import").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was imported: 3 problems found")
    problems = page.get_by_role("table", name="Problems found")
    for text in ("not-an-email", "ghost@nowhere.example", "Mars/Olympus"):
        expect(problems).to_contain_text(text)
    page.screenshot(path=str(SHOTS / "cohorts-import-errors.png"), full_page=True)
    assert Person.objects.count() == people_before

    # Then the demo file: the three new hires are added.
    page.goto(f"{live_server.url}/cohorts/people/import/")
    page.get_by_label("Org chart CSV").set_input_files(good_file)
    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator("#import-progress")).to_contain_text("3 added")
    assert Person.objects.count() == people_before + 3
    assert ImportJob.objects.filter(status=ImportJob.Status.SUCCEEDED).count() == 1

    # Generate the demo program's cohorts: preview, then save.
    page.get_by_role("button", name="People & cohorts").click()
    page.get_by_role("link", name="Cohorts & timeline").click()
    page.get_by_role("link", name=DEMO_PROGRAM).click()
    page.get_by_role("link", name="Generate").click()
    expect(page.get_by_role("heading", name="Wave 1: Pilot")).to_be_visible()
    page.get_by_role("button", name="Save this plan").click()
    expect(page.get_by_role("alert").first).to_contain_text("Plan saved")

    # Noor joined a pilot team but reports to a holdout manager: flagged, fixed in one click.
    violations = page.locator("#violations")
    expect(page.locator("#violations-heading")).to_contain_text("1 manager-order problem")
    expect(violations).to_contain_text("Noor Lindqvist")
    page.screenshot(path=str(SHOTS / "cohorts-plan-violation.png"), full_page=True)
    violations.get_by_role("button").click()
    expect(page.locator("#violations-heading")).to_contain_text("Managers train before (or with) their reps")

    # Schedule the sessions.
    page.get_by_role("link", name="Schedule sessions").click()
    page.get_by_label("First day").fill("2027-02-01")
    page.get_by_label("Meeting link").fill("https://meet.example.com/value-selling")
    page.get_by_role("button", name="Schedule sessions").click()
    expect(page.get_by_role("alert").first).to_contain_text("sessions scheduled")
    expect(page.get_by_role("heading", level=1)).to_contain_text("timeline")
    page.screenshot(path=str(SHOTS / "cohorts-timeline.png"), full_page=True)

    # A manager confirms a suggested rep of their team.
    log_in(page, live_server, "manager")
    page.get_by_role("button", name="My team").click()
    page.get_by_role("link", name="Team enrollment").click()
    page.get_by_role("link", name="Negotiation clinic").click()
    confirm = page.get_by_role("button", name="Confirm").first
    rep_name = confirm.inner_text().removeprefix("Confirm ")
    confirm.click()
    expect(page.get_by_role("alert").first).to_contain_text("confirmed for Negotiation clinic")
    page.screenshot(path=str(SHOTS / "cohorts-manager-confirms.png"), full_page=True)
    assert CohortMember.objects.filter(
        program=suggested_program, status=CohortMember.Status.CONFIRMED, person__first_name=rep_name
    ).exists()

    # The seller downloads their sessions as an .ics file.
    log_in(page, live_server, "seller")
    page.get_by_role("link", name="My sessions", exact=True).click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my sessions (.ics)").click()
    page.screenshot(path=str(SHOTS / "cohorts-my-sessions.png"), full_page=True)
    calendar = Calendar.from_ical(Path(download_info.value.path()).read_bytes())
    events = calendar.walk("VEVENT")
    seller = Person.objects.get(user__username="seller")
    seats = Enrollment.objects.filter(person=seller).exclude(status="cancelled")
    assert len(events) == seats.count() >= 1
    assert any(str(e["summary"]).startswith(f"{DEMO_PROGRAM}: Pilot") for e in events)
