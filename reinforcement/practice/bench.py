"""Bench figures of the practice app (run by `manage.py bench`, in a throw-away database).

A program with one skill and up to 20,000 sellers in 100 teams, each with two stage moves and two
on-time answers: the first full points refresh, a second (idempotent) one, and the leaderboard
and team competition reads a page does.
"""

import time
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from cohorts.models import Person, Team
from programs.models import Program, ProgramSkill, Skill
from reinforcement.models import Card, Nudge, Question, ReviewLog, SkillStage, StageEvent

from .models import Competition
from .points import points_refresh
from .selectors import competition_standings, leaderboard


def _build(out, people):
    now = timezone.now()
    owner = get_user_model().objects.create(username="practice-bench")
    program = Program.objects.create(name="Practice bench", owner=owner, status=Program.Status.LAUNCHED)
    skill = Skill.objects.get_or_create(name="Practice bench skill")[0]
    ps = ProgramSkill.objects.create(program=program, skill=skill)
    question = Question.objects.create(
        skill=skill, prompt="q", choices=["a", "b"], correct_index=0, explanation="e"
    )
    teams = Team.objects.bulk_create([Team(name=f"Bench team {i}") for i in range(100)])
    persons = Person.objects.bulk_create(
        [
            Person(first_name="P", last_name=str(i), email=f"bench{i}@example.com", team=teams[i % 100])
            for i in range(people)
        ],
        batch_size=5000,
    )
    stages = SkillStage.objects.bulk_create(
        [SkillStage(person=p, program_skill=ps, stage="remember") for p in persons], batch_size=5000
    )
    StageEvent.objects.bulk_create(
        [
            StageEvent(skill_stage=s, from_stage=a, to_stage=b, reason="bench", created_at=now)
            for s in stages
            for a, b in (("not_started", "learn"), ("learn", "remember"))
        ],
        batch_size=5000,
    )
    cards = Card.objects.bulk_create(
        [Card(person=p, question=question, program=program, due_at=now) for p in persons], batch_size=5000
    )
    nudges, logs = [], []
    for week in (14, 7):
        due = now - timedelta(days=week)
        nudges += [
            Nudge(
                person_id=c.person_id, card=c, due_at=due, created_at=due, idempotency_key=f"b{week}:{c.pk}"
            )
            for c in cards
        ]
    Nudge.objects.bulk_create(nudges, batch_size=5000)
    for n in nudges:
        logs.append(
            ReviewLog(
                card=n.card,
                nudge=n,
                chosen_index=0,
                is_correct=True,
                rating=3,
                stability_after=5,
                due_after=n.due_at + timedelta(days=5),
                reviewed_at=n.due_at + timedelta(hours=1),
            )
        )
    ReviewLog.objects.bulk_create(logs, batch_size=5000)
    out.write(f"  built {people:,} sellers, {len(logs):,} answers, {2 * people:,} stage moves")
    return program, persons


def bench(out, people=100_000, **_):
    from rolloutplanner.management.commands.bench import Figure

    people = min(people, 20_000)  # a large program; the 100,000-person org is the other apps' figure
    program, persons = _build(out, people)
    started = time.perf_counter()
    created = points_refresh(program_ids=[program.pk])
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = points_refresh(program_ids=[program.pk])
    second = time.perf_counter() - started
    out.write(f"  ledger: {created:,} lines, then {again} on the second run")
    started = time.perf_counter()
    leaderboard(program, viewer=persons[len(persons) // 2])
    board = time.perf_counter() - started
    competition = Competition.objects.create(
        program=program, name="Bench", starts_on=date.today() - timedelta(days=30), ends_on=date.today()
    )
    started = time.perf_counter()
    competition_standings(competition)
    standings = time.perf_counter() - started
    return [
        Figure(f"points refresh, {people:,} sellers, first run", first, "s", 120),
        Figure("points refresh, nothing new (idempotent)", second, "s", 120),
        Figure(f"seller leaderboard read, {people:,} in the program", board * 1000, "ms", 1000),
        Figure(f"team competition standings, {people:,} people in 100 teams", standings * 1000, "ms", 1000),
    ]
