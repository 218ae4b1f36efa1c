"""A realistic demo sales organisation: about 200 people in three regions.

Deterministic (fixed seed) and idempotent: people are created or updated by e-mail.
"""

import random
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from programs.models import Program
from rolloutplanner.roles import Role

from .accounts.services import account_role_set
from .models import AccountGroup, Location, Person, Region, Session, Team, Wave
from .orgcsv import export_rows
from .services import org_paths_rebuild
from .services.planning import plan_build, plan_save
from .services.sessions import sessions_schedule

FIRST_NAMES = (
    "Ava Ben Chloe Daniel Elena Farid Grace Hiro Ines Jonas Kara Liam Maya Noah Olga Pavel Quinn Rosa "
    "Sam Tara Umar Vera Will Xena Yusuf Zoe Aiko Bruno Carmen Dev Emil Fatima Gus Hana Ivan Julia Kofi "
    "Lena Marco Nadia Omar Priya Raj Sofia Tom Uma Viktor Wen Yara"
).split()
LAST_NAMES = (
    "Adams Becker Costa Dubois Evans Fischer Garcia Hansen Ito Jensen Kowalski Lopez Meyer Nakamura "
    "Okafor Patel Quist Rossi Schmidt Tanaka Ueda Varga Weber Xu Young Zimmer Bauer Chen Diaz Eriksen "
    "Fontaine Gupta Haddad Ivanova Jovanovic Khan Larsen Moreau Novak Olsen"
).split()

# region -> (time zone per location, locations, team names)
REGIONS = {
    "North America": {
        "locations": {
            "Chicago": "America/Chicago",
            "Austin": "America/Chicago",
            "Toronto": "America/Toronto",
        },
        "teams": ["Enterprise East", "Enterprise West", "Mid-Market NA", "Inside Sales NA"],
    },
    "EMEA": {
        "locations": {"London": "Europe/London", "Berlin": "Europe/Berlin"},
        "teams": ["Enterprise UK", "DACH", "Mid-Market EMEA", "Inside Sales EMEA"],
    },
    "APAC": {
        "locations": {"Singapore": "Asia/Singapore", "Sydney": "Australia/Sydney"},
        "teams": ["Enterprise APAC", "ANZ", "Mid-Market APAC", "Inside Sales APAC"],
    },
}
ACCOUNT_GROUPS = ["Strategic accounts", "Healthcare", "Public sector", "Financial services", "Manufacturing"]
REPS_PER_TEAM = 15
EMAIL_DOMAIN = "demo.rolloutplanner.example"

DEMO_LOGINS = {
    # username -> (role, e-mail of the person the login belongs to)
    "lead": (Role.LEAD, f"enablement.lead@{EMAIL_DOMAIN}"),
    "executive": (Role.EXECUTIVE, f"vp.sales@{EMAIL_DOMAIN}"),
    "manager": (Role.MANAGER, None),  # the first team's manager
    "seller": (Role.SELLER, None),  # the first rep of that team
}


class _Names:
    """Hands out distinct, stable full names in a fixed order."""

    def __init__(self, rng):
        pairs = [(f, last) for f in FIRST_NAMES for last in LAST_NAMES]
        rng.shuffle(pairs)
        self._pairs = iter(pairs)

    def next(self):
        return next(self._pairs)


def _email(first, last):
    return f"{first}.{last}@{EMAIL_DOMAIN}".lower()


def _upsert_person(email, **fields):
    account_groups = fields.pop("account_groups", None)
    person, _ = Person.objects.update_or_create(email=email, defaults=fields)
    if account_groups is not None:
        person.account_groups.set(account_groups)
    return person


