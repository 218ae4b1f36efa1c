"""Workflows that hold up in real use (issue 12), in Chromium at 1366 px and 768 px wide:
a new lead is walked through the first steps, a manager finds their tools, the lead picks
people by typing and changes a running program safely."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cohorts.models import Enrollment, Session
from cohorts.services.planning import plan_build, plan_save
from cohorts.services.sessions import attendance_mark, sessions_schedule
from programs.models import Program
from reinforcement.services.stages import stages_ensure
from rolloutplanner.roles import Role
from tests.factories import PASSWORD, PersonFactory, ProgramFactory, UserFactory, make_ready_program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("var/screenshots")
WIDTHS = (1366, 768)


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def shoot(page, name, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.screenshot(path=str(SHOTS / f"workflow-{name}-{width}.png"), full_page=True)


def open_menu(page, label):
    """Open a main-menu dropdown, through the collapsed menu button on narrow screens."""
    nav = page.get_by_role("navigation", name="Main")
    toggler = nav.get_by_role("button", name="Toggle navigation")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        expect(page.locator("#mainnav")).to_have_class("navbar-collapse collapse show")  # opened
    nav.get_by_role("button", name=label).click()
    return nav


def fits(page, selector):
    """Whether the control shows its whole value: text no wider than the box (inputs scroll
    when it is; a select's chosen label is measured against the select's inner width)."""
    return page.evaluate(
        """(selector) => {
            const el = document.querySelector(selector);
            if (el.tagName !== 'SELECT') { return el.scrollWidth <= el.clientWidth; }
            const probe = document.createElement('span');
            probe.style.font = getComputedStyle(el).font;
            probe.style.position = 'absolute';
            probe.style.whiteSpace = 'nowrap';
            probe.textContent = el.options[el.selectedIndex].text;
            document.body.appendChild(probe);
            const style = getComputedStyle(el);
            const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            const fitsIn = probe.offsetWidth <= room;
            probe.remove();
            return fitsIn;
        }""",
        selector,
    )


def test_a_new_lead_starts_with_the_org_chart_and_sees_honest_readiness(roles, live_server, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    lead = UserFactory(username="newlead", role=Role.LEAD)
    log_in(page, live_server, "newlead")
    steps = page.locator("#first-steps")
    expect(steps.get_by_role("link", name="Import the org chart")).to_have_class("btn btn-sm btn-brand")
    expect(steps).to_contain_text("Generate cohorts and schedule sessions")
    for width in WIDTHS:
        shoot(page, "lead-first-steps", width)
    nav = open_menu(page, "People & cohorts")  # at 768 px through the collapsed menu
    shoot(page, "lead-menu-open", 768)
    nav.get_by_role("link", name="Import the org chart").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Import")

    # Item 9: a new program scores nothing before a metric is chosen.
    program = ProgramFactory(owner=lead, name="Account growth")
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    expect(page.locator("main")).not_to_contain_text("67%")
    expect(page.get_by_text("Gate closed: 0 of 4 answered")).to_be_visible()
    shoot(page, "new-program", 1366)

    # Item 11: the metrics table shows "Higher is better" and a data source in full.
    page.goto(f"{live_server.url}/programs/{program.pk}/readiness/metrics/")
    page.get_by_label("Win rate", exact=True).check()
    page.get_by_label("Win rate data source").fill("CRM opportunity report")
    direction = page.get_by_label("Win rate direction")
    direction.select_option(label="Higher is better")
    direction_id = "#" + direction.get_attribute("id")
    source_id = "#" + page.get_by_label("Win rate data source").get_attribute("id")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert fits(page, direction_id), f"direction clipped at {width} px"
        assert fits(page, source_id), f"data source clipped at {width} px"
        shoot(page, "metrics-table", width)


def test_a_manager_finds_the_dashboard_overdue_items_and_log_coaching(org, live_server, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    program = make_ready_program(owner=org.lead, name="Value selling", status=Program.Status.LAUNCHED)
    stages_ensure(program=program, person_ids=[org.people["seller"].pk, org.people["seller_b"].pk])
    log_in(page, live_server, "manager")
    expect(page.locator("#coaching-counts")).to_contain_text("due for coaching")  # loaded by static JS
    for width in WIDTHS:
        shoot(page, "manager-home", width)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Adoption")
    for label, heading in (("Overdue items", "Overdue"), ("Log coaching", "Log a coaching session")):
        open_menu(page, "My team").get_by_role("link", name=label).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    page.set_viewport_size({"width": 768, "height": 900})
    open_menu(page, "My team")
    shoot(page, "manager-menu-open", 768)


@pytest.fixture
def running(org):
    """Team A's program by team, its managers' session held and attended; Team B comes next."""
    program = Program.objects.create(
        name="Negotiation clinic",
        owner=org.lead,
        participation=Program.Participation.MANDATORY,
        participation_criteria={"teams": ["Team A"]},
        rollout=Program.Rollout.BY_GROUP,
        rollout_group_kind=Program.GroupKind.TEAM,
        wave_order=["Team A"],
        participant_mix=Program.ParticipantMix.INTACT_TEAMS,
    )
    plan_save(program=program, plan=plan_build(program))
    sessions_schedule(
        program=program, first_day=date.today() + timedelta(days=30), meeting_url="https://meet.example.com/n"
    )
    held = Session.objects.get(cohort__program=program, cohort__is_leaders=True)
    held.starts_at = timezone.now() - timedelta(days=1)
    held.ends_at = held.starts_at + timedelta(hours=3)
    held.save()
    attendance_mark(
        enrollment=held.enrollments.get(), attendance=Enrollment.Attendance.ATTENDED, user=org.lead
    )
    return program


def test_the_lead_picks_people_by_typing_and_changes_a_running_program_safely(
    org, running, live_server, page
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    ready = make_ready_program(owner=org.lead, name="Value selling", start_date=date(2027, 3, 1))
    seller, manager = org.people["seller"], org.people["manager"]
    log_in(page, live_server, "lead")

    # Item 10: the assessment's person is searched on the server, not a long dropdown.
    page.goto(f"{live_server.url}/reinforcement/programs/{ready.pk}/assessments/")
    person = page.get_by_role("combobox", name="Person")
    person.fill(seller.last_name[:4])
    expect(page.get_by_role("option", name=seller.full_name)).to_be_visible()
    for width in WIDTHS:
        shoot(page, "person-picker", width)
    page.set_viewport_size({"width": 1366, "height": 900})
    person.press("ArrowDown")
    person.press("ArrowUp")
    page.get_by_role("option", name=seller.full_name).click()
    expect(person).to_have_value(seller.full_name)
    page.get_by_label("Skill").select_option(label="Qualifying")
    page.get_by_label("Kind").select_option("pre")
    page.get_by_label("Score (0–100)").fill("48")
    page.get_by_label("Taken on").fill("2026-11-02")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Assessment recorded")

    # Item 7: managers come from the org chart; warnings are listed once.
    page.goto(f"{live_server.url}/programs/{ready.pk}/buy-in/")
    page.get_by_label("Why now: what changed in the market").fill("Buyers compare total value now.")
    name_box = page.get_by_role("combobox", name="Manager 1 name")
    name_box.fill(manager.last_name[:4])
    page.get_by_role("option", name=manager.full_name).click()
    expect(page.get_by_label("Manager 1 team")).to_have_value("Team A")
    page.get_by_role("button", name="Save the buy-in plan").click()
    expect(page.locator(".alert-success")).to_contain_text("Buy-in plan saved")
    assert page.locator("main").inner_text().count("touchpoint(s) before launch") == 1  # listed once
    for width in WIDTHS:
        shoot(page, "buy-in", width)

    # Item 2: the running program's plan grows; nobody already in it moves.
    PersonFactory(manager=manager, team=org.teams["a"])
    running.participation_criteria = {"teams": ["Team A", "Team B"]}
    running.wave_order = ["Team A", "Team B"]
    running.save()
    page.goto(f"{live_server.url}/cohorts/programs/{running.pk}/plan/generate/")
    update = page.locator("#plan-update")
    expect(update).to_contain_text("This program is running")
    for width in WIDTHS:
        shoot(page, "plan-update", width)
    page.set_viewport_size({"width": 1366, "height": 900})
    update.get_by_role("button", name="Add 3 people").click()
    expect(page.get_by_role("alert").first).to_contain_text("3 newly in-scope people added")

    # Items 3 and 4: no attendance before the start; a lower capacity names who moved.
    upcoming = Session.objects.filter(cohort__program=running, cohort__is_leaders=False).first()
    page.goto(f"{live_server.url}/cohorts/sessions/{upcoming.pk}/")
    expect(page.get_by_text("Attendance can be marked once the session has started.")).to_be_visible()
    expect(page.get_by_role("button", name="Attended")).to_have_count(0)
    page.get_by_role("link", name="Edit session").click()
    page.get_by_label("Capacity").fill("1")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-warning")).to_contain_text("moved to the front of the waitlist")
    for width in WIDTHS:
        shoot(page, "session-capacity", width)


def test_decisions_stand_cadence_is_the_plans_and_pages_speak_plainly(org, live_server, page):
    from programs import services
    from programs.models import ReinforcementPlan

    SHOTS.mkdir(parents=True, exist_ok=True)
    program = make_ready_program(owner=org.lead, name="Value selling")
    choices = {
        "participation": {"participation": "mandatory", "participation_criteria": {"levels": ["individual"]}},
        "rollout": {"rollout": "by_location", "wave_order": []},
        "participant_mix": {"participant_mix": "intact_teams"},
    }
    for kind, values in choices.items():
        services.design_decision_record(
            program=program, user=org.lead, kind=kind, values=values, rationale="Our call"
        )
    services.program_set_status(program=program, user=org.lead, status=Program.Status.READY)
    program.refresh_from_db()
    plan_save(program=program, plan=plan_build(program))
    program.metrics.update(target=1)  # later data: a target now moves the wrong way
    ReinforcementPlan.objects.filter(program=program).update(coaching_cadence="monthly")
    stages_ensure(program=program, person_ids=[org.people["seller"].pk])
    log_in(page, live_server, "lead")

    # Item 1: the decided program warns instead of locking.
    page.goto(f"{live_server.url}/programs/{program.pk}/design/")
    expect(page.locator("#readiness-reopened")).to_contain_text("Fix the target of")
    for width in WIDTHS:
        shoot(page, "design-reopened", width)

    # Item 8: the change log in words.
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    log = page.locator("#change-log")
    log.get_by_text("What changed").first.click()
    expect(log).to_contain_text("Status: Draft → Ready")
    expect(log).not_to_contain_text("draft → ready")
    for width in WIDTHS:
        shoot(page, "change-log", width)

    # Item 12: only individual contributors in scope: no manager tick.
    page.goto(f"{live_server.url}/cohorts/programs/{program.pk}/plan/")
    expect(page.locator("#violations-heading")).to_contain_text("No manager is in scope")
    for width in WIDTHS:
        shoot(page, "plan-no-managers", width)

    # Item 6: the manager's overdue list follows the plan's monthly cadence.
    log_in(page, live_server, "manager")
    expect(page.locator("#coaching-counts")).not_to_contain_text("Counting")
    page.goto(f"{live_server.url}/reinforcement/overdue/")
    expect(page.locator("main")).to_contain_text("Coaching is due every 30 days")
    for width in WIDTHS:
        shoot(page, "overdue-cadence", width)
