"""Planning journey: a lead plans a program from nothing to a printable plan summary."""

import pytest
from playwright.sync_api import expect

from rolloutplanner.roles import Role
from tests.browser.axe import assert_accessible
from tests.factories import PASSWORD, PersonFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "var/screenshots"


def _login(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def _create_program(page):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programs").click()
    page.get_by_role("link", name="New program").click()
    page.get_by_label("Name").fill("Account growth 2027")
    page.get_by_label("Audience description").fill("Field sellers in North America and EMEA")
    page.get_by_label("Training window starts").fill("2027-03-01")
    page.get_by_label("Training window ends").fill("2027-05-31")
    page.get_by_label("Audience size").fill("120")
    page.get_by_label("Number of locations").fill("5")
    page.get_by_label("Budget per head").fill("900")
    page.get_by_label("Sales strategy").fill("Grow share of wallet in existing accounts")
    page.get_by_label("Foundational program").check()
    page.screenshot(path=f"{SHOTS}/planning-01-new-program.png", full_page=True)
    assert_accessible(page)
    page.get_by_role("button", name="Create program").click()
    expect(page.locator(".alert-success")).to_contain_text("Program created")
    expect(page.get_by_text("Gate closed: 0 of 4 answered")).to_be_visible()


def _answer_readiness(page):
    page.get_by_role("link", name="Answer success metrics").click()
    for metric, base, target in (("Win rate", "21", "27"), ("Deal size", "70", "85")):
        page.get_by_label(metric, exact=True).check()
        page.get_by_label(f"{metric} baseline").fill(base)
        page.get_by_label(f"{metric} target").fill(target)
        page.get_by_label(f"{metric} months").fill("9")
        page.get_by_label(f"{metric} data source").fill("CRM")
    page.screenshot(path=f"{SHOTS}/planning-02-metrics.png", full_page=True)
    assert_accessible(page)
    page.get_by_role("button", name="Save metrics and continue").click()

    expect(page.get_by_role("heading", name="2 · Money-making skills")).to_be_visible()
    for skill, metric in (("Qualifying", "Win rate"), ("Account planning", "Deal size")):
        page.get_by_label(skill, exact=True).check()
        page.get_by_role("group", name=f"{skill} moves").get_by_label(metric).check()
    page.get_by_role("button", name="Save skills and continue").click()

    expect(page.get_by_role("heading", name="3 · Skill gaps")).to_be_visible()
    for row, (segment, limiter) in enumerate(
        (("Account executives", "Skip budget"), ("All reps", "No plans")), 1
    ):
        page.get_by_label(f"Row {row} segment").fill(segment)
        page.get_by_label(f"Row {row} limiters").fill(limiter)
        page.get_by_label(f"Row {row} baseline").select_option("2")
    page.screenshot(path=f"{SHOTS}/planning-03-gaps.png", full_page=True)
    assert_accessible(page)
    page.get_by_role("button", name="Save gaps and continue").click()

    expect(page.get_by_role("heading", name="4 · Reinforcement plan")).to_be_visible()
    page.get_by_label("Manager coaching").check()
    page.get_by_label("Spaced retrieval questions").check()
    page.get_by_label("Coaching cadence per manager").select_option("fortnightly")
    page.get_by_label("Owner").fill("Regional directors")
    page.get_by_label("Leading indicators").fill("Coaching sessions logged")
    page.get_by_label("Lagging indicators").fill("Win rate and deal size")
    page.get_by_role("button", name="Save the reinforcement plan").click()

    expect(page.get_by_text("Gate open").first).to_be_visible()
    page.screenshot(path=f"{SHOTS}/planning-04-gate-open.png", full_page=True)
    assert_accessible(page)


def _design(page):
    page.get_by_role("link", name="Open the rollout design").click()
    expect(page.locator(".recommendation")).to_have_count(3)
    for text in (
        "Mandatory ranks first",
        "ranks first because the metrics are tied to accounts",
        "Intact sales",
    ):
        expect(page.locator("main")).to_contain_text(text)
    page.screenshot(path=f"{SHOTS}/planning-05-design.png", full_page=True)
    assert_accessible(page)

    page.get_by_role("link", name="Decide participation").click()
    expect(page.get_by_label("1. Mandatory")).to_be_checked()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator(".alert-success")).to_contain_text("Participation decided")

    page.get_by_role("link", name="Decide rollout").click()
    page.get_by_label("Pilot first").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    page.get_by_label("Pilot group", exact=True).fill("Enterprise East, DACH")
    page.get_by_label("Holdout (control) group").fill("Enterprise West")
    page.get_by_label("Rationale").fill("Leadership wants proof on two teams before a global spend.")
    page.screenshot(path=f"{SHOTS}/planning-06-override.png", full_page=True)
    assert_accessible(page)
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator("main")).to_contain_text("overrides the recommendation")

    page.get_by_role("link", name="Decide participant mix").click()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator("main")).to_contain_text("Participant mix decided")


