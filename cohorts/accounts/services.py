"""Writes about logins: linking a User to a Person of the org chart, roles, access.

This module is the contract between the account pages, the org-chart import and single
sign-on; each of them creates logins only through `provision_account` (one person) or
`accounts_provision` (many, used by invitations).

Rules:
- username = e-mail in lower case; an existing login with that username (any case) is linked
  rather than duplicated, and keeps its role.
- The role follows the org chart (`default_role_for`) unless a lead or the CSV `role` column
  set one (`Account.role_override`). Every change of role is written to `RoleChange`.
- A login is active exactly while its person is active: deactivating a person (import
  `active = no`, or a lead) switches the login off and deletes its API token; the other
  doors (calendar feed, answer links, nudges) check `Person.is_active` themselves.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from rest_framework.authtoken.models import Token

from cohorts.models import Person
from rolloutplanner.roles import ROLE_PRECEDENCE, Role, assign_role, role_of

from .models import Account, RoleChange, new_key

CHUNK = 2000


class AccountError(ValueError):
    """A request about an account that the rules refuse; the message says why."""


def _chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


# ---------------------------------------------------------------- roles
def default_roles(people) -> dict:
    """{person id: Role} implied by the org chart: executives and directors are executives,
    people with active direct reports (the root of an org_path subtree others hang under) are
    sales managers, everyone else a seller."""
    people = list(people)
    managers = set()
    for chunk in _chunks([p.pk for p in people]):
        managers.update(
            Person.objects.filter(manager_id__in=chunk, is_active=True).values_list("manager_id", flat=True)
        )
    return {person.pk: implied_role(person, has_reports=person.pk in managers) for person in people}


def implied_role(person: Person, *, has_reports: bool) -> Role:
    """The org chart's role for one person whose active direct reports are already known."""
    if person.level in (Person.Level.EXECUTIVE, Person.Level.DIRECTOR):
        return Role.EXECUTIVE
    return Role.MANAGER if has_reports else Role.SELLER


def default_role_for(person: Person) -> Role:
    """The role the org chart implies for one person (see `default_roles`)."""
    return default_roles([person])[person.pk]


def current_roles(user_ids) -> dict:
    """{user id: Role} from the role groups (broadest wins); users with no role are left out."""
    Through = get_user_model().groups.through
    found = {}
    for chunk in _chunks(user_ids):
        for user_id, name in Through.objects.filter(
            user_id__in=chunk, group__name__in=Role.labels
        ).values_list("user_id", "group__name"):
            found.setdefault(user_id, set()).add(name)
    return {
        user_id: next(role for role in ROLE_PRECEDENCE if role.label in names)
        for user_id, names in found.items()
    }


def _set_roles(changes, *, by, source):
    """Apply {(person_id, user_id): (from_role, to_role)} in bulk and record each change."""
    if not changes:
        return
    from django.contrib.auth.models import Group

    Through = get_user_model().groups.through
    groups = {_role_by_label(g.name): g.pk for g in Group.objects.filter(name__in=Role.labels)}
    user_ids = [user_id for _, user_id in changes]
    for chunk in _chunks(user_ids):
        Through.objects.filter(user_id__in=chunk, group_id__in=groups.values()).delete()
    Through.objects.bulk_create(
        [Through(user_id=user_id, group_id=groups[new]) for (_, user_id), (_, new) in changes.items()],
        batch_size=CHUNK,
    )
    now = timezone.now()
    RoleChange.objects.bulk_create(
        [
            RoleChange(
                person_id=person_id,
                user_id=user_id,
                changed_by=by,
                changed_at=now,
                from_role=old or "",
                to_role=new,
                source=source,
            )
            for (person_id, user_id), (old, new) in changes.items()
        ],
        batch_size=CHUNK,
    )


def _role_by_label(label):
    return next(role for role in Role if role.label == label)


