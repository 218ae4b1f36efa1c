"""A new install: `migrate` alone creates the roles; `create_lead` makes the first lead; the
embedded secret key is random and kept in var/."""

import os
import stat
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from rolloutplanner.roles import ROLE_PERMISSIONS, Role, role_of

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, var_dir, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "VAR_DIR": str(var_dir), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.django_db
def test_migrate_gives_every_role_its_permissions_without_demo_data():
    Group.objects.all().delete()
    call_command("migrate", verbosity=0)
    groups = {g.name: g for g in Group.objects.prefetch_related("permissions")}
    assert set(groups) == set(Role.labels)
    for role in ROLE_PERMISSIONS:
        assert groups[role.label].permissions.exists(), role
    lead_perms = {p.codename for p in groups[Role.LEAD.label].permissions.all()}
    assert {"change_person", "change_program", "change_account", "view_rolechange"} <= lead_perms


def test_a_new_install_gets_roles_and_a_first_lead_from_two_commands(tmp_path):
    """Fresh SQLite file, no demo data: migrate, then create_lead prints a set-password link."""
    migrated = manage("migrate", "--noinput", var_dir=tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    made = manage("create_lead", "--email", "Founder@Example.com", "--no-input", var_dir=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "founder@example.com is an enablement lead" in made.stdout
    assert "/accounts/welcome/" in made.stdout
    check = manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import Group, User; from rolloutplanner.roles import role_of; "
        "print(sorted(g.name for g in Group.objects.all() if g.permissions.exists())); "
        "print(role_of(User.objects.get(username='founder@example.com')))",
        var_dir=tmp_path,
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout.splitlines()[-2:] == [str(sorted(Role.labels)), "lead"]


def test_embedded_mode_makes_its_own_secret_key_and_keeps_it(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = manage("shell", "-c", code, var_dir=tmp_path)
    second = manage("shell", "-c", code, var_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    key = first.stdout.splitlines()[-1]
    assert len(key) >= 50 and "insecure" not in key
    assert second.stdout.splitlines()[-1] == key
    path = tmp_path / "secret_key"
    assert path.read_text().strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    other = tmp_path / "other"
    other.mkdir()
    assert manage("shell", "-c", code, var_dir=other).stdout.splitlines()[-1] != key


@pytest.mark.django_db
def test_create_lead_links_a_person_of_the_org_chart_and_asks_nothing_with_no_input(org):
    out = StringIO()
    call_command("create_lead", "--email", org.people["seller_b"].email, "--no-input", stdout=out)
    org.people["seller_b"].refresh_from_db()
    assert role_of(org.people["seller_b"].user) == Role.LEAD
    assert "/accounts/welcome/" in out.getvalue()


@pytest.mark.django_db
def test_create_lead_asks_for_a_password_and_refuses_a_weak_one(roles, monkeypatch):
    from django.contrib.auth import get_user_model
    from django.core.management.base import CommandError

    answers = iter(["123", "123"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="too short|too common|entirely numeric"):
        call_command("create_lead", "--email", "first@example.com", stdout=StringIO())
    answers = iter(["Strong-first-passw0rd", "Strong-first-passw0rd"])
    call_command("create_lead", "--email", "first@example.com", stdout=StringIO())
    user = get_user_model().objects.get(username="first@example.com")
    assert user.check_password("Strong-first-passw0rd") and role_of(user) == Role.LEAD
