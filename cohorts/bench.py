"""Bench of the cohorts app: import and cohort generation for a synthetic org (default 100,000 people)."""

import csv
import io
import random

from django.contrib.auth import get_user_model

from programs.models import Program
from rolloutplanner.management.commands.bench import Figure, peak_memory_mb, stopwatch

from .models import CohortMember, ImportJob
from .orgcsv import COLUMNS
from .selectors import plan_violations
from .services.org_import import org_import_run
from .services.planning import plan_build, plan_save

REGIONS = {
    "North America": ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"],
    "EMEA": ["Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Madrid"],
    "APAC": ["Asia/Singapore", "Asia/Tokyo", "Australia/Sydney", "Asia/Kolkata"],
    "LATAM": ["America/Sao_Paulo", "America/Mexico_City", "America/Bogota", "America/Santiago"],
    "Nordics": ["Europe/Stockholm", "Europe/Oslo", "Europe/Helsinki", "Europe/Copenhagen"],
}
FUNCTIONS = ["field_sales", "field_sales", "inside_sales", "sales_engineering", "customer_success"]
GROUPS = [f"Account group {i}" for i in range(1, 21)]


def synthetic_org_csv(size, *, seed=7):
    """A CSV of `size` people: CEO, 5 regional VPs, 10 directors each, managers of about 20 reps."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)

    def row(email, level, function, manager, team, location, region, tz, title):
        groups = ";".join(rng.sample(GROUPS, k=rng.randint(0, 2)))
        hired = f"{rng.randint(2012, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        first, last = email.split("@")[0].split(".")
        writer.writerow(
            [
                email,
                first.title(),
                last.title(),
                title,
                level,
                function,
                manager,
                team,
                location,
                region,
                groups,
                tz,
                hired,
                "yes",
            ]
        )

    count = 1
    row(
        "chief.exec@bench.example",
        "executive",
        "sales_leadership",
        "",
        "",
        "HQ 1",
        "North America",
        "America/New_York",
        "Chief Sales Officer",
    )
    managers_wanted = max(1, (size - 56) // 21)
    per_director = max(1, -(-managers_wanted // 50))
    team_number = 0
    for r, (region, zones) in enumerate(REGIONS.items()):
        vp = f"vp.region{r}@bench.example"
        row(
            vp,
            "executive",
            "sales_leadership",
            "chief.exec@bench.example",
            "",
            f"HQ {r + 1}",
            region,
            zones[0],
            f"VP Sales {region}",
        )
        count += 1
        for d in range(10):
            director = f"director.r{r}d{d}@bench.example"
            location = f"Office {r}-{d % 8}"
            tz = zones[d % len(zones)]
            row(director, "director", "sales_leadership", vp, "", location, region, tz, "Sales Director")
            count += 1
            for _ in range(per_director):
                if count >= size:
                    break
                team_number += 1
                team = f"Team {team_number:05d}"
                manager = f"manager.t{team_number}@bench.example"
                row(
                    manager,
                    "manager",
                    "sales_leadership",
                    director,
                    team,
                    location,
                    region,
                    tz,
                    "Sales Manager",
                )
                count += 1
                for i in range(20):
                    if count >= size:
                        break
                    function = FUNCTIONS[(i + team_number) % len(FUNCTIONS)]
                    row(
                        f"rep.t{team_number}x{i}@bench.example",
                        "individual",
                        function,
                        manager,
                        team,
                        location,
                        region,
                        tz,
                        "Account Executive",
                    )
                    count += 1
    # Top up to exactly `size` with reps on the last team.
    extra = 0
    while count < size:
        row(
            f"rep.extra{extra}@bench.example",
            "individual",
            "inside_sales",
            manager,
            team,
            location,
            region,
            tz,
            "Inside Sales Representative",
        )
        extra += 1
        count += 1
    return out.getvalue().encode(), count


def bench(out, *, people=100_000):
    figures = []
    content, count = synthetic_org_csv(people)
    out.write(f"Synthetic org: {count} people, {len(content) / 1e6:.1f} MB of CSV")

    job = ImportJob.objects.create(file_name="bench.csv", content=content)
    with stopwatch() as first:
        job = org_import_run(job_id=job.pk)
    if job.status != ImportJob.Status.SUCCEEDED:
        raise RuntimeError(f"Bench import failed: {job.errors[:5]}")
    out.write(f"Import: {job.created_count} created in {first['seconds']:.1f} s")
    figures.append(Figure(f"import {count:,} people (new org)", first["seconds"], "s", 60))

    again = ImportJob.objects.create(file_name="bench.csv", content=content)
    with stopwatch() as second:
        again = org_import_run(job_id=again.pk)
    out.write(f"Re-import: {again.unchanged_count} unchanged in {second['seconds']:.1f} s")
    figures.append(Figure("re-import the same file (nothing changes)", second["seconds"], "s", 60))

    owner = get_user_model().objects.create(username="bench-owner")
    program = Program.objects.create(
        name="Bench program",
        owner=owner,
        participation=Program.Participation.MANDATORY,
        rollout=Program.Rollout.PILOT,
        pilot_scope={"regions": ["Nordics"]},
        participant_mix=Program.ParticipantMix.INTACT_TEAMS,
    )
    with stopwatch() as generation:
        plan = plan_build(program)
        plan_save(program=program, plan=plan)
    members = CohortMember.objects.filter(program=program).count()
    out.write(f"Generation (pilot, intact teams): {plan.cohort_count} cohorts, {members} people")
    figures.append(Figure("generate cohorts: pilot, intact teams", generation["seconds"], "s", 10))

    program.rollout = Program.Rollout.BY_LOCATION
    program.participant_mix = Program.ParticipantMix.CROSS_FUNCTIONAL
    program.save()
    with stopwatch() as mixed:
        plan_save(program=program, plan=plan_build(program))
    figures.append(Figure("generate cohorts: by location, cross-functional", mixed["seconds"], "s", 10))

    with stopwatch() as check:
        problems = plan_violations(program)
    out.write(f"Manager-order check: {len(problems)} problems")
    figures.append(Figure("manager-order check of the saved plan", check["seconds"], "s", 10))
    figures.append(_person_search(out, owner))
    figures.append(Figure("peak memory of the bench process", peak_memory_mb(), "MB", 1024))
    return figures


def _person_search(out, owner):
    """The slowest of a few person-picker searches over the whole org chart (a lead's view)."""
    from django.test import RequestFactory

    from .views import people_search

    owner.is_superuser = True  # superusers count as leads: they may search everyone
    slowest = 0.0
    for query in ("an", "smith", "jo an", "example.com"):
        request = RequestFactory().get("/cohorts/people/search/", {"q": query})
        request.user = owner
        with stopwatch() as timing:
            response = people_search(request)
        slowest = max(slowest, timing["seconds"])
        if response.status_code != 200:
            raise RuntimeError(f"Person search failed for {query!r}: {response.status_code}")
    out.write(f"Person picker search: slowest {slowest * 1000:.0f} ms")
    return Figure("person picker search (slowest of 4 queries)", slowest, "s", 0.3)
