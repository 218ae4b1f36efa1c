"""Every page of a role is at most two clicks from its home page: the home page and its menu
(one click), then the pages those link to (two clicks)."""

import re
from html import unescape

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import make_ready_program

pytestmark = pytest.mark.django_db

# Not pages a person navigates to: files, fragments, the login flow and actions.
NOT_PAGES = {
    "healthz",
    "login",
    "logout",
    "password_change_done",
    "cohorts:people_export",
    "cohorts:import_template",
    "cohorts:import_demo_file",
    "cohorts:my_calendar",
    "reinforcement:home_coaching_counts",
    "measurement:refresh",
}
HREF = re.compile(r'href="(/[^"#?]*)')


def page_names(patterns=None, namespace=None):
    """View names of every URL without arguments, outside the admin and the API."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in ("admin",) or str(entry.pattern).startswith("api/"):
                continue
            yield from page_names(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.converters:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            if name not in NOT_PAGES and "password_reset" not in name:  # the login flow
                yield name


def role_pages(client):
    """The pages this login may open (GET answers 200 with an HTML page)."""
    found = set()
    for name in page_names():
        response = client.get(reverse(name))
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            found.add(reverse(name))
    return found


def links(client, url):
    response = client.get(url)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return set()
    return {unescape(href) for href in HREF.findall(response.content.decode())}


@pytest.mark.parametrize("persona", ["lead", "manager", "executive", "seller"])
def test_every_page_of_a_role_is_two_clicks_from_home(client, org, persona):
    make_ready_program(owner=org.lead, name="Value selling")
    client.force_login(getattr(org, persona))
    one_click = links(client, reverse("home"))
    two_clicks = set(one_click)
    for url in one_click:
        two_clicks |= links(client, url)
    pages = role_pages(client)
    assert len(pages) >= 5
    assert pages - two_clicks - {reverse("home")} == set()


@pytest.mark.parametrize(
    ("persona", "entries"),
    [
        ("manager", ["Dashboard", "Overdue items", "Log coaching", "Team matrix", "Team enrollment"]),
        ("executive", ["Adoption dashboard", "Program health", "Overdue items", "Cohorts &amp; timeline"]),
        ("lead", ["Import the org chart", "Cohorts &amp; timeline", "Overdue items", "Program health"]),
    ],
)
def test_the_main_menu_holds_the_tools_of_each_role(client, org, persona, entries):
    client.force_login(getattr(org, persona))
    page = client.get(reverse("home")).content.decode()
    menu = page[page.index('id="mainnav"') : page.index("</nav>")]
    for entry in entries:
        assert f">{entry}</a>" in menu, entry


def test_the_menu_marks_the_current_area(client, org):
    client.force_login(org.manager)
    page = client.get(reverse("reinforcement:overdue")).content.decode()
    assert re.search(r'dropdown-toggle text-nowrap active"[^>]*aria-current="true">My team<', page)
