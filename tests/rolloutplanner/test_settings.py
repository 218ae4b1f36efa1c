"""Settings come from the environment and fail loudly on bad values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-production-secret-key-with-plenty-of-entropy-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "rollout.example.com",
    "DATABASE_URL": "postgres://rollout:secret@db.example.com:5432/rollout",
    "REDIS_URL": "redis://redis.example.com:6379/0",
    "EMAIL_BACKEND": "smtp",
}


def run_django(code, **env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "TIME_ZONE"}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "rolloutplanner.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result


def test_it_runs_embedded_with_nothing_set():
    result = run_django(
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "rolloutplanner.sqlite",  # Django's SQLite with IMMEDIATE write transactions
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_it_uses_postgres_and_redis_when_urls_are_set():
    result = run_django(
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)",
        DATABASE_URL="postgres://u:p@127.0.0.1:5432/x",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "False", "redis://127.0.0.1:6379/3"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be a boolean"),
        ({"DEBUG": "false", "ALLOWED_HOSTS": "x.example.com"}, "SECRET_KEY must be set"),
        ({"TIME_ZONE": "Mars/Olympus"}, "not a known IANA time zone"),
        ({"REDIS_URL": "amqp://guest@localhost//"}, "REDIS_URL must start with redis://"),
        ({"EMAIL_BACKEND": "pigeon"}, "EMAIL_BACKEND must be one of"),
        ({"EMAIL_PORT": "twenty-five"}, "EMAIL_PORT must be an integer"),
        ({"DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL is not a valid database URL"),
    ],
)
def test_it_refuses_bad_values(env, message):
    result = run_django("pass", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_check_deploy_passes_with_production_values():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
