"""Demo reinforcement data: a question bank, stages spread over the demo sellers, coaching
logs, action plans, and a few due nudges (two already in the demo seller's inbox).

Runs after the programs and cohorts demo. Idempotent: questions are upserted by prompt, and
the evidence is only laid down while the demo program has no reinforcement rules yet.
Deterministic: fixed seller order and spread, FSRS without interval fuzzing.
"""

from datetime import timedelta

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from cohorts.models import Person
from programs.models import Program, ProgramSkill

from .models import ActionPlan, AssessmentResult, Card, Nudge, Question, ReinforcementRules, ReviewLog, Stage
from .question_bank import STARTER_QUESTIONS
from .scheduling import answer_applied
from .services import nudges as outbox
from .services.coaching import coaching_session_log
from .services.stages import cards_ensure, stages_ensure, stages_recompute
from .spacing import Spacing

DEMO_PROGRAM = "Value selling for enterprise accounts"
DEMO_TEAMS = ("Enterprise East", "Enterprise West")
# Target stage per (seller index + skill index) % len: a visible spread in the matrix.
SPREAD = [
    Stage.LEARN,
    Stage.REMEMBER,
    Stage.PRACTICE,
    Stage.APPLY,
    Stage.LEARN,
    Stage.NOT_STARTED,
    Stage.MASTER,
]


def seed_questions():
    """The starter bank for every built-in skill that exists (upserted by skill and prompt)."""
    from programs.models import Skill

    created = 0
    for skill in Skill.objects.filter(name__in=STARTER_QUESTIONS):
        for prompt, choices, correct, explanation in STARTER_QUESTIONS[skill.name]:
            _, made = Question.objects.update_or_create(
                skill=skill,
                prompt=prompt,
                defaults={"choices": choices, "correct_index": correct, "explanation": explanation},
            )
            created += made
    return created


@transaction.atomic
def seed_reinforcement():
    seed_questions()
    program = Program.objects.filter(name=DEMO_PROGRAM).first()
    if program is None or not ProgramSkill.objects.filter(program=program).exists():
        return None
    if ReinforcementRules.objects.filter(program=program).exists():
        return program
    # The demo's main waves are still ahead; a pilot group was assessed without attendance
    # records. The program is not launched yet, so its progress shows once the lead launches it.
    ReinforcementRules.objects.create(program=program, require_attendance=False)
    program = Program.objects.get(pk=program.pk)
    now = timezone.now().replace(microsecond=0)
    program_skills = list(ProgramSkill.objects.filter(program=program).select_related("skill").order_by("id"))
    sellers = list(
        Person.objects.filter(team__name__in=DEMO_TEAMS, level=Person.Level.INDIVIDUAL, is_active=True)
        .select_related("manager")
        .order_by("team__name", "id")
    )
    stages_ensure(program=program, person_ids=[p.pk for p in sellers])
    targets = {
        (p.pk, ps.pk): SPREAD[(i + j) % len(SPREAD)]
        for i, p in enumerate(sellers)
        for j, ps in enumerate(program_skills)
    }
    # The demo seller (first rep of the first team) sits at Learn everywhere: fresh questions due.
    demo_seller = sellers[0] if sellers else None
    if demo_seller is not None:
        for ps in program_skills:
            targets[(demo_seller.pk, ps.pk)] = Stage.LEARN

    _assessments(sellers, program_skills, targets, now)
    cards_ensure(
        pairs=[
            (p.pk, program.pk, ps.skill_id)
            for p in sellers
            for ps in program_skills
            if targets[(p.pk, ps.pk)] != Stage.NOT_STARTED
        ],
        now=now,
    )
    _reviews(sellers, program_skills, targets, now)
    _coaching(sellers, program, program_skills, targets, now)
    stages_recompute(program_ids=[program.pk], reason_prefix="Demo evidence")
    _nudges(demo_seller, sellers, now)
    return program


def _assessments(sellers, program_skills, targets, now):
    rows = []
    for i, person in enumerate(sellers):
        for j, ps in enumerate(program_skills):
            pre = 35 + (i * 7 + j * 11) % 25
            rows.append(
                AssessmentResult(
                    person=person,
                    program_skill=ps,
                    kind="pre",
                    score=pre,
                    taken_on=(now - timedelta(days=200)).date(),
                )
            )
            if targets[(person.pk, ps.pk)] != Stage.NOT_STARTED:
                rows.append(
                    AssessmentResult(
                        person=person,
                        program_skill=ps,
                        kind="post",
                        score=72 + (i * 5 + j * 3) % 26,
                        taken_on=(now - timedelta(days=180)).date(),
                    )
                )
    AssessmentResult.objects.bulk_create(rows, ignore_conflicts=True)


