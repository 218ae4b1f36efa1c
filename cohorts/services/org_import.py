"""Import of the org chart from CSV: check every row first, then write all of it or nothing.

Rows are matched to people by e-mail (case-insensitive): new e-mails are created, known
ones updated where a value differs, so importing the same file twice changes nothing.
Columns missing from the header leave the matching field of existing people untouched.
"""

import csv
import io
import logging
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from rolloutplanner.roles import Role

from ..accounts.services import accounts_after_import
from ..models import AccountGroup, ImportJob, Location, Person, Region, Team, _time_zones
from ..orgcsv import COLUMNS, LIST_SEPARATOR, REQUIRED, unescape_cell
from .bulk import insert_rows, reserve_ids
from .org import org_paths_rebuild
from .queue import enqueue_or_background

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 2000
STALE_AFTER = timedelta(minutes=25)
TRUE_WORDS = {"yes", "y", "true", "1", "active"}
FALSE_WORDS = {"no", "n", "false", "0", "inactive"}
# Person field compared on update <- CSV column it comes from.
SCALAR_FIELDS = {
    "title": "title",
    "level": "level",
    "function": "function",
    "manager_id": "manager_email",
    "team_id": "team",
    "location_id": "location",
    "region_id": "region",
    "time_zone": "time_zone",
    "hire_date": "hire_date",
    "is_active": "active",
}


class _Choice:
    """Accepts a choice by value or label, any case."""

    def __init__(self, choices):
        self.lookup = {}
        for value, label in choices.choices:
            self.lookup[value.lower()] = value
            self.lookup[label.lower()] = value
        self.values = ", ".join(choices.values)

    def parse(self, raw):
        key = raw.lower()
        return self.lookup.get(key) or self.lookup.get(key.replace("-", "_").replace(" ", "_"))


LEVELS = _Choice(Person.Level)
FUNCTIONS = _Choice(Person.Function)
ROLES = _Choice(Role)


# Longest value each column may hold, from the models (PostgreSQL enforces them at save time;
# checking here names the row). account_groups: each name in the list.
MAX_LENGTHS = {
    "email": Person._meta.get_field("email").max_length,
    "first_name": Person._meta.get_field("first_name").max_length,
    "last_name": Person._meta.get_field("last_name").max_length,
    "title": Person._meta.get_field("title").max_length,
    "manager_email": Person._meta.get_field("email").max_length,
    "team": Team._meta.get_field("name").max_length,
    "location": Location._meta.get_field("name").max_length,
    "region": Region._meta.get_field("name").max_length,
    "account_groups": AccountGroup._meta.get_field("name").max_length,
    "time_zone": Person._meta.get_field("time_zone").max_length,
}
ORG_PATH_LENGTH = Person._meta.get_field("org_path").max_length
MAX_NUL_LINES_LISTED = 50


def _error(row, column, message):
    return {"row": row, "column": column, "message": message}


def _shown(value, limit=60):
    """A value quoted in an error message, cut short so a 5,000-character cell stays readable."""
    return value if len(value) <= limit else value[:limit] + "…"


def _nul_errors(content):
    """Rows (physical lines) holding NUL bytes. PostgreSQL cannot store NUL in text, and a file
    saved as UTF-16 without a byte-order mark reads as UTF-8 with a NUL after every letter."""
    lines = [n for n, line in enumerate(content.split(b"\n"), start=1) if b"\x00" in line]
    message = (
        "This row contains NUL bytes: an encoding problem (is the file UTF-16?). "
        "Save it as “CSV UTF-8” and upload it again."
    )
    errors = [_error(n, "", message) for n in lines[:MAX_NUL_LINES_LISTED]]
    if len(lines) > MAX_NUL_LINES_LISTED:
        errors.append(
            _error(
                lines[MAX_NUL_LINES_LISTED],
                "",
                f"… and {len(lines) - MAX_NUL_LINES_LISTED} more rows like it.",
            )
        )
    return errors


