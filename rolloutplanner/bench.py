"""Bench: a 200,000-row org import uploaded while the task queue is down.

The upload goes through the real view with the broker pointed at a closed port: the request
must answer at once (the import runs in the bounded background thread), the import must
finish, and other pages must keep answering within a second while it runs.
"""

import os
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, encode_multipart
from django.urls import reverse

from cohorts.bench import synthetic_org_csv
from cohorts.models import ImportJob
from rolloutplanner.background import runner
from rolloutplanner.celery import app
from rolloutplanner.management.commands.bench import Figure
from rolloutplanner.roles import Role, assign_role, ensure_role_groups

ROWS = 200_000
PAGES = ["healthz", "programs:list", "cohorts:import"]


def bench(out, *, people=100_000):
    content, count = synthetic_org_csv(ROWS)
    out.write(f"Broker down: {count:,} people, {len(content) / 1e6:.1f} MB of CSV")
    ensure_role_groups()
    lead = get_user_model().objects.create(username="bench-lead")
    assign_role(lead, Role.LEAD)
    client = Client(raise_request_exception=False)
    client.force_login(lead)
    saved = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager, app.conf.broker_url = False, "redis://127.0.0.1:1/0"  # nothing listens
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    for name in PAGES:  # warm up: templates compiled, connections open
        client.get(reverse(name))
    # The multipart body is built beforehand: the figure is the server's, not the test client's.
    body = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("bench.csv", content, "text/csv")})
    load_before = os.getloadavg()[0]
    cpu_before = time.process_time()
    try:
        started = time.perf_counter()
        response = client.post(
            reverse("cohorts:import"), body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
        )
        answered = time.perf_counter() - started
        if response.status_code != 302:
            raise RuntimeError(f"Upload answered {response.status_code}")
        job = ImportJob.objects.defer("content").latest("pk")
        slowest, requests, errors = 0.0, 0, 0
        while True:
            for name in PAGES:
                t = time.perf_counter()
                status = client.get(reverse(name)).status_code
                slowest = max(slowest, time.perf_counter() - t)
                requests += 1
                errors += status >= 500
            job.refresh_from_db(fields=["status", "processed_rows", "errors"])
            if job.is_finished:
                break
            time.sleep(0.2)
        runner().wait_idle(timeout=600)
        finished = time.perf_counter() - started
    finally:
        app.conf.task_always_eager, app.conf.broker_url = saved
    if job.status != ImportJob.Status.SUCCEEDED:
        raise RuntimeError(f"Broker-down import failed: {job.errors[:3]}")
    out.write(
        f"Upload answered in {answered:.2f} s; import done in {finished:.1f} s in a background thread "
        f"({time.process_time() - cpu_before:.0f} s of CPU; machine load {load_before:.1f} → "
        f"{os.getloadavg()[0]:.1f}); {requests} other requests meanwhile, slowest {slowest:.2f} s, "
        f"{errors} errors"
    )
    return [
        # The upload stores the whole file before answering; the import itself is not awaited.
        Figure(f"broker down: {len(content) / 1e6:.0f} MB upload stored and answered", answered, "s", 10),
        Figure(f"broker down: import {count:,} rows in background", finished, "s", 180),
        Figure("broker down: slowest other request meanwhile", slowest, "s", 1),
        Figure("broker down: server errors meanwhile", errors, "", 0),
    ]
