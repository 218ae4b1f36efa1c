"""Cohorts and waves generated from a program's rollout design, and edits to the saved plan.

`plan_build` is pure (it reads the org chart and the program, writes nothing) and
deterministic: the same org and design always give the same plan, so the preview a lead
saw is exactly what `plan_save` stores.
"""

import math
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from programs.models import Program

from ..models import (
    AccountGroup,
    Cohort,
    CohortMember,
    Enrollment,
    Location,
    Person,
    Region,
    Session,
    Team,
    Wave,
)
from .bulk import insert_rows

DEFAULT_COHORT_SIZE = 12
LEVEL_RANK = {
    Person.Level.EXECUTIVE: 0,
    Person.Level.DIRECTOR: 1,
    Person.Level.MANAGER: 2,
    Person.Level.INDIVIDUAL: 3,
}
SCOPE_KEYS = ("levels", "functions", "regions", "teams", "locations", "account_groups")


class PlanLocked(Exception):
    """The saved plan already has attendance; regenerating it would throw that away."""


@dataclass(slots=True)
class PersonRow:
    id: int
    manager_id: int | None
    level: str
    function: str
    team: str
    region: str
    location: str
    depth: int
    account_groups: tuple = ()

    def values_for(self, key):
        return {
            "levels": (self.level,),
            "functions": (self.function,),
            "regions": (self.region,),
            "teams": (self.team,),
            "locations": (self.location,),
            "account_groups": self.account_groups,
        }[key]


@dataclass
class PlannedCohort:
    name: str
    people: list
    is_leaders: bool = False
    is_open: bool = False
    capacity: int = DEFAULT_COHORT_SIZE

    @property
    def size(self):
        return len(self.people)

    @property
    def mix(self):
        """Counts per function and per level, for the cross-functional report."""
        functions = Counter(Person.Function(p.function).label for p in self.people)
        levels = Counter(Person.Level(p.level).label for p in self.people)
        return {"functions": dict(sorted(functions.items())), "levels": dict(sorted(levels.items()))}


@dataclass
class PlannedWave:
    number: int
    name: str
    kind: str
    cohorts: list = field(default_factory=list)

    @property
    def size(self):
        return sum(c.size for c in self.cohorts)


@dataclass
class Plan:
    program: Program
    cohort_size: int
    member_status: str
    waves: list = field(default_factory=list)
    unplaced: list = field(default_factory=list)
    holdout_match: list = field(default_factory=list)  # team for team, when matched automatically
    holdout_profile: list = field(default_factory=list)  # pilot vs holdout by level and region
    notes: list = field(default_factory=list)

    @property
    def people_count(self):
        return sum(w.size for w in self.waves) + len(self.unplaced)

    @property
    def cohort_count(self):
        return sum(len(w.cohorts) for w in self.waves)


def load_people(*, with_account_groups=True):
    """Every active person as a light row, in id order: one query for people (names of teams,
    regions and locations are looked up from their small tables), one for account groups."""
    groups = defaultdict(list)
    if with_account_groups:
        names = dict(AccountGroup.objects.values_list("id", "name"))
        links = Person.account_groups.through.objects.filter(person__is_active=True).values_list(
            "person_id", "accountgroup_id"
        )
        for person_id, group_id in links.iterator(chunk_size=20000):
            groups[person_id].append(names[group_id])
    teams = dict(Team.objects.values_list("id", "name"))
    regions = dict(Region.objects.values_list("id", "name"))
    locations = dict(Location.objects.values_list("id", "name"))
    rows = (
        Person.objects.filter(is_active=True)
        .order_by("id")
        .values_list(
            "id", "manager_id", "level", "function", "team_id", "region_id", "location_id", "org_path"
        )
    )
    return [
        PersonRow(
            id=pk,
            manager_id=manager_id,
            level=level,
            function=function,
            team=teams.get(team_id, ""),
            region=regions.get(region_id, ""),
            location=locations.get(location_id, ""),
            depth=max(path.count("/") - 1, 0),
            account_groups=tuple(sorted(groups[pk])) if pk in groups else (),
        )
        for pk, manager_id, level, function, team_id, region_id, location_id, path in rows.iterator(
            chunk_size=20000
        )
    ]