def _decode(content):
    """The file as text, or the rows (physical lines) that are not UTF-8 (or hold NUL bytes)."""
    if b"\x00" in content:
        return None, _nul_errors(content)
    try:
        return content.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        errors = []
        for number, line in enumerate(content.splitlines(), start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                errors.append(
                    _error(number, "", "This line is not UTF-8 text; save the file as “CSV UTF-8” and retry.")
                )
        return None, errors


def org_csv_validate(content, *, progress=None):
    """Parse and check an org-chart CSV (bytes).

    Returns (rows, columns, errors): `rows` are cleaned dicts with their row `number`
    (the header is row 1), `columns` the header's known columns, `errors` a list of
    {"row", "column", "message"}; the file may be imported only when `errors` is empty.
    """
    text, errors = _decode(content)
    if text is None:
        return [], set(), errors
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    if not header:
        return [], set(), [_error(1, "", "The file is empty: it needs a header row and at least one person.")]
    reader.fieldnames = header
    for name in REQUIRED:
        if name not in header:
            errors.append(_error(1, name, f"The header has no “{name}” column."))
    for name in header:
        if name not in COLUMNS:
            errors.append(_error(1, name, f"Unknown column “{name}”; the columns are: {', '.join(COLUMNS)}."))
    if errors:
        return [], set(header), errors
    columns = set(header)

    known_locations = dict(Location.objects.values_list("name", "time_zone"))
    time_zones = _time_zones()
    rows, first_row_of = [], {}
    for index, raw in enumerate(reader):
        number = index + 2
        if progress and index % PROGRESS_EVERY == 0:
            progress(index)
        if None in raw:
            errors.append(_error(number, "", "This row has more cells than the header."))
            continue
        row = {key: unescape_cell((value or "").strip()) for key, value in raw.items()}
        row["number"] = number
        errors += _length_errors(row, number)
        for name in REQUIRED:
            if not row[name]:
                errors.append(_error(number, name, f"{name} is required."))
        email = row["email"].lower()
        row["email"] = email
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(_error(number, "email", f"“{_shown(email)}” is not a valid e-mail address."))
            else:
                if email in first_row_of:
                    errors.append(
                        _error(
                            number, "email", f"{email} appears twice (first on row {first_row_of[email]})."
                        )
                    )
                else:
                    first_row_of[email] = number
        if row.get("level"):
            row["level"] = LEVELS.parse(row["level"])
            if row["level"] is None:
                errors.append(_error(number, "level", f"Unknown level; use one of {LEVELS.values}."))
        if row.get("function"):
            row["function"] = FUNCTIONS.parse(row["function"])
            if row["function"] is None:
                errors.append(_error(number, "function", f"Unknown function; use one of {FUNCTIONS.values}."))
        if row.get("role"):
            row["role"] = ROLES.parse(row["role"])
            if row["role"] is None:
                errors.append(
                    _error(number, "role", f"Unknown role; use one of {ROLES.values} or leave it empty.")
                )
        if row.get("time_zone") and row["time_zone"] not in time_zones:
            errors.append(
                _error(
                    number,
                    "time_zone",
                    f"“{_shown(row['time_zone'])}” is not an IANA time zone (e.g. Europe/Paris).",
                )
            )
        if row.get("hire_date"):
            try:
                row["hire_date"] = date.fromisoformat(row["hire_date"])
            except ValueError:
                errors.append(_error(number, "hire_date", "Hire date must look like 2024-03-31."))
        if row.get("active", "") and row["active"].lower() not in TRUE_WORDS | FALSE_WORDS:
            errors.append(_error(number, "active", "Active must be yes or no."))
        row["manager_email"] = row.get("manager_email", "").lower()
        if row["manager_email"] and row["manager_email"] == email:
            errors.append(_error(number, "manager_email", "A person cannot be their own manager."))
        if row.get("location") and row["location"] not in known_locations and not row.get("region"):
            errors.append(
                _error(number, "region", f"New location “{_shown(row['location'])}” needs a region.")
            )
        rows.append(row)
    if progress:
        progress(len(rows))

    if "manager_email" in columns:
        errors += _check_managers(rows, first_row_of)
    errors.sort(key=lambda e: (e["row"], e["column"]))
    return rows, columns, errors


def _length_errors(row, number):
    """Values longer than their database column, one error per cell."""
    errors = []
    for column, limit in MAX_LENGTHS.items():
        value = row.get(column) or ""
        if column == "account_groups":
            too_long = [g.strip() for g in value.split(LIST_SEPARATOR) if len(g.strip()) > limit]
            if too_long:
                errors.append(
                    _error(
                        number,
                        column,
                        f"Account group names are at most {limit} characters; "
                        f"“{_shown(too_long[0], 30)}” has {len(too_long[0])}.",
                    )
                )
        elif len(value) > limit:
            errors.append(
                _error(number, column, f"{column} is at most {limit} characters; this one has {len(value)}.")
            )
    return errors


def _max_depth(id_estimate):
    """How many levels a management chain may have so that every `org_path` ("/12/345/…/")
    fits its column, when ids run up to `id_estimate`."""
    return (ORG_PATH_LENGTH - 1) // (len(str(id_estimate)) + 1)


def _check_depth(rows, manager_of, first_row_of):
    """People whose management chain (after the import) is too deep for `org_path`."""
    from django.db.models import Max

    top_id = (Person.objects.aggregate(m=Max("pk"))["m"] or 0) + len(rows)
    # Ids may jump (sequence gaps after rollbacks): assume one digit more than today's.
    limit = _max_depth(top_id * 10)
    depth = {}

    def depth_of(email):
        chain, node = [], email
        while node and node not in depth and node not in chain:
            chain.append(node)
            node = manager_of.get(node, "")
        level = depth.get(node, 0)
        for member in reversed(chain):
            level += 1
            depth[member] = level
        return depth[email]

    errors = []
    for email, number in first_row_of.items():
        level = depth_of(email)
        if level > limit:
            errors.append(
                _error(
                    number,
                    "manager_email",
                    f"This person is {level} levels below the top of the org; at most {limit} levels fit.",
                )
            )
    return errors


def _check_managers(rows, first_row_of):
    """Unknown managers and manager cycles, judged on the org chart as it would be after import."""
    errors = []
    manager_of = {
        email.lower(): (manager or "").lower()
        for email, manager in Person.objects.values_list("email", "manager__email").iterator(chunk_size=5000)
    }
    for row in rows:
        if not row["email"]:
            continue
        if (
            row["manager_email"]
            and row["manager_email"] not in manager_of
            and row["manager_email"] not in (first_row_of)
        ):
            errors.append(
                _error(
                    row["number"],
                    "manager_email",
                    f"Unknown manager {_shown(row['manager_email'])}: not in this file nor in the org chart.",
                )
            )
        manager_of[row["email"]] = row["manager_email"]

    done, reported = set(), set()
    for start in first_row_of:
        path, on_path, node = [], set(), start
        while node and node not in done and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = manager_of.get(node, "")
        if node in on_path:
            loop = path[path.index(node) :]
            chain = " → ".join([*loop, node])
            for member in loop:
                if member in first_row_of and member not in reported:
                    reported.add(member)
                    errors.append(
                        _error(first_row_of[member], "manager_email", f"Manager chain loops: {chain}.")
                    )
        done.update(path)
    if not reported:
        errors += _check_depth(rows, manager_of, first_row_of)
    return errors


def _bool(raw):
    return raw.lower() not in FALSE_WORDS if raw else True


@transaction.atomic
def org_csv_apply(rows, columns, *, by=None):
    """Create or update everyone in `rows` (already validated), then bring logins in line
    (roles, deactivated people lose access). Returns (created, updated, unchanged)."""
    regions = _names_to_ids(Region, {r["region"] for r in rows if r.get("region")})
    new_locations = {}
    for row in rows:
        if row.get("location"):
            new_locations.setdefault(row["location"], row)
    existing_locations = {loc.name: loc for loc in Location.objects.all()}
    Location.objects.bulk_create(
        [
            Location(name=name, region_id=regions[row["region"]], time_zone=row.get("time_zone") or "UTC")
            for name, row in new_locations.items()
            if name not in existing_locations
        ]
    )
    locations = {loc.name: loc for loc in Location.objects.all()}
    teams_new = {}
    for row in rows:
        if row.get("team"):
            teams_new.setdefault(row["team"], regions.get(row.get("region")))
    known_teams = set(Team.objects.values_list("name", flat=True))
    Team.objects.bulk_create(
        [Team(name=n, region_id=r) for n, r in teams_new.items() if n not in known_teams]
    )
    teams = dict(Team.objects.values_list("name", "id"))
    groups = _names_to_ids(
        AccountGroup,
        {g.strip() for r in rows for g in r.get("account_groups", "").split(LIST_SEPARATOR) if g.strip()},
    )

    field_names = [
        "first_name",
        "last_name",
        *(f for f, column in SCALAR_FIELDS.items() if column in columns),
    ]
    existing = {
        p["email"].lower(): p
        for p in Person.objects.values("id", "email", *field_names).iterator(chunk_size=5000)
    }
    ids_by_email = {p["email"].lower(): p["id"] for p in existing.values()}
    created_emails = _create_new_people(rows, existing, columns, regions, locations, teams, ids_by_email)

    changed, touched = [], set()
    for row in rows:
        current = existing.get(row["email"])
        if current is None:
            continue
        values = _values(row, columns, regions, locations, teams, ids_by_email)
        if any(current[name] != values[name] for name in values):
            changed.append(Person(id=current["id"], **values))
            touched.add(row["email"])
    if changed:
        Person.objects.bulk_update(changed, field_names, batch_size=1000)

    if "account_groups" in columns:
        touched |= _sync_account_groups(rows, ids_by_email, groups, created_emails)
    if created_emails or "manager_email" in columns:
        org_paths_rebuild()
    accounts_after_import(rows=rows, columns=columns, by=by)
    updated = len(touched - created_emails)
    return len(created_emails), updated, len(rows) - len(created_emails) - updated


def _create_new_people(rows, existing, columns, regions, locations, teams, ids_by_email):
    """Insert the people not in the org chart yet, managers before their reports, so each row
    is written once with its manager set. Fills `ids_by_email`; returns the new e-mails."""
    pending = [row for row in rows if row["email"] not in existing]
    if pending and connection.vendor == "postgresql":
        return _copy_new_people(pending, columns, regions, locations, teams, ids_by_email)
    created = set()
    while pending:
        ready = [r for r in pending if not r.get("manager_email") or r["manager_email"] in ids_by_email]
        if not ready:  # cannot happen after validation (no cycles, no unknown managers)
            raise ValueError("Manager links could not be resolved.")
        people = [
            Person(email=row["email"], **_values(row, columns, regions, locations, teams, ids_by_email))
            for row in ready
        ]
        Person.objects.bulk_create(people, batch_size=2000)
        if any(p.pk is None for p in people):
            emails = [p.email for p in people]
            ids_by_email.update(Person.objects.filter(email__in=emails).values_list("email", "id"))
        else:
            ids_by_email.update((p.email, p.pk) for p in people)
        created.update(row["email"] for row in ready)
        pending = [r for r in pending if r["email"] not in created]
    return created


def _copy_new_people(pending, columns, regions, locations, teams, ids_by_email):
    """PostgreSQL: take ids from the sequence first, then COPY every new person in one go."""
    for row, pk in zip(pending, reserve_ids(Person, len(pending)), strict=True):
        ids_by_email[row["email"]] = pk
    fields = list(Person._meta.concrete_fields)
    defaults = {f.attname: f.get_default() for f in fields}
    records = []
    for row in pending:
        values = {**defaults, "id": ids_by_email[row["email"]], "email": row["email"]}
        values.update(_values(row, columns, regions, locations, teams, ids_by_email))
        records.append(tuple(values[f.attname] for f in fields))
    insert_rows(Person, [f.column for f in fields], records)
    return {row["email"] for row in pending}


def _names_to_ids(model, names):
    known = dict(model.objects.filter(name__in=names).values_list("name", "id"))
    model.objects.bulk_create([model(name=n) for n in sorted(names) if n not in known])
    return dict(model.objects.filter(name__in=names).values_list("name", "id"))


def _values(row, columns, regions, locations, teams, ids_by_email):
    """Person field values a row asks for (only for columns present in the file)."""
    values = {"first_name": row["first_name"], "last_name": row["last_name"]}
    location = locations.get(row.get("location")) if row.get("location") else None
    if "title" in columns:
        values["title"] = row["title"]
    if "level" in columns:
        values["level"] = row["level"] or Person.Level.INDIVIDUAL
    if "function" in columns:
        values["function"] = row["function"] or Person.Function.FIELD_SALES
    if "manager_email" in columns:
        values["manager_id"] = ids_by_email.get(row["manager_email"]) if row["manager_email"] else None
    if "team" in columns:
        values["team_id"] = teams.get(row["team"]) if row["team"] else None
    if "location" in columns:
        values["location_id"] = location.pk if location else None
    if "region" in columns:
        if row["region"]:
            values["region_id"] = regions[row["region"]]
        else:
            values["region_id"] = location.region_id if location else None
    if "time_zone" in columns:
        values["time_zone"] = row["time_zone"] or (location.time_zone if location else "UTC")
    if "hire_date" in columns:
        values["hire_date"] = row["hire_date"] or None
    if "active" in columns:
        values["is_active"] = _bool(row["active"])
    return values


def _sync_account_groups(rows, ids_by_email, groups, created_emails):
    """Make each person's account groups match the file; returns e-mails whose groups changed."""
    Through = Person.account_groups.through
    current = {}
    for person_id, group_id in Through.objects.values_list("person_id", "accountgroup_id").iterator(
        chunk_size=10000
    ):
        current.setdefault(person_id, set()).add(group_id)
    to_add, to_remove, touched = [], [], set()
    for row in rows:
        person_id = ids_by_email[row["email"]]
        wanted = {groups[g.strip()] for g in row["account_groups"].split(LIST_SEPARATOR) if g.strip()}
        have = current.get(person_id, set())
        if wanted != have:
            touched.add(row["email"])
            to_add += [Through(person_id=person_id, accountgroup_id=g) for g in wanted - have]
            to_remove += [(person_id, g) for g in have - wanted]
    Through.objects.bulk_create(to_add, batch_size=5000)
    for person_id, group_id in to_remove:
        Through.objects.filter(person_id=person_id, accountgroup_id=group_id).delete()
    return touched - created_emails


def org_import_start(*, user, file_name, content):
    """Store an upload as an ImportJob and queue its import once the transaction commits.

    When the task queue cannot be reached the import runs right away in this process, so an
    upload is never lost.
    """
    job = ImportJob.objects.create(created_by=user, file_name=file_name[:255], content=content)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id):
    from ..tasks import import_org_chart

    def note():
        ImportJob.objects.filter(pk=job_id).update(
            note="The task queue was unreachable, so the import runs in the web server's background."
        )

    if enqueue_or_background(import_org_chart, job_id, before_thread=note) == "full":
        _record_failure(
            job_id,
            [
                _error(
                    0, "", "The task queue is unreachable and other imports are waiting; try again shortly."
                )
            ],
        )


