"""The org-chart CSV format, shared by import, export and the downloadable template."""

COLUMNS = [
    "email",
    "first_name",
    "last_name",
    "title",
    "level",
    "function",
    "manager_email",
    "team",
    "location",
    "region",
    "account_groups",
    "time_zone",
    "hire_date",
    "active",
    "role",
]
REQUIRED = ["email", "first_name", "last_name"]
LIST_SEPARATOR = ";"
# A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

COLUMN_HELP = {
    "email": "Required. Work e-mail, unique; the key for updates.",
    "first_name": "Required.",
    "last_name": "Required.",
    "title": "Job title, free text.",
    "level": "executive, director, manager or individual (default individual).",
    "function": "field_sales, inside_sales, sales_engineering, customer_success or sales_leadership.",
    "manager_email": "E-mail of the person's manager: someone in the file or already in the org chart.",
    "team": "Team name; created if new.",
    "location": "Office name; a new location needs a region.",
    "region": "Region name; created if new.",
    "account_groups": "Account groups or initiatives, separated by semicolons.",
    "time_zone": "IANA name such as Europe/Berlin; defaults to the location's, else UTC.",
    "hire_date": "YYYY-MM-DD.",
    "active": "yes or no (default yes).",
    "role": "lead, manager, executive or seller; empty: from the org chart (managers of people are sales "
    "managers, executives and directors executives, everyone else sellers).",
}

TEMPLATE_ROWS = [
    {
        "email": "alex.morgan@example.com",
        "first_name": "Alex",
        "last_name": "Morgan",
        "title": "VP of Sales",
        "level": "executive",
        "function": "sales_leadership",
        "location": "Chicago",
        "region": "North America",
        "time_zone": "America/Chicago",
        "hire_date": "2018-04-01",
        "active": "yes",
    },
    {
        "email": "sam.lee@example.com",
        "first_name": "Sam",
        "last_name": "Lee",
        "title": "Account Executive",
        "level": "individual",
        "function": "field_sales",
        "manager_email": "alex.morgan@example.com",
        "team": "Enterprise East",
        "location": "Chicago",
        "region": "North America",
        "account_groups": "Healthcare;Public sector",
        "time_zone": "America/Chicago",
        "hire_date": "2023-09-18",
        "active": "yes",
    },
]


def safe_cell(value):
    """Neutralise a cell a spreadsheet would run as a formula by prefixing an apostrophe."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def unescape_cell(value):
    """Undo `safe_cell`, so an exported file imports back unchanged."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def export_rows(people):
    """CSV rows (header first) for `people`, safe to open in a spreadsheet.

    `people` should be a queryset; related names are fetched with it in a few queries.
    """
    yield COLUMNS
    people = people.select_related("manager", "team", "location", "region", "account").prefetch_related(
        "account_groups"
    )
    for person in people.iterator(chunk_size=2000):
        yield [
            safe_cell(value)
            for value in (
                person.email,
                person.first_name,
                person.last_name,
                person.title,
                person.level,
                person.function,
                person.manager.email if person.manager else "",
                person.team.name if person.team else "",
                person.location.name if person.location else "",
                person.region.name if person.region else "",
                LIST_SEPARATOR.join(sorted(g.name for g in person.account_groups.all())),
                person.time_zone,
                person.hire_date.isoformat() if person.hire_date else "",
                "yes" if person.is_active else "no",
                getattr(getattr(person, "account", None), "role_override", ""),
            )
        ]