def is_eligible(person, program):
    """Whether `person` matches the program's participation criteria (everyone when it has none)."""
    criteria = program.participation_criteria or {}
    if not has_scope(criteria):
        return True
    row = PersonRow(
        id=person.pk,
        manager_id=person.manager_id,
        level=person.level,
        function=person.function,
        team=person.team.name if person.team_id else "",
        region=person.region.name if person.region_id else "",
        location=person.location.name if person.location_id else "",
        depth=0,
        account_groups=tuple(person.account_groups.values_list("name", flat=True)),
    )
    return matches(row, criteria)


def _uses_account_groups(program):
    scopes = (program.participation_criteria or {}, program.pilot_scope or {}, program.holdout_scope or {})
    return any(scope.get("account_groups") for scope in scopes) or (
        program.rollout == Program.Rollout.BY_GROUP
        and program.rollout_group_kind == Program.GroupKind.ACCOUNT_GROUP
    )


def matches(person, spec):
    """Whether `person` fits a scope or criteria dict: every non-empty list must contain a value."""
    for key in SCOPE_KEYS:
        wanted = spec.get(key) or []
        if wanted and not set(person.values_for(key)) & set(wanted):
            return False
    return True


def has_scope(spec):
    return any(spec.get(key) for key in SCOPE_KEYS)


def plan_build(program, *, cohort_size=DEFAULT_COHORT_SIZE, people=None):
    """Propose waves and cohorts for `program` from its participation, rollout and mix decisions."""
    if people is None:
        people = load_people(with_account_groups=_uses_account_groups(program))
    criteria = program.participation_criteria or {}
    eligible = [p for p in people if matches(p, criteria)]
    status = {
        Program.Participation.SUGGESTED: CohortMember.Status.PROPOSED,
        Program.Participation.SELECTED: CohortMember.Status.NOMINATED,
    }.get(program.participation, CohortMember.Status.CONFIRMED)
    plan = Plan(program=program, cohort_size=cohort_size, member_status=status)
    if not program.participation or not program.rollout:
        plan.notes.append("The program has no participation or rollout decision yet; choose them first.")
        return plan
    if program.participation == Program.Participation.SUGGESTED:
        plan.notes.append("People matching the criteria are suggested; their managers confirm or decline.")
    elif program.participation == Program.Participation.SELECTED:
        plan.notes.append("People matching the criteria are nominated; the lead approves each nomination.")

    if (
        program.participation == Program.Participation.OPTIONAL
        or program.rollout == Program.Rollout.AS_AVAILABLE
    ):
        _open_enrollment(plan, eligible, cohort_size)
        return plan

    groups = _waves_for(program, eligible, plan)
    if program.rollout != Program.Rollout.TOP_DOWN:
        groups = _managers_forward(groups, plan)
    for number, (name, kind, wave_people) in enumerate(groups, start=1):
        wave = PlannedWave(number=number, name=name, kind=kind)
        wave.cohorts = _cohorts_for(
            program, wave, wave_people, cohort_size, top_down=program.rollout == "top_down"
        )
        plan.waves.append(wave)
    return plan


def _open_enrollment(plan, eligible, cohort_size):
    """Open sessions with capacity: nobody is placed until they sign up."""
    wave = PlannedWave(number=1, name="Open enrollment", kind=Wave.Kind.OPEN)
    count = max(1, math.ceil(len(eligible) / cohort_size))
    wave.cohorts = [
        PlannedCohort(name=f"Open session group {i}", people=[], is_open=True, capacity=cohort_size)
        for i in range(1, count + 1)
    ]
    plan.waves.append(wave)
    if plan.program.participation == Program.Participation.OPTIONAL:
        plan.notes.append("Attendance is optional: people sign up for an open session themselves.")
    else:
        plan.unplaced = eligible
        plan.notes.append("Everyone in scope signs up for an open session that suits them.")