@transaction.atomic
def seed_org(password):
    """Load the demo org and the four demo logins. Returns the demo logins by role."""
    rng = random.Random(20261124)
    names = _Names(rng)
    groups = [AccountGroup.objects.get_or_create(name=n)[0] for n in ACCOUNT_GROUPS]

    hq = Region.objects.get_or_create(name="North America")[0]
    hq_location = Location.objects.update_or_create(
        name="Chicago", defaults={"region": hq, "time_zone": "America/Chicago"}
    )[0]
    vp = _upsert_person(
        f"vp.sales@{EMAIL_DOMAIN}",
        first_name="Morgan",
        last_name="Reyes",
        title="VP of Sales",
        level=Person.Level.EXECUTIVE,
        function=Person.Function.SALES_LEADERSHIP,
        manager=None,
        region=hq,
        location=hq_location,
        time_zone="America/Chicago",
        hire_date=date(2016, 3, 1),
    )
    _upsert_person(
        f"enablement.lead@{EMAIL_DOMAIN}",
        first_name="Jordan",
        last_name="Blake",
        title="Head of Sales Enablement",
        level=Person.Level.DIRECTOR,
        function=Person.Function.SALES_LEADERSHIP,
        manager=vp,
        region=hq,
        location=hq_location,
        time_zone="America/Chicago",
        hire_date=date(2019, 6, 3),
    )

    first_manager = first_rep = None
    for region_name, spec in REGIONS.items():
        region = Region.objects.get_or_create(name=region_name)[0]
        locations = [
            Location.objects.update_or_create(name=name, defaults={"region": region, "time_zone": tz})[0]
            for name, tz in spec["locations"].items()
        ]
        first, last = names.next()
        director = _upsert_person(
            _email(first, last),
            first_name=first,
            last_name=last,
            title=f"Regional Sales Director, {region_name}",
            level=Person.Level.DIRECTOR,
            function=Person.Function.SALES_LEADERSHIP,
            manager=vp,
            region=region,
            location=locations[0],
            time_zone=locations[0].time_zone,
            hire_date=date(2015 + rng.randint(0, 5), rng.randint(1, 12), 1),
        )
        for team_index, team_name in enumerate(spec["teams"]):
            location = locations[team_index % len(locations)]
            team = Team.objects.update_or_create(name=team_name, defaults={"region": region})[0]
            inside = team_name.startswith("Inside")
            first, last = names.next()
            manager = _upsert_person(
                _email(first, last),
                first_name=first,
                last_name=last,
                title="Sales Manager",
                level=Person.Level.MANAGER,
                function=Person.Function.SALES_LEADERSHIP,
                manager=director,
                team=team,
                region=region,
                location=location,
                time_zone=location.time_zone,
                hire_date=date(2016 + rng.randint(0, 6), rng.randint(1, 12), 1),
            )
            team.manager = manager
            team.save(update_fields=["manager"])
            first_manager = first_manager or manager
            for rep_index in range(REPS_PER_TEAM):
                first, last = names.next()
                if inside:
                    function, title = Person.Function.INSIDE_SALES, "Inside Sales Representative"
                elif rep_index % 7 == 6:
                    function, title = Person.Function.SALES_ENGINEERING, "Solutions Engineer"
                elif rep_index % 7 == 5:
                    function, title = Person.Function.CUSTOMER_SUCCESS, "Customer Success Manager"
                else:
                    function, title = (
                        Person.Function.FIELD_SALES,
                        rng.choice(["Account Executive", "Senior Account Executive", "Account Manager"]),
                    )
                rep = _upsert_person(
                    _email(first, last),
                    first_name=first,
                    last_name=last,
                    title=title,
                    level=Person.Level.INDIVIDUAL,
                    function=function,
                    manager=manager,
                    team=team,
                    region=region,
                    location=location,
                    time_zone=location.time_zone,
                    hire_date=date(2018 + rng.randint(0, 7), rng.randint(1, 12), rng.randint(1, 28)),
                    account_groups=rng.sample(groups, k=rng.randint(1, 2)),
                )
                first_rep = first_rep or rep
    org_paths_rebuild()

    logins = {}
    User = get_user_model()
    for username, (role, email) in DEMO_LOGINS.items():
        person = {"manager": first_manager, "seller": first_rep}.get(username) or Person.objects.get(
            email=email
        )
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={"first_name": person.first_name, "last_name": person.last_name, "email": person.email},
        )
        user.set_password(password)
        user.save()
        Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
        person.user = user
        person.save(update_fields=["user"])
        # An override, so that re-importing the org chart keeps the demo roles.
        account_role_set(person=person, role=role)
        logins[username] = role
    return logins


# ---------------------------------------------------------------- demo CSV and demo cohorts

# This week's HR changes, on top of the seeded org, for trying the CSV import. Noor is on loan
# to a pilot team but still reports to a holdout team's manager: the plan flags that.
NEW_HIRES = [
    # e-mail, first, last, title, team, location, manager's team, account groups, hire date
    ("noor.lindqvist", "Noor", "Lindqvist", "Account Executive", "Enterprise East", "Chicago",
     "Enterprise West", "Healthcare", "2026-11-16"),
    ("theo.marchetti", "Theo", "Marchetti", "Account Executive", "DACH", "Berlin", "DACH",
     "Manufacturing", "2026-11-16"),
    ("sol.achterberg", "Sol", "Achterberg", "Customer Success Manager", "Enterprise APAC", "Singapore",
     "Enterprise APAC", "Financial services", "2026-11-23"),
]  # fmt: skip


def demo_org_csv():
    """The demo org as an HR export would give it today: everyone seeded plus the new hires."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(export_rows(Person.objects.order_by("email")))
    managers = dict(Team.objects.filter(manager__isnull=False).values_list("name", "manager__email"))
    for local, first, last, title, team, location, manager_team, group, hired in NEW_HIRES:
        loc = Location.objects.filter(name=location).select_related("region").first()
        writer.writerow(
            [
                f"{local}@{EMAIL_DOMAIN}",
                first,
                last,
                title,
                Person.Level.INDIVIDUAL,
                Person.Function.CUSTOMER_SUCCESS if "Success" in title else Person.Function.FIELD_SALES,
                managers.get(manager_team, ""),
                team,
                location,
                loc.region.name if loc else "",
                group,
                loc.time_zone if loc else "UTC",
                hired,
                "yes",
            ]
        )
    return out.getvalue()


DEMO_PROGRAM = "Value selling for enterprise accounts"


@transaction.atomic
def seed_cohorts():
    """Cohorts and scheduled sessions for the demo program, from its rollout design.

    Runs only when the demo program exists and has no plan yet, so a second run (or a plan the
    lead has edited) is left as it is. Sessions start on the program's start date.
    """
    program = Program.objects.filter(name=DEMO_PROGRAM).first()
    if program is None or Wave.objects.filter(program=program).exists():
        return None
    plan_save(program=program, plan=plan_build(program))
    trainer = get_user_model().objects.filter(username="lead").first()
    sessions_schedule(
        program=program,
        first_day=program.start_date or date(2027, 2, 1),
        per_day=2,
        mode=Session.Mode.VIRTUAL,
        meeting_url="https://meet.example.com/value-selling",
        trainer=trainer,
        wave_gap_days=21,
    )
    return program