@transaction.atomic
def account_role_set(*, person: Person, role: Role | None, by=None, source=RoleChange.Source.LEAD):
    """Set the person's role (None: follow the org chart again) and apply it to their login."""
    account, _ = Account.objects.get_or_create(person=person)
    account.role_override = Role(role) if role else ""
    account.save(update_fields=["role_override"])
    if person.user_id is None:
        return None
    wanted = Role(role) if role else default_role_for(person)
    user = person.user
    current = current_roles([user.pk]).get(user.pk)
    if current != wanted:
        _set_roles({(person.pk, user.pk): (current, wanted)}, by=by, source=source)
        if hasattr(user, "_rollout_role"):
            del user._rollout_role
    return wanted


def account_roles_sync(*, by=None, source=RoleChange.Source.ORG_CHART):
    """Give every linked login the role it should have now (override, else the org chart's).

    Run after an import: someone who gained reports becomes a sales manager. Superusers keep
    theirs, and so does a login that was linked to its person without provisioning (its role
    becomes an override). Returns how many roles changed.
    """
    people = list(
        Person.objects.filter(user__isnull=False, user__is_superuser=False).only("id", "level", "user_id")
    )
    current = current_roles([p.user_id for p in people])
    # A login linked without provisioning (by hand, the demo) keeps the role it was given.
    with_account = set(Account.objects.filter(person__user__isnull=False).values_list("person_id", flat=True))
    Account.objects.bulk_create(
        [
            Account(person_id=p.pk, role_override=current.get(p.user_id) or "")
            for p in people
            if p.pk not in with_account
        ],
        ignore_conflicts=True,
        batch_size=CHUNK,
    )
    overrides = dict(
        Account.objects.exclude(role_override="")
        .filter(person__user__isnull=False)
        .values_list("person_id", "role_override")
    )
    defaults = default_roles([p for p in people if p.pk not in overrides])
    changes = {}
    for person in people:
        wanted = Role(overrides[person.pk]) if person.pk in overrides else defaults[person.pk]
        if current.get(person.user_id) != wanted:
            changes[(person.pk, person.user_id)] = (current.get(person.user_id), wanted)
    _set_roles(changes, by=by, source=source)
    return len(changes)


# ---------------------------------------------------------------- provisioning
def active_person_for_email(email: str) -> Person | None:
    """The active person whose e-mail matches, ignoring case; None if there is none."""
    return Person.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()


@transaction.atomic
def accounts_provision(*, people, by=None) -> dict:
    """Make sure each of `people` (active Person rows) has a login; returns {person id: User}.

    Bulk: a few queries per call whatever the number of people. New logins have no usable
    password (they set one from an invitation or sign in with single sign-on) and get the
    role override or the org chart's role; existing logins are linked and keep their role.
    """
    User = get_user_model()
    people = [p for p in people if p.is_active]
    ids = [p.pk for p in people]
    Account.objects.bulk_create(
        [Account(person_id=pk) for pk in ids], ignore_conflicts=True, batch_size=CHUNK
    )
    users = {p.pk: p.user for p in people if p.user_id is not None}  # callers select_related("user")
    unlinked = {p.email.strip().lower(): p for p in people if p.user_id is None}
    if not unlinked:
        return users

    existing = {}
    for chunk in _chunks(list(unlinked)):
        for user in User.objects.annotate(lower=Lower("username")).filter(
            lower__in=chunk, person__isnull=True
        ):
            existing[user.lower] = user
    fresh = [
        User(
            username=email,
            email=email,
            first_name=person.first_name[:150],
            last_name=person.last_name[:150],
            password=make_password(None),
        )
        for email, person in unlinked.items()
        if email not in existing
    ]
    User.objects.bulk_create(fresh, batch_size=1000)
    for chunk in _chunks([u.username for u in fresh]):
        existing.update((u.username, u) for u in User.objects.filter(username__in=chunk))

    for email, person in unlinked.items():
        person.user = existing[email]
        users[person.pk] = person.user
    _link_users([(person.pk, person.user.pk) for person in unlinked.values()])

    new_people = list(unlinked.values())
    overrides = dict(
        Account.objects.filter(person_id__in=[p.pk for p in new_people])
        .exclude(role_override="")
        .values_list("person_id", "role_override")
    )
    defaults = default_roles(new_people)
    current = current_roles([p.user_id for p in new_people])
    changes, keep = {}, []
    for person in new_people:
        has = current.get(person.user_id)
        wanted = Role(overrides[person.pk]) if person.pk in overrides else defaults[person.pk]
        if has is None:
            changes[(person.pk, person.user_id)] = (None, wanted)
        elif has != wanted and person.pk not in overrides:
            keep.append(Account(person_id=person.pk, role_override=has))  # e.g. the first lead
    _set_roles(changes, by=by, source=RoleChange.Source.ORG_CHART)
    for account in keep:
        Account.objects.filter(person_id=account.person_id).update(role_override=account.role_override)
    return users