def _waves_for(program, eligible, plan):
    """[(wave name, kind, people)] in training order."""
    rollout = program.rollout
    if rollout == Program.Rollout.PILOT:
        pilot_scope = program.pilot_scope or {}
        if not has_scope(pilot_scope):
            plan.notes.append("No pilot group is defined, so everyone is in a single rollout wave.")
            return [("Rollout", Wave.Kind.MAIN, eligible)]
        pilot = [p for p in eligible if matches(p, pilot_scope)]
        pilot_ids = {p.id for p in pilot}
        others = [p for p in eligible if p.id not in pilot_ids]
        holdout_scope = program.holdout_scope or {}
        if has_scope(holdout_scope):
            holdout = [p for p in others if matches(p, holdout_scope)]
        else:
            holdout = _match_holdout(pilot, others, plan)
        holdout_ids = {p.id for p in holdout}
        plan.holdout_profile = _describe_groups(pilot, holdout)
        rest = [p for p in others if p.id not in holdout_ids]
        waves = [("Pilot", Wave.Kind.PILOT, pilot), ("Rollout", Wave.Kind.MAIN, rest)]
        if holdout:
            waves.append(("Holdout (after the pilot review)", Wave.Kind.HOLDOUT, holdout))
        return [w for w in waves if w[2]]
    if rollout == Program.Rollout.TOP_DOWN:
        return _top_down(eligible)
    if rollout == Program.Rollout.BY_LOCATION:
        return _by_key(program.wave_order, eligible, lambda p: (p.location,), "No location")
    if rollout == Program.Rollout.BY_GROUP:
        kind = program.rollout_group_kind or Program.GroupKind.TEAM
        key = {
            Program.GroupKind.ACCOUNT_GROUP: lambda p: p.account_groups,
            Program.GroupKind.REGION: lambda p: (p.region,),
        }.get(kind, lambda p: (p.team,))
        return _by_key(program.wave_order, eligible, key, "No group")
    return [("Rollout", Wave.Kind.MAIN, eligible)]


def _managers_forward(groups, plan):
    """Move each manager up to the earliest wave that holds one of their reports, so managers
    train first. A holdout manager stays put (training them would spoil the comparison); the
    check on the saved plan flags that conflict instead."""
    wave_of, by_id = {}, {}
    for index, (_, _, people) in enumerate(groups):
        for person in people:
            wave_of[person.id] = index
            by_id[person.id] = person
    holdout = {i for i, (_, kind, _) in enumerate(groups) if kind == Wave.Kind.HOLDOUT}
    moved = 0
    for person in sorted(by_id.values(), key=lambda p: (-p.depth, p.id)):
        manager = person.manager_id
        if manager in wave_of and wave_of[manager] > wave_of[person.id] and wave_of[manager] not in holdout:
            wave_of[manager] = wave_of[person.id]
            moved += 1
    if moved:
        plan.notes.append(f"{moved} manager(s) moved to an earlier wave to train before their reports.")
    regrouped = [(name, kind, []) for name, kind, _ in groups]
    for person in sorted(by_id.values(), key=lambda p: p.id):
        regrouped[wave_of[person.id]][2].append(person)
    return [group for group in regrouped if group[2]]


def _top_down(eligible):
    """Leaders first: a wave per depth, counting only managers who are themselves in scope."""
    by_id = {p.id: p for p in eligible}
    depth = {}

    def depth_of(person):
        chain, node = [], person
        while node is not None and node.id not in depth:
            chain.append(node)
            node = by_id.get(node.manager_id)
            if node is not None and node in chain:  # defensive: org paths forbid cycles
                node = None
        base = depth[node.id] + 1 if node is not None else 0
        for offset, member in enumerate(reversed(chain)):
            depth[member.id] = base + offset
        return depth[person.id]

    levels = defaultdict(list)
    for person in eligible:
        levels[depth_of(person)].append(person)
    names = {0: "Top leaders", 1: "Their direct reports"}
    return [(names.get(d, f"Level {d + 1} of the org"), Wave.Kind.MAIN, levels[d]) for d in sorted(levels)]


