"""Issue 11.9: every page keeps to the Content-Security-Policy (no inline scripts or styles).

A lead and a seller walk the site on the demo data, following the links each page offers
(GET only, same site), and the browser must report no CSP violation and no script error.
New templates are covered as soon as a page links to them.
"""

from urllib.parse import urljoin, urlparse

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SKIP = ("/accounts/logout", "/admin/", "export", ".csv", ".ics", "/download", "/calendar/", "/api/schema")


def login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def walk(page, live_server, start, limit):
    """Visit up to `limit` pages reachable from `start`; return the CSP and script errors seen."""
    problems = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"{page.url}: {m.text}")
            if m.type == "error" and "Content Security Policy" in m.text
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))
    queue, seen = [start], set()
    while queue and len(seen) < limit:
        url = queue.pop(0)
        path = urlparse(url).path + ("?" + urlparse(url).query if urlparse(url).query else "")
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(url)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        page.wait_for_load_state("networkidle")
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            target = urljoin(url, href).split("#")[0]
            if target.startswith(live_server.url) and not any(s in target for s in SKIP):
                queue.append(target)
    return seen, problems


def test_the_pages_people_reach_keep_to_the_policy(demo_data, live_server, page, browser, settings):
    login(page, live_server, "lead")
    seen, problems = walk(page, live_server, f"{live_server.url}/", 30)
    assert len(seen) >= 25

    # Error pages (as in production) and the API docs.
    settings.DEBUG = False
    page.goto(f"{live_server.url}/no/such/page/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Rollout Planner API")

    seller = browser.new_page()
    login(seller, live_server, "seller")
    seller_seen, seller_problems = walk(seller, live_server, f"{live_server.url}/", 8)
    assert len(seller_seen) >= 5
    assert problems + seller_problems == [], "\n".join(problems + seller_problems)