def _record_failure(job_id, errors):
    """End the job as failed with `errors`; if those cannot be stored, with a plain reason."""
    try:
        with transaction.atomic():
            ImportJob.objects.filter(pk=job_id).update(
                status=ImportJob.Status.FAILED, errors=errors, finished_at=timezone.now()
            )
    except Exception:
        logger.exception("Import job %s: the error list could not be saved", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            errors=[_error(0, "", "The file could not be checked; nothing was imported.")],
            finished_at=timezone.now(),
        )


def org_import_run_safely(*, job_id):
    """`org_import_run`, but an unexpected error ends the job as failed instead of leaving it running."""
    try:
        return org_import_run(job_id=job_id)
    except Exception:
        logger.exception("Import job %s failed", job_id)
        if ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING).exists():
            _record_failure(job_id, [_error(0, "", "The import failed unexpectedly; nothing was imported.")])
        raise


def org_import_run(*, job_id):
    """Run a queued import job: validate, then apply or record every error. Safe to call twice."""
    # A run abandoned by a dead worker (past the task's time limit) may be taken over.
    stale = timezone.now() - STALE_AFTER
    claimable = Q(status=ImportJob.Status.QUEUED) | Q(status=ImportJob.Status.RUNNING, started_at__lt=stale)
    claimed = ImportJob.objects.filter(claimable, pk=job_id).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return ImportJob.objects.get(pk=job_id)
    job = ImportJob.objects.get(pk=job_id)
    content = bytes(job.content)
    total = max(content.count(b"\n") - 1, 1)
    ImportJob.objects.filter(pk=job_id).update(total_rows=total)

    def progress(done):
        ImportJob.objects.filter(pk=job_id).update(processed_rows=min(done, total))

    rows, columns, errors = org_csv_validate(content, progress=progress)
    if not errors and not rows:
        errors = [_error(2, "", "The file has a header but no people.")]
    if errors:
        ImportJob.objects.filter(pk=job_id).update(total_rows=len(rows))
        _record_failure(job_id, errors)
        return ImportJob.objects.get(pk=job_id)
    ImportJob.objects.filter(pk=job_id).update(total_rows=len(rows), processed_rows=len(rows))
    try:
        created, updated, unchanged = org_csv_apply(rows, columns, by=job.created_by)
    except Exception:
        logger.exception("Import job %s failed while saving", job_id)
        _record_failure(
            job_id, [_error(0, "", "Saving failed unexpectedly; nothing was imported. Try again.")]
        )
        raise
    # The file is no longer needed once everything in it is saved.
    ImportJob.objects.filter(pk=job_id).update(
        content=b"",
        status=ImportJob.Status.SUCCEEDED,
        created_count=created,
        updated_count=updated,
        unchanged_count=unchanged,
        finished_at=timezone.now(),
    )
    return ImportJob.objects.get(pk=job_id)