def _by_key(order, eligible, keys_of, leftover_name):
    """One wave per name in `order`, then one per remaining name (alphabetical), then the rest."""
    order = [name for name in (order or []) if name]
    buckets = defaultdict(list)
    for person in eligible:
        keys = [k for k in keys_of(person) if k]
        ranked = [k for k in order if k in keys]
        buckets[ranked[0] if ranked else (sorted(keys)[0] if keys else "")].append(person)
    names = [n for n in order if n in buckets] + sorted(n for n in buckets if n and n not in order)
    waves = [(name, Wave.Kind.MAIN, buckets[name]) for name in names]
    if buckets.get(""):
        waves.append((leftover_name, Wave.Kind.MAIN, buckets[""]))
    return waves


def _match_holdout(pilot, others, plan):
    """A comparison group not in the pilot: team for team when the pilot is made of teams
    (same region first, then the closest size), else person for person on region and level."""
    pilot_teams = sorted({p.team for p in pilot if p.team})
    if pilot_teams:
        members = defaultdict(list)
        for person in others:
            if person.team:
                members[person.team].append(person)
        team_region = {}
        for person in pilot:
            team_region.setdefault(person.team, person.region)
        pilot_size = Counter(p.team for p in pilot)
        size = {t: len(people) for t, people in members.items()}
        region = {t: people[0].region for t, people in members.items()}
        # Per region, candidate teams sorted by (size, name): the closest size is a bisect away.
        by_region = defaultdict(list)
        for team in sorted(set(members) - set(pilot_teams)):
            by_region[region[team]].append((size[team], team))
        for candidates in by_region.values():
            candidates.sort()
        chosen, rows = [], []
        for team in pilot_teams:
            want, home = pilot_size[team], team_region[team]
            lists = (
                [by_region[home]] if by_region.get(home) else [c for r, c in sorted(by_region.items()) if c]
            )
            options = [_closest(candidates, want) for candidates in lists]
            options = [o for o in options if o is not None]
            if not options:
                break
            _, candidates, index = min(options)
            best = candidates.pop(index)[1]
            chosen.append(best)
            rows.append(
                {
                    "pilot": team,
                    "pilot_region": team_region[team],
                    "pilot_size": pilot_size[team],
                    "holdout": best,
                    "holdout_region": region[best],
                    "holdout_size": size[best],
                }
            )
        plan.holdout_match = rows
        return [p for t in chosen for p in members[t]]
    pool = defaultdict(list)
    for person in others:
        pool[(person.region, person.level)].append(person)
    holdout = []
    for person in pilot:
        bucket = pool.get((person.region, person.level))
        if not bucket:
            bucket = next((pool[k] for k in sorted(pool) if k[1] == person.level and pool[k]), None)
        if bucket:
            holdout.append(bucket.pop(0))
    return holdout


def _closest(candidates, want):
    """((size gap, name), list, index) of the team closest in size to `want` (ties: by name)."""
    if not candidates:
        return None
    right = bisect_left(candidates, (want, ""))
    found = []
    if right < len(candidates):
        found.append(right)
    if right > 0:
        found.append(bisect_left(candidates, (candidates[right - 1][0], "")))
    index = min(found, key=lambda i: (abs(candidates[i][0] - want), candidates[i][1]))
    return (abs(candidates[index][0] - want), candidates[index][1]), candidates, index


def _describe_groups(pilot, holdout):
    """Side-by-side counts of pilot and holdout by level and region, to judge comparability."""
    rows = []
    for label, key in (("Level", "level"), ("Region", "region")):

        def value(person, key=key):
            raw = getattr(person, key)
            return Person.Level(raw).label if key == "level" else raw

        pilot_counts = Counter(value(p) for p in pilot)
        holdout_counts = Counter(value(p) for p in holdout)
        for value in sorted(set(pilot_counts) | set(holdout_counts)):
            rows.append(
                {
                    "dimension": label,
                    "value": value or "—",
                    "pilot": pilot_counts[value],
                    "holdout": holdout_counts[value],
                }
            )
    return rows


