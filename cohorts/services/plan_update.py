"""Changing the design of a running program: add the people it now includes, move nobody.

Once attendance is recorded a plan can no longer be regenerated (that would throw the
record away). When the design changes after that, `plan_update_build` compares the plan the
new design gives with the saved one and proposes, for each newly in-scope person, a seat in
the cohort the new plan would put them in when that cohort exists, has not started and has
room; everyone else goes to new cohorts in one new wave after the last one. People already
in the program stay where they are, trained or not; people the new design leaves out are
only counted (the lead removes them by hand if that is meant). `plan_update_save` stores
exactly the preview.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from ..models import Cohort, CohortMember, Session, Wave
from .bulk import insert_rows
from .planning import PlannedWave, _cohorts_for, _enroll_in_cohort_sessions

ADDED_WAVE_NAME = "Added (after the design changed)"  # its cohorts: "Added · Team B"


@dataclass
class PlanUpdate:
    program: object
    member_status: str
    into_existing: list = field(default_factory=list)  # [(Cohort, [PersonRow])]
    new_wave: PlannedWave | None = None
    unplaced: list = field(default_factory=list)  # open enrollment: in scope, sign up themselves
    left_out: int = 0  # members the new design no longer includes (they stay)

    @property
    def joining(self):
        existing = sum(len(people) for _, people in self.into_existing)
        return existing + (self.new_wave.size if self.new_wave else 0) + len(self.unplaced)


def plan_update_build(program, plan):
    """What saving `plan` (built from the current design) adds to the program's saved plan."""
    members = set(CohortMember.objects.filter(program=program).values_list("person_id", flat=True))
    planned = [(c, p) for w in plan.waves for c in w.cohorts for p in c.people]
    planned += [(None, p) for p in plan.unplaced]
    in_plan = {p.id for _, p in planned}
    update = PlanUpdate(program=program, member_status=plan.member_status)
    update.left_out = len(members - in_plan)
    newcomers = [(c, p) for c, p in planned if p.id not in members]
    if not newcomers:
        return update

    started = Session.objects.filter(cohort__program=program, starts_at__lte=timezone.now())
    open_cohorts = {
        c.name: c
        for c in Cohort.objects.filter(program=program)
        .exclude(pk__in=started.values("cohort_id"))
        .annotate(taken=Count("members", filter=~Q(members__status=CohortMember.Status.DECLINED)))
    }
    room = Counter({name: c.capacity - c.taken for name, c in open_cohorts.items()})
    placed, rest = {}, []
    for planned_cohort, person in newcomers:
        if planned_cohort is None:
            update.unplaced.append(person)
            continue
        name = planned_cohort.name[:150]
        if name in open_cohorts and room[name] > 0:
            room[name] -= 1
            placed.setdefault(name, []).append(person)
        else:
            rest.append(person)
    update.into_existing = [(open_cohorts[name], people) for name, people in placed.items()]
    if rest:
        number = (Wave.objects.filter(program=program).aggregate(n=Max("number"))["n"] or 0) + 1
        wave = PlannedWave(number=number, name=ADDED_WAVE_NAME, kind=Wave.Kind.MAIN)
        wave.cohorts = _cohorts_for(
            program, wave, rest, plan.cohort_size, top_down=program.rollout == program.Rollout.TOP_DOWN
        )
        update.new_wave = wave
    return update


@transaction.atomic
def plan_update_save(*, update):
    """Store a previewed update: new members in existing cohorts (seated in their upcoming
    sessions when confirmed) and the new wave's cohorts. Returns the number of people added."""
    program, status = update.program, update.member_status
    rows = [(cohort.pk, p.id) for cohort, people in update.into_existing for p in people]
    rows += [(None, p.id) for p in update.unplaced]
    if update.new_wave:
        wave = Wave.objects.create(
            program=program,
            number=update.new_wave.number,
            name=update.new_wave.name,
            kind=update.new_wave.kind,
        )
        for sequence, planned in enumerate(update.new_wave.cohorts, start=1):
            cohort = Cohort.objects.create(
                program=program,
                wave=wave,
                name=planned.name[:150],
                sequence=sequence,
                is_leaders=planned.is_leaders,
                capacity=planned.capacity,
            )
            rows += [(cohort.pk, p.id) for p in planned.people]
    insert_rows(
        CohortMember,
        ["program_id", "cohort_id", "person_id", "status"],
        [(program.pk, cohort_id, person_id, status) for cohort_id, person_id in rows],
    )
    if status == CohortMember.Status.CONFIRMED and update.into_existing:
        people = [p.id for _, group in update.into_existing for p in group]
        for member in CohortMember.objects.filter(program=program, person_id__in=people).select_related(
            "person"
        ):
            _enroll_in_cohort_sessions(member)
    return len(rows)
