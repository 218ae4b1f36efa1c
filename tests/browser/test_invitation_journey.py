"""Invitation journey from an empty database: the first lead sets a password from the link
`create_lead` prints, imports a 50-person org chart and invites a cohort; a seller opens the
link from the e-mail, chooses a password, signs in and finds their sessions and inbox; their
manager, invited by selection, sees exactly their own people."""

import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from cohorts.models import Cohort, CohortMember, Person, Session, Wave
from cohorts.services.sessions import session_save
from programs.models import Program, Skill
from reinforcement.models import Card, Nudge, Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("var/screenshots")
LINK = re.compile(r"https?://\S+?(/accounts/welcome/\S+?/\S+?/)")


def org_csv():
    """A VP, two managers and 47 sellers: 50 people."""
    lines = ["email,first_name,last_name,title,level,manager_email,team,location,region,time_zone"]
    lines.append("vera.vp@acme.example,Vera,Vance,VP Sales,executive,,,Berlin,EMEA,Europe/Berlin")
    for team, first, last in (("North", "Mona", "Reyes"), ("South", "Sami", "Okafor")):
        lines.append(
            f"{first.lower()}.{last.lower()}@acme.example,{first},{last},Sales Manager,manager,"
            f"vera.vp@acme.example,{team},Berlin,EMEA,Europe/Berlin"
        )
    for n in range(47):
        manager = "mona.reyes@acme.example" if n % 2 == 0 else "sami.okafor@acme.example"
        team = "North" if n % 2 == 0 else "South"
        lines.append(
            f"rep{n:02d}@acme.example,Rep{n:02d},Seller,Account Executive,individual,{manager},{team},"
            "Berlin,EMEA,Europe/Berlin"
        )
    return "\n".join(lines) + "\n"


def set_password(page, live_server, link, password):
    page.context.clear_cookies()
    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", name="Welcome to Rollout Planner")).to_be_visible()
    page.locator("#id_new_password1").fill(password)
    page.locator("#id_new_password2").fill(password)
    page.get_by_role("button", name="Set my password").click()
    expect(page.get_by_role("alert").first).to_contain_text("Your password is set")


def sign_in(page, email, password):
    page.get_by_label("Username").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def link_for(email):
    message = next(m for m in reversed(mail.outbox) if m.to == [email])
    return LINK.search(message.body).group(1)


def north_cohort_with_a_session_and_a_question():
    """What the lead would plan in the cohorts pages (covered by the cohorts journey)."""
    from django.contrib.auth import get_user_model

    owner = get_user_model().objects.get(username="lead@acme.example")
    program = Program.objects.create(name="Discovery 2027", owner=owner, status=Program.Status.LAUNCHED)
    wave = Wave.objects.create(program=program, number=1, name="Pilot")
    cohort = Cohort.objects.create(program=program, wave=wave, name="North pilot", capacity=30)
    for person in Person.objects.filter(team__name="North", level="individual"):
        CohortMember.objects.create(program=program, person=person, cohort=cohort, status="confirmed")
    start = timezone.now() + timedelta(days=7)
    session_save(
        session=Session(
            cohort=cohort, title="Discovery kick-off", starts_at=start, ends_at=start + timedelta(hours=2)
        )
    )
    seller = Person.objects.get(email="rep00@acme.example")
    question = Question.objects.create(
        skill=Skill.objects.create(name="Discovery questions"),
        prompt="What do you ask before presenting a solution?",
        choices=["About the buyer's goals", "About the budget only"],
        correct_index=0,
        explanation="Goals first.",
    )
    card = Card.objects.create(person=seller, question=question, program=program, due_at=timezone.now())
    Nudge.objects.create(
        person=seller,
        card=card,
        due_at=timezone.now(),
        created_at=timezone.now(),
        status=Nudge.Status.SENT,
        sent_at=timezone.now(),
        idempotency_key="q:journey",
    )
    return cohort


