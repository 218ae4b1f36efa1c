"""Single sign-on journey against a real OpenID provider (Node's `oidc-provider`) on loopback."""

import fcntl
import json
import os
import queue
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from cohorts.services import org_paths_rebuild
from programs.models import Program, Skill
from reinforcement.models import Card, Nudge
from tests.conftest import IN_CI
from tests.factories import PersonFactory, ProgramFactory, QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROVIDER_DIR = Path(__file__).resolve().parent.parent / "oidc"
CLIENT_ID, CLIENT_SECRET = "rollout-planner", "test-only-client-secret"
SELLER_EMAIL = "sam.seller@example.com"
# Login at the provider -> the identity it asserts. Any password is accepted there.
ACCOUNTS = {
    "sam": {"email": "Sam.Seller@Example.COM", "email_verified": True, "name": "Sam Seller"},
    "olive": {"email": "olive.outsider@elsewhere.example", "email_verified": True, "name": "Olive"},
}


def _require(tool):
    if shutil.which(tool) is None:
        message = f"{tool} is needed for the single sign-on journey (a real OpenID provider)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def oidc_provider(live_server):
    """Start tests/oidc/provider.mjs on a free loopback port; yield its issuer URL."""
    _require("node")
    # pytest-xdist workers each start a provider; only one of them may install it.
    with open(settings.VAR_DIR / "oidc-npm.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
            _require("npm")
            npm = subprocess.run(
                ["npm", "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, capture_output=True, text=True
            )
            if npm.returncode != 0:
                pytest.fail(f"npm ci in tests/oidc failed:\n{npm.stdout}\n{npm.stderr}")
    client = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [f"{live_server.url}/accounts/sso/callback/"],
    }
    env = {**os.environ, "OIDC_TEST_CLIENT": json.dumps(client), "OIDC_TEST_ACCOUNTS": json.dumps(ACCOUNTS)}
    process = subprocess.Popen(
        ["node", "provider.mjs"],
        cwd=PROVIDER_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines = queue.Queue()
    threading.Thread(target=lambda: lines.put(process.stdout.readline()), daemon=True).start()
    try:
        issuer = json.loads(lines.get(timeout=30))["issuer"]
    except (queue.Empty, ValueError):
        process.kill()
        pytest.fail("the OpenID provider did not start (see tests/oidc/provider.mjs)")
    yield issuer
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def sso(settings, oidc_provider, roles):
    settings.OIDC_ISSUER = oidc_provider
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_PROVIDER_NAME = "Acme"


@pytest.fixture
def page_offline(page):
    """The provider's development pages import a web font; nothing here may reach the internet."""
    page.route("https://fonts.googleapis.com/**", lambda route: route.abort())
    return page


def _sign_in_at_provider(page, live_server, login):
    page.goto(f"{live_server.url}/reinforcement/inbox/")
    page.get_by_role("link", name="Sign in with Acme").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password works here")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()  # the provider's consent step


def test_a_seller_signs_in_with_sso_and_lands_on_their_inbox(sso, live_server, page_offline):
    page = page_offline
    seller = PersonFactory(email=SELLER_EMAIL, first_name="Sam", last_name="Seller")
    org_paths_rebuild()
    program = ProgramFactory(status=Program.Status.LAUNCHED)  # a program that has not launched asks nothing
    question = QuestionFactory(skill=Skill.objects.create(name="Discovery"), prompt="What do you ask first?")
    now = timezone.now()
    card = Card.objects.create(person=seller, question=question, program=program, due_at=now)
    Nudge.objects.create(
        person=seller,
        card=card,
        due_at=now,
        created_at=now,
        sent_at=now,
        status=Nudge.Status.SENT,
        idempotency_key="sso-journey",
    )

    for width in (1366, 768):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{live_server.url}/accounts/login/")
        page.screenshot(path=f"var/screenshots/login-sso-{width}.png", full_page=True)
    _sign_in_at_provider(page, live_server, "sam")

    expect(page).to_have_url(f"{live_server.url}/reinforcement/inbox/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your review questions")
    expect(page.locator("main")).to_contain_text("What do you ask first?")
    expect(page.locator("nav")).to_contain_text("Sam Seller")
    expect(page.locator("nav")).to_contain_text("Seller")
    seller.refresh_from_db()
    assert seller.user.username == SELLER_EMAIL
    assert not seller.user.has_usable_password()


def test_an_email_outside_the_org_chart_is_refused_and_gets_no_account(sso, live_server, page_offline):
    page = page_offline
    PersonFactory(email=SELLER_EMAIL)
    users_before = get_user_model().objects.count()

    _sign_in_at_provider(page, live_server, "olive")

    expect(page).to_have_url(f"{live_server.url}/accounts/sso/refused/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your e-mail address is not in the org chart")
    expect(page.locator("main")).to_contain_text("olive.outsider@elsewhere.example")
    page.screenshot(path="var/screenshots/sso-refused.png", full_page=True)
    assert get_user_model().objects.count() == users_before
    page.goto(f"{live_server.url}/reinforcement/inbox/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/reinforcement/inbox/")