def _buy_in(page):
    page.get_by_role("link", name="Next: the buy-in plan").click()
    page.get_by_label("Why now").fill("Buyers bring finance into every deal; feature pitches lose.")
    page.get_by_label("What leadership will do differently").fill(
        "Directors join a customer call each month."
    )
    for row, (day, channel, who) in enumerate(
        (
            ("2027-01-11", "video", "VP of Sales"),
            ("2027-02-02", "kickoff", "VP of Sales"),
            ("2027-02-16", "team_meeting", "Managers"),
        ),
        1,
    ):
        page.get_by_label(f"Touchpoint {row} date").fill(day)
        page.get_by_label(f"Touchpoint {row} channel").select_option(channel)
        page.get_by_label(f"Touchpoint {row} messenger").fill(who)
    page.get_by_role("button", name="Add a touchpoint").click()
    page.get_by_label("Touchpoint 4 date").fill("2027-02-22")
    page.get_by_label("Touchpoint 4 channel").select_option("email")
    page.get_by_label("Touchpoint 4 messenger").fill("Regional directors")
    page.get_by_label("Manager 1 name").fill("Ruiz")
    page.get_by_role("option", name="Ana Ruiz").click()  # picked from the org chart
    expect(page.get_by_label("Manager 1 team")).to_have_value("DACH")
    page.get_by_label("Manager 1 helps tailor").check()
    page.get_by_role("button", name="Save the buy-in plan").click()
    expect(page.locator(".alert-success").first).to_contain_text("Buy-in plan saved")
    expect(page.locator("main")).to_contain_text("The schedule and the manager list look sound.")
    page.screenshot(path=f"{SHOTS}/planning-07-buy-in.png", full_page=True)
    assert_accessible(page)


def test_a_lead_plans_a_rollout_from_nothing_to_the_plan_summary(roles, live_server, page):
    UserFactory(username="lead", first_name="Jordan", last_name="Blake", role=Role.LEAD)
    # The buy-in plan names a manager from the org chart.
    PersonFactory(first_name="Ana", last_name="Ruiz", level="manager", team=TeamFactory(name="DACH"))
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, live_server)
    _create_program(page)
    _answer_readiness(page)
    _design(page)
    _buy_in(page)

    page.get_by_role("link", name="Plan summary").first.click()
    brief = page.locator(".plan-brief")
    expect(brief).to_contain_text("Account growth 2027")
    expect(brief).to_contain_text("Leadership wants proof on two teams")
    expect(brief).to_contain_text("Pilot: Enterprise East, DACH; holdout: Enterprise West")
    expect(brief).to_contain_text("Sales kickoff")
    expect(brief.locator("tr", has_text="22 Feb 2027")).to_contain_text("Regional directors")
    page.screenshot(path=f"{SHOTS}/planning-08-summary.png", full_page=True)
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    page.screenshot(path=f"{SHOTS}/planning-09-summary-print.png", full_page=True)
