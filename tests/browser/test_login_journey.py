"""First journey: each demo role logs in through the form and lands on its home page."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("username", "badge", "marker"),
    [
        ("lead", "Enablement lead", "Rollout design"),
        ("manager", "Sales manager", "Your direct reports"),
        ("executive", "Executive", "Adoption"),
        ("seller", "Seller", "Your sessions"),
    ],
)
def test_each_demo_role_logs_in_and_sees_its_home(demo_data, live_server, page, username, badge, marker):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.locator("nav")).to_contain_text(badge)
    expect(page.locator("main")).to_contain_text(marker)
    page.screenshot(path=f"var/screenshots/home-{username}.png", full_page=True)


def test_a_wrong_password_shows_an_error_and_no_session(demo_data, live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    assert not [c for c in page.context.cookies() if c["name"] == "sessionid"]
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
