"""Issue 11: hostile values to every form and API endpoint give no 5xx and save nothing.

On the demo data the lead (who reaches the most) walks the site from the home page, noting
every form (action, fields) and every link. Then:
- every URL pattern is requested, with real ids where the walk found them and with ids of
  10^23 and '²' otherwise;
- every page is requested again with hostile values in the query parameters the site uses;
- every form, and every URL pattern with the field names seen anywhere, is posted hostile
  values: overlong text with a NUL, far dates, huge numbers, wrong types (lists);
- every API endpoint gets hostile query parameters and hostile JSON (deep, wrong types,
  huge numbers, NUL, far dates).
No answer may be a 5xx; a form that asks for input saves no row when all its fields are bad.
"""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlparse

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

HUGE = str(10**23)
OVERLONG_NUL = "\x00" + "x" * 6000
VALUES = [OVERLONG_NUL, "9999-12-31", "1" + "0" * 30, "-1", "²"]
HOSTILE_JSON = [
    "[" * 10_000 + "]" * 10_000,
    json.dumps({"metric": ["x"], "email": 5, "period_start": "9999-12-31", "value": "1e999999"}),
    json.dumps(
        [{"metric": "Win rate", "email": "a@b.c\u0000", "period_start": "0001-01-01", "value": 1e308}]
    ),
    json.dumps("just a string"),
    json.dumps([[[]]]),
    "{not json",
]
SKIP_POST = ("/accounts/logout/",)
CRAWL_LIMIT = 130
NOT_SAVED_EXEMPT = {"sessions.session", "authtoken.token"}


class Forms(HTMLParser):
    """Forms of a page: (action, method, field names, asks_for_input), and its links."""

    def __init__(self):
        super().__init__()
        self.forms, self.links, self._form = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
            }
            self._form.update(fields=set(), asks=False)
        elif tag in ("input", "select", "textarea") and self._form is not None and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if attrs["name"] != "csrfmiddlewaretoken":
                self._form["fields"].add(attrs["name"])
            if tag != "input" or kind not in ("hidden", "submit", "button", "checkbox", "radio"):
                self._form["asks"] = True

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def patterns(resolver=None, prefix=""):
    """(route with <converters>, name) of every URL pattern."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.name


def fill(route, value):
    path = re.sub(r"<(?:int|slug|str|path|uuid):\w+>|<\w+>", value, route)
    path = re.sub(r"[\^\$]|\.\*|\\Z", "", path).replace("\\.", ".")
    return "/" + path.lstrip("/")


def row_counts():
    return {
        m._meta.label_lower: m.objects.count()
        for m in apps.get_models()
        if m._meta.label_lower not in NOT_SAVED_EXEMPT and not m._meta.proxy
    }


@pytest.fixture
def lead(demo_data):
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username="lead"))
    return client


def crawl(client):
    pages, forms, queue, params = {}, [], ["/"], set()
    while queue and len(pages) < CRAWL_LIMIT:
        url = queue.pop(0)
        if url in pages or any(s in url for s in ("/accounts/logout", "/admin/", "export", ".csv", ".ics")):
            continue
        response = client.get(url)
        pages[url] = response.status_code
        if "text/html" not in response.get("Content-Type", ""):
            continue
        parser = Forms()
        parser.feed(response.content.decode())
        for form in parser.forms:
            forms.append({**form, "action": urlparse(urljoin(url, form["action"] or url)).path})
        for href in parser.links:
            target = urlparse(urljoin(url, href))
            if target.netloc in ("", "testserver") and target.path.startswith("/"):
                params |= {p.split("=")[0] for p in target.query.split("&") if p}
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return pages, forms, params


def test_hostile_values_to_every_form_and_endpoint_give_no_5xx_and_save_nothing(lead):
    failures = []

    def check(method, url, response):
        if response.status_code >= 500:
            failures.append(f"{method} {url[:120]} -> {response.status_code}")

    pages, forms, params = crawl(lead)
    failures += [f"GET {url} -> {status}" for url, status in pages.items() if status >= 500]
    assert len(pages) > 60 and len(forms) > 15

    # Every URL pattern, with ids that do not exist and cannot exist.
    routes = list(patterns())
    for route, _name in routes:
        for value in ("1", HUGE, "²"):
            url = fill(route, value)
            check("GET", url, lead.get(url))

    # Hostile query parameters on every page.
    params |= {
        "q",
        "page",
        "program",
        "person",
        "skill",
        "seller",
        "manager",
        "team",
        "region",
        "since",
        "next",
    }
    for url in list(pages)[:60]:
        for value in VALUES:
            check("GET", url, lead.get(urlparse(url).path, dict.fromkeys(params, value)))

    # Every form: all fields bad at once saves nothing.
    field_names = set().union(*(f["fields"] for f in forms))
    for form in forms:
        if form["method"] != "post" or form["action"] in SKIP_POST:
            continue
        for value in VALUES:
            before = row_counts() if value == OVERLONG_NUL and form["asks"] else None
            response = lead.post(form["action"], dict.fromkeys(form["fields"], value))
            check("POST", form["action"], response)
            if before is not None and row_counts() != before:
                changed = {k for k, v in row_counts().items() if before.get(k) != v}
                failures.append(f"POST {form['action']} with bad values saved rows in {sorted(changed)}")
        check("POST", form["action"], lead.post(form["action"], {n: ["a", "b"] for n in form["fields"]}))

    # Every route, posted every field name seen anywhere (covers POST-only actions).
    for route, _name in routes:
        url = fill(route, "1")
        if url in SKIP_POST or url.startswith("/api/"):
            continue
        check("POST", url, lead.post(url, dict.fromkeys(field_names, OVERLONG_NUL)))
        check("POST", url, lead.post(fill(route, HUGE), dict.fromkeys(field_names, "1" + "0" * 30)))

    # The same posts from a manager and a seller, who reach other actions (nominations, answers).
    for username in ("manager", "seller"):
        other = Client(raise_request_exception=False)
        other.force_login(get_user_model().objects.get(username=username))
        for route, _name in routes:
            url = fill(route, "1")
            if url not in SKIP_POST and not url.startswith("/api/"):
                check(f"POST ({username})", url, other.post(url, dict.fromkeys(field_names, OVERLONG_NUL)))

    # The API: hostile parameters and bodies, answered in JSON.
    for route, _name in routes:
        if not route.startswith("api/") or "^" in route:
            continue
        url = fill(route, "1")
        for value in VALUES:
            response = lead.get(url + "?" + urlencode(dict.fromkeys(params, value)))
            check("GET", url, response)
        for body in HOSTILE_JSON:
            response = lead.post(url, body, content_type="application/json")
            check("POST", url, response)
            documentation = url in ("/api/schema/", "/api/docs/")  # OpenAPI / HTML by nature
            if response.status_code >= 400 and not documentation and "json" not in response["Content-Type"]:
                failures.append(f"POST {url} answered {response['Content-Type']}, not JSON")

    assert failures == [], "\n".join(failures)