def _link_users(pairs):
    """Set Person.user_id for many (person id, user id) pairs: one UPDATE ... FROM (VALUES ...)
    per thousand rows, far cheaper than bulk_update's CASE (PostgreSQL and SQLite 3.33+)."""
    table = Person._meta.db_table
    with connection.cursor() as cursor:
        for chunk in _chunks(pairs, 1000):
            values = ", ".join(["(CAST(%s AS BIGINT), CAST(%s AS BIGINT))"] * len(chunk))
            sql = (
                f"UPDATE {table} SET user_id = v.column2 "
                f"FROM (VALUES {values}) AS v WHERE {table}.id = v.column1"
            )
            cursor.execute(sql, [value for pair in chunk for value in pair])


def provision_account(*, person: Person, role: Role | None = None, by=None):
    """Return the person's login, creating it (username = e-mail, lower case, no usable
    password) when there is none. A role given here replaces the current one (and sticks);
    a new login without one gets the org chart's default role. Refuses inactive people."""
    if not person.is_active:
        raise AccountError(f"{person} is deactivated in the org chart and cannot have a login.")
    with transaction.atomic():
        user = accounts_provision(people=[person], by=by)[person.pk]
        person.user = user
        if role is not None:
            account_role_set(person=person, role=role, by=by)
        elif role_of(user) is None:
            _set_roles(
                {(person.pk, user.pk): (None, default_role_for(person))},
                by=by,
                source=RoleChange.Source.ORG_CHART,
            )
    if hasattr(user, "_rollout_role"):
        del user._rollout_role
    return user


# ---------------------------------------------------------------- access
def api_tokens_revoke(*, user):
    """Delete the user's API token: scripts using it get 401 from now on."""
    return Token.objects.filter(user=user).delete()[0]


@transaction.atomic
def account_access_sync(*, person_ids=None, by=None):
    """Switch logins off for inactive people and back on for active ones; returns (off, on).

    Switching off also deletes the API token and records when and by whom.
    """
    User = get_user_model()
    people = Person.objects.filter(user__isnull=False)
    if person_ids is not None:
        people = people.filter(pk__in=person_ids)
    off = list(people.filter(is_active=False, user__is_active=True).values_list("user_id", "pk"))
    on = list(people.filter(is_active=True, user__is_active=False).values_list("user_id", flat=True))
    Account.objects.bulk_create(
        [Account(person_id=person_id) for _, person_id in off], ignore_conflicts=True, batch_size=CHUNK
    )
    off = [user_id for user_id, _ in off]
    now = timezone.now()
    for chunk in _chunks(off):
        User.objects.filter(pk__in=chunk).update(is_active=False)
        Token.objects.filter(user_id__in=chunk).delete()
        Account.objects.filter(person__user_id__in=chunk).update(deactivated_at=now, deactivated_by=by)
    for chunk in _chunks(on):
        User.objects.filter(pk__in=chunk).update(is_active=True)
        Account.objects.filter(person__user_id__in=chunk).update(deactivated_at=None, deactivated_by=None)
    return len(off), len(on)