def _chunks(people, size):
    """`people` split in order into the fewest even chunks of at most `size`."""
    if not people:
        return []
    count = math.ceil(len(people) / size)
    base, extra = divmod(len(people), count)
    chunks, start = [], 0
    for i in range(count):
        end = start + base + (1 if i < extra else 0)
        chunks.append(people[start:end])
        start = end
    return chunks


def _cohorts_for(program, wave, people, size, *, top_down):
    """Cohorts of one wave: managers' cohorts first (unless they train with their reps), then
    intact teams or evenly mixed groups."""
    cohorts = []
    label = wave.name.split(" (")[0]
    ids = {p.id for p in people}
    leaders_first = not top_down and not (
        program.managers_with_reps and program.participant_mix == Program.ParticipantMix.INTACT_TEAMS
    )
    if leaders_first:
        managing = {p.manager_id for p in people if p.manager_id in ids}
        tiers = defaultdict(list)
        for person in people:
            if person.id in managing:
                tiers[person.depth].append(person)
        # One tier per level of the org, senior first, so a manager never shares a cohort with their boss.
        chunks = [chunk for depth in sorted(tiers) for chunk in _chunks(tiers[depth], size)]
        for i, chunk in enumerate(chunks, start=1):
            suffix = f" {i}" if len(chunks) > 1 else ""
            cohorts.append(
                PlannedCohort(
                    name=f"{label} · Managers{suffix}", people=chunk, is_leaders=True, capacity=size
                )
            )
        people = [p for p in people if p.id not in managing]

    if program.participant_mix == Program.ParticipantMix.INTACT_TEAMS:
        teams = defaultdict(list)
        for person in people:
            teams[person.team].append(person)
        # Teams whose most senior member is higher up the org go first (managers before reps).
        for team in sorted(teams, key=lambda t: (min(p.depth for p in teams[t]), t == "", t)):
            members = sorted(teams[team], key=lambda p: (p.depth, LEVEL_RANK.get(p.level, 9), p.id))
            chunks = _chunks(members, size)
            for i, chunk in enumerate(chunks, start=1):
                suffix = f" ({i}/{len(chunks)})" if len(chunks) > 1 else ""
                cohorts.append(
                    PlannedCohort(name=f"{label} · {team or 'No team'}{suffix}", people=chunk, capacity=size)
                )
    else:
        count = math.ceil(len(people) / size) if people else 0
        # Sorting by function, level and team then dealing round-robin spreads each evenly.
        ordered = sorted(people, key=lambda p: (p.function, LEVEL_RANK.get(p.level, 9), p.team, p.id))
        groups = [[] for _ in range(count)]
        for index, person in enumerate(ordered):
            groups[index % count].append(person)
        for i, group in enumerate(groups, start=1):
            cohorts.append(PlannedCohort(name=f"{label} · Mixed group {i}", people=group, capacity=size))
    return cohorts


def plan_is_locked(program):
    """Attendance is recorded: the plan can only grow (see plan_update), not be regenerated."""
    return (
        Enrollment.objects.filter(session__cohort__program=program)
        .exclude(attendance=Enrollment.Attendance.UNMARKED)
        .exists()
    )