def _reviews(sellers, program_skills, targets, now):
    """Replay right answers on each card at its due dates (longer history for higher stages)."""
    history_days = {Stage.REMEMBER: 35, Stage.PRACTICE: 60, Stage.APPLY: 90, Stage.MASTER: 200}
    policy = Spacing(fuzz=False)
    skill_of = {ps.skill_id: ps.pk for ps in program_skills}
    cards = Card.objects.filter(person__in=sellers).select_related("question").order_by("id")
    changed, logs = [], []
    for card in cards:
        target = targets[(card.person_id, skill_of[card.question.skill_id])]
        if target not in history_days:
            continue
        moment = now - timedelta(days=history_days[target])
        confidence = "sure" if target == Stage.MASTER else ""
        while moment < now and card.retired_at is None:
            logs.append(
                answer_applied(
                    card,
                    policy,
                    chosen_index=card.question.correct_index,
                    correct=True,
                    at=moment,
                    confidence=confidence,
                )
            )
            moment = card.due_at
        changed.append(card)
    fields = [
        "memory",
        "retired_at",
        "state",
        "step",
        "stability",
        "difficulty",
        "due_at",
        "last_review_at",
        "reviews",
        "last_rating",
    ]
    Card.objects.bulk_update(changed, fields, batch_size=500)
    ReviewLog.objects.bulk_create(logs, batch_size=1000)


def _coaching(sellers, program, program_skills, targets, now):
    ranks = {ps.pk: ps for ps in program_skills}
    for i, person in enumerate(sellers):
        manager = person.manager
        if manager is None:
            continue
        skills_at = {
            level: [
                ranks[ps_pk].skill
                for (p, ps_pk), t in targets.items()
                if p == person.pk and Stage.rank(t) >= level
            ]
            for level in (Stage.rank(Stage.PRACTICE), Stage.rank(Stage.APPLY), Stage.rank(Stage.MASTER))
        }
        practice, apply, master = skills_at.values()
        if practice:
            for days, kind, rating in ((40, "role_play", 3), (26, "one_on_one", 4)):
                high = dict.fromkeys(master, (4, False))
                coaching_session_log(
                    manager=manager,
                    program=program,
                    kind=kind,
                    occurred_on=(now - timedelta(days=days + i % 5)).date(),
                    sellers=[person],
                    ratings={**dict.fromkeys(practice, (rating, False)), **high},
                    notes="Practised the opening and the discovery questions.",
                )
        for skill in apply:
            plan = ActionPlan.objects.create(
                person=person,
                program=program,
                skill=skill,
                customer=f"Northwind account {i + 1}",
                commitment=f"Use {skill.name.lower()} in the next meeting with the buying committee.",
                due_on=(now - timedelta(days=5)).date(),
            )
            if skill in master or i % 2 == 0:
                plan.status = ActionPlan.Status.OBSERVED
                plan.observed_by = manager
                plan.observed_at = now - timedelta(days=4)
                plan.observation = "Joined the call: the skill was used with the buyer."
                plan.save()
        if master:
            coaching_session_log(
                manager=manager,
                program=program,
                kind="ride_along",
                occurred_on=(now - timedelta(days=10)).date(),
                sellers=[person],
                ratings=dict.fromkeys(master, (5, True)),
                notes="Led the executive conversation end to end.",
                next_step="Share the approach at the next team meeting",
                next_step_due=(now - timedelta(days=2)).date(),
            )


def _nudges(demo_seller, sellers, now):
    """Two questions waiting in the demo seller's inbox and a few due for the dispatcher."""
    if demo_seller is None:
        return
    inbox_cards = list(Card.objects.filter(person=demo_seller).order_by("id")[:2])
    rows = [
        Nudge(person=demo_seller, card=c, due_at=now, created_at=now, idempotency_key=f"q:{c.pk}:0:demo")
        for c in inbox_cards
    ]
    others = Card.objects.filter(person__in=sellers[1:6], due_at__lte=now).order_by("id")[:5]
    rows += [
        Nudge(
            person_id=c.person_id,
            card=c,
            due_at=now,
            created_at=now,
            idempotency_key=f"q:{c.pk}:{c.reviews}:demo",
        )
        for c in others
    ]
    Nudge.objects.bulk_create(rows, ignore_conflicts=True)
    # Deliver the demo seller's two now (kept in memory, not printed), so the inbox is not empty.
    ids = list(
        Nudge.objects.filter(person=demo_seller, status=Nudge.Status.PENDING).values_list("id", flat=True)
    )
    Nudge.objects.filter(id__in=ids).update(status=Nudge.Status.CLAIMED, lease_token=Nudge.new_lease_token())
    for nudge in Nudge.objects.filter(id__in=ids):
        outbox.nudges_deliver(
            nudge_ids=[nudge.pk],
            lease_token=nudge.lease_token,
            worker="demo",
            connection=get_connection("django.core.mail.backends.locmem.EmailBackend"),
        )
