"""Helpers for tests that run real Celery workers and a throwaway Redis as subprocesses."""

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from cohorts.models import Person
from programs.models import Program, ProgramSkill, Skill
from reinforcement.models import Card, Nudge, Question

BASE_DIR = Path(settings.BASE_DIR)
IN_CI = os.environ.get("CI", "").lower() == "true"


def on_postgres():
    return connection.vendor == "postgresql"


def current_database_url():
    """The URL of the database this test runs in (pytest-django's test_<name>)."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def free_port():
    for _ in range(50):
        port = random.randint(6390, 6490)
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port for a throwaway redis-server")


class ThrowawayRedis:
    """A private redis-server without persistence, which a test may kill and restart."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        raise RuntimeError("throwaway redis-server did not start")

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class Worker:
    """A `celery worker` subprocess on its own queue, pointed at the test database."""

    def __init__(self, *, broker_url, queue, mail_dir, name, concurrency=1):
        self.broker_url, self.queue, self.mail_dir = broker_url, queue, mail_dir
        self.name, self.concurrency = name, concurrency
        self.process = None

    def start(self):
        env = {
            **os.environ,
            "DATABASE_URL": current_database_url(),
            "REDIS_URL": self.broker_url,
            "EMAIL_BACKEND": "file",
            "VAR_DIR": str(self.mail_dir),
            "DJANGO_SETTINGS_MODULE": "rolloutplanner.settings",
        }
        command = [sys.executable, "-m", "celery", "-A", "rolloutplanner", "worker", "-Q", self.queue]
        command += ["-c", str(self.concurrency), "-n", f"{self.name}-{uuid.uuid4().hex[:6]}@%h"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"]
        self.process = subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True)
        return self

    def kill(self):
        """SIGKILL the worker and its pool children at once (no warm shutdown, no acks)."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def sender(app, broker_url, queue):
    """A `send(ids, token)` for `dispatch` that enqueues on `queue` of the broker at `broker_url`."""
    from reinforcement.tasks import send_nudges

    def send(ids, token):
        with app.connection_for_write(broker_url) as conn, conn.Producer() as producer:
            send_nudges.apply_async((ids, token), queue=queue, producer=producer, retry=False)

    return send


def due_nudges(count, *, per_person=20):
    """`count` pending question nudges due now, on distinct cards (bulk-created)."""
    owner = _owner()
    program = Program.objects.create(name=f"Worker test {uuid.uuid4().hex[:6]}", owner=owner)
    skill = Skill.objects.create(name=f"Skill {uuid.uuid4().hex[:6]}")
    ProgramSkill.objects.create(program=program, skill=skill)
    questions = Question.objects.bulk_create(
        Question(
            skill=skill,
            prompt=f"Question {i}?",
            choices=["Yes", "No"],
            correct_index=0,
            explanation="Because.",
        )
        for i in range(per_person)
    )
    people = Person.objects.bulk_create(
        Person(first_name="Rep", last_name=str(i), email=f"rep{i}-{uuid.uuid4().hex[:6]}@example.com")
        for i in range((count + per_person - 1) // per_person)
    )
    now = timezone.now()
    cards = Card.objects.bulk_create(
        Card(person=p, question=q, program=program, due_at=now, step=0) for p in people for q in questions
    )[:count]
    Nudge.objects.bulk_create(
        Nudge(person_id=c.person_id, card=c, due_at=now, created_at=now, idempotency_key=f"q:{c.pk}:0:test")
        for c in cards
    )
    return count


def _owner():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create(username=f"owner-{uuid.uuid4().hex[:6]}")


def message_ids(mail_dir):
    """Message-IDs of every e-mail the file backend wrote, duplicates included."""
    ids = []
    for path in Path(mail_dir, "mail").glob("*.log"):
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith("Message-ID: <q."):
                ids.append(line.split(":", 1)[1].strip())
    return ids