@transaction.atomic
def plan_save(*, program, plan, user=None):
    """Replace the program's waves, cohorts and members with `plan`.

    Decisions already taken on people (a manager's confirmation, an approval) are kept.
    Raises PlanLocked once attendance has been recorded for the program.
    """
    if plan_is_locked(program):
        raise PlanLocked(
            "Attendance is already recorded for this program: add the newly in-scope people instead."
        )
    adapt = connection.ops.adapt_datetimefield_value
    decided = {
        person_id: (status, decided_by, adapt(decided_at))
        for person_id, status, decided_by, decided_at in CohortMember.objects.filter(
            program=program, decided_at__isnull=False
        ).values_list("person_id", "status", "decided_by", "decided_at")
    }
    # Members first: a plain DELETE, so removing the cohorts has no memberships to detach.
    CohortMember.objects.filter(program=program).delete()
    Wave.objects.filter(program=program).delete()

    waves = Wave.objects.bulk_create(
        [Wave(program=program, number=w.number, name=w.name, kind=w.kind) for w in plan.waves]
    )
    planned, rows = [], []
    for wave, planned_wave in zip(waves, plan.waves, strict=True):
        for sequence, cohort in enumerate(planned_wave.cohorts, start=1):
            planned.append(cohort)
            rows.append(
                Cohort(
                    program=program,
                    wave=wave,
                    name=cohort.name[:150],
                    sequence=sequence,
                    is_leaders=cohort.is_leaders,
                    is_open=cohort.is_open,
                    capacity=cohort.capacity,
                )
            )
    cohorts = Cohort.objects.bulk_create(rows, batch_size=2000)
    default = (plan.member_status, None, None)
    placements = [
        (p.id, c.pk)
        for c, planned_cohort in zip(cohorts, planned, strict=True)
        for p in planned_cohort.people
    ]
    placements += [(p.id, None) for p in plan.unplaced]
    members = [
        (program.pk, cohort_id, person_id, *decided.get(person_id, default))
        for person_id, cohort_id in placements
    ]
    insert_rows(
        CohortMember,
        ["program_id", "cohort_id", "person_id", "status", "decided_by_id", "decided_at"],
        members,
    )
    return len(cohorts), len(members)


# ---------------------------------------------------------------- edits to a saved plan


def upcoming_seats_cancel(member):
    """Free the seats a member holds in their current cohort's sessions that have not happened."""
    if member.cohort_id is None:
        return
    Enrollment.objects.filter(
        person_id=member.person_id,
        session__cohort_id=member.cohort_id,
        session__starts_at__gt=timezone.now(),
        attendance=Enrollment.Attendance.UNMARKED,
    ).update(status=Enrollment.Status.CANCELLED)


def _enroll_in_cohort_sessions(member):
    from .sessions import enrollment_add

    for session in Session.objects.filter(cohort_id=member.cohort_id, starts_at__gt=timezone.now()):
        enrollment_add(session=session, person=member.person)


@transaction.atomic
def member_move(*, member, cohort):
    """Move a member to another cohort of the same program, moving their upcoming seats too."""
    if cohort.program_id != member.program_id:
        raise ValueError("The cohort belongs to another program.")
    if member.cohort_id == cohort.pk:
        return member
    upcoming_seats_cancel(member)
    member.cohort = cohort
    member.save(update_fields=["cohort"])
    if member.status == CohortMember.Status.CONFIRMED:
        _enroll_in_cohort_sessions(member)
    return member


def _shift_after(cohort):
    Cohort.objects.filter(wave_id=cohort.wave_id, sequence__gt=cohort.sequence).update(
        sequence=F("sequence") + 1
    )


@transaction.atomic
def cohort_split(*, cohort):
    """Split a cohort in two: the second half (by name) moves to a new cohort right after it."""
    members = list(
        cohort.members.select_related("person").order_by("person__last_name", "person__first_name", "pk")
    )
    if len(members) < 2:
        raise ValueError("A cohort needs at least two people to be split.")
    _shift_after(cohort)
    new = Cohort.objects.create(
        program=cohort.program,
        wave=cohort.wave,
        name=f"{cohort.name} (split)"[:150],
        sequence=cohort.sequence + 1,
        is_leaders=cohort.is_leaders,
        is_open=cohort.is_open,
        capacity=cohort.capacity,
    )
    for member in members[math.ceil(len(members) / 2) :]:
        member_move(member=member, cohort=new)
    return new


@transaction.atomic
def cohort_merge(*, cohort, into):
    """Move everyone of `cohort` into `into` and delete `cohort` (and its sessions)."""
    if cohort.pk == into.pk or cohort.program_id != into.program_id:
        raise ValueError("Pick another cohort of the same program to merge into.")
    if (
        Enrollment.objects.filter(session__cohort=cohort)
        .exclude(attendance=Enrollment.Attendance.UNMARKED)
        .exists()
    ):
        raise ValueError(f"{cohort} already has attendance recorded; it cannot be merged away.")
    for member in cohort.members.select_related("person"):
        member_move(member=member, cohort=into)
    cohort.delete()
    return into