def test_invitation_journey_from_an_empty_database(live_server, page, eager_celery, tmp_path, settings):
    settings.SITE_URL = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert not Person.objects.exists()

    # The first lead, as the README says: create_lead prints a one-time link.
    out = StringIO()
    call_command("create_lead", "--email", "lead@acme.example", "--no-input", stdout=out)
    set_password(page, live_server, LINK.search(out.getvalue()).group(1), "Lead-strong-passw0rd")
    sign_in(page, "lead@acme.example", "Lead-strong-passw0rd")

    # Import the 50-person org chart.
    csv_file = tmp_path / "acme-org.csv"
    csv_file.write_text(org_csv())
    page.goto(f"{live_server.url}/cohorts/people/import/")
    page.get_by_label("Org chart CSV").set_input_files(csv_file)
    page.get_by_role("button", name="Upload and import").click()
    expect(page.locator("#import-progress")).to_contain_text("50 added")

    cohort = north_cohort_with_a_session_and_a_question()

    # Invite the North pilot cohort; the job page shows progress until done.
    page.get_by_role("button", name="People & cohorts").click()
    page.get_by_role("link", name="Users & roles").click()
    expect(page.get_by_role("table", name="Users")).to_contain_text("No login")
    page.get_by_role("link", name="Invite people").click()
    page.get_by_label("One cohort").check()
    page.get_by_label("Cohort", exact=True).select_option(label=f"Discovery 2027: {cohort.name}")
    page.get_by_role("button", name="Send invitations").click()
    expect(page.locator("#job-progress")).to_contain_text("24 invitations sent")
    page.screenshot(path=str(SHOTS / "accounts-invitation-job.png"), full_page=True)
    assert len(mail.outbox) == 24

    # Mona, their manager, is invited by ticking her on the users page.
    page.get_by_role("link", name="Users & roles").click()
    page.get_by_label("Search").fill("mona")
    page.get_by_role("button", name="Filter").click()
    page.get_by_label("Select Mona Reyes").check()
    page.get_by_role("button", name="Invite the people ticked").click()
    expect(page.locator("#job-progress")).to_contain_text("1 invitation sent")
    page.goto(f"{live_server.url}/accounts/users/?state=invited")
    expect(page.get_by_role("table", name="Users")).to_contain_text("Mona Reyes")
    page.screenshot(path=str(SHOTS / "accounts-users.png"), full_page=True)

    # A seller opens the link from the e-mail, chooses a password and signs in.
    set_password(page, live_server, link_for("rep00@acme.example"), "Rep-strong-passw0rd")
    sign_in(page, "rep00@acme.example", "Rep-strong-passw0rd")
    page.get_by_role("link", name="My sessions", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text("Discovery kick-off")
    page.get_by_role("link", name="Inbox", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text("What do you ask before presenting a solution?")
    page.screenshot(path=str(SHOTS / "accounts-seller-inbox.png"), full_page=True)
    # The link is single-use.
    page.context.clear_cookies()
    page.goto(live_server.url + link_for("rep00@acme.example"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("no longer works")

    # The manager sees exactly her own people in the org chart.
    set_password(page, live_server, link_for("mona.reyes@acme.example"), "Mona-strong-passw0rd")
    sign_in(page, "mona.reyes@acme.example", "Mona-strong-passw0rd")
    page.get_by_role("button", name="My team").click()
    page.get_by_role("link", name="Org chart", exact=True).click()
    rows = page.locator("table tbody tr")
    expected = set(
        Person.objects.filter(manager__email="mona.reyes@acme.example").values_list("email", flat=True)
    ) | {"mona.reyes@acme.example"}
    expect(rows).to_have_count(len(expected))
    shown = {row.inner_text().split("\n")[1].split("\t")[0].strip() for row in rows.all()}
    assert shown == expected
    page.screenshot(path=str(SHOTS / "accounts-manager-org-chart.png"), full_page=True)