@transaction.atomic
def person_deactivate(*, person: Person, by):
    """Take the person out of the org chart's active people and switch their access off at
    once (login, API token; feed, answer links and nudges check `is_active`). History stays."""
    if by is not None and person.user_id == by.pk:
        raise AccountError("You cannot deactivate yourself; ask another lead.")
    Person.objects.filter(pk=person.pk).update(is_active=False)
    person.is_active = False
    Account.objects.get_or_create(person=person)
    Account.objects.filter(person=person).update(deactivated_at=timezone.now(), deactivated_by=by)
    account_access_sync(person_ids=[person.pk], by=by)
    return person


@transaction.atomic
def person_reactivate(*, person: Person, by):
    """Undo `person_deactivate`: the person is active again and may sign in as before."""
    Person.objects.filter(pk=person.pk).update(is_active=True)
    person.is_active = True
    Account.objects.filter(person=person).update(deactivated_at=None, deactivated_by=None)
    account_access_sync(person_ids=[person.pk], by=by)
    return person


def accounts_after_import(*, rows, columns, by=None):
    """What an org-chart import means for logins: the `role` column sets (or, left empty,
    clears) role overrides; deactivated people lose access; roles follow the new chart."""
    if "role" in columns:
        wanted = {row["email"]: row.get("role") or "" for row in rows}
        with_role = [email for email, role in wanted.items() if role]
        ids = {}
        for chunk in _chunks(with_role):
            ids.update(Person.objects.filter(email__in=chunk).values_list("email", "id"))
        Account.objects.bulk_create(
            [Account(person_id=pk) for pk in ids.values()], ignore_conflicts=True, batch_size=CHUNK
        )
        changed = []
        accounts = Account.objects.select_related("person").only("id", "role_override", "person__email")
        for account in accounts.iterator(chunk_size=5000):
            role = wanted.get(account.person.email.lower())
            if role is not None and account.role_override != role:
                account.role_override = role
                changed.append(account)
        Account.objects.bulk_update(changed, ["role_override"], batch_size=CHUNK)
    account_access_sync(by=by)
    account_roles_sync(by=by, source=RoleChange.Source.IMPORT)


# ---------------------------------------------------------------- passwords and feeds
@transaction.atomic
def account_password_set(*, user, password):
    """Set a new password (invitation, reset or change): old API tokens stop working."""
    user.set_password(password)
    user.save(update_fields=["password"])
    Account.objects.filter(person__user=user).update(password_set_at=timezone.now())
    api_tokens_revoke(user=user)
    return user


def calendar_feed_rotate(*, person: Person):
    """Give the person a new calendar feed URL; the old one stops working."""
    account, _ = Account.objects.get_or_create(person=person)
    account.feed_key = new_key()
    account.save(update_fields=["feed_key"])
    return account


# ---------------------------------------------------------------- the first lead
@transaction.atomic
def lead_create(*, email, first_name="", last_name="", password=None):
    """Create or promote an enablement lead (username = e-mail). Returns (user, link): without a
    password the login gets none and `link` is a one-time set-password URL."""
    from django.core.validators import validate_email

    from .invitations import invitation_url

    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except Exception:
        raise AccountError(f"“{email}” is not a valid e-mail address.") from None
    person = Person.objects.filter(email__iexact=email).first()
    if person is not None:
        user = provision_account(person=person, role=Role.LEAD)
    else:
        User = get_user_model()
        user = User.objects.annotate(lower=Lower("username")).filter(lower=email).first()
        if user is None:
            user = User(username=email, email=email, first_name=first_name, last_name=last_name)
            user.set_unusable_password()
            user.save()
        previous = role_of(user)
        if previous != Role.LEAD:
            assign_role(user, Role.LEAD)
            RoleChange.objects.create(
                user=user, from_role=previous or "", to_role=Role.LEAD, source=RoleChange.Source.COMMAND
            )
    if password:
        account_password_set(user=user, password=password)
        return user, None
    if user.has_usable_password():
        return user, None
    return user, invitation_url(user)
