"""Bench figures of the reinforcement app (run by `manage.py bench`, in a throw-away database).

- Dispatch throughput: 100,000 due nudges from due to sent (locmem e-mail backend) with two
  `celery worker` processes on PostgreSQL + Redis; the dispatcher claims and enqueues from
  this process while the workers drain the queue. Needs DATABASE_URL (PostgreSQL) and
  REDIS_URL; skipped with a note otherwise.
- Stage recompute: 100,000 sellers × 5 skills (500,000 stage rows) with assessment, recall and
  coaching evidence, recomputed from scratch.
- Spacing fit: one program's nightly fit from 20,000 review logs (histories read, weights fitted,
  every answered card rescheduled).
- Card rescheduling: the background job that replays 20,000 answered cards (three answers each)
  under a changed policy, in its batches of 2,000.
"""

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from cohorts.models import Person
from programs.models import Program, ProgramSkill, Skill

from .models import (
    AssessmentResult,
    Card,
    CoachingRating,
    CoachingSession,
    Nudge,
    Question,
    ReinforcementRules,
    SkillStage,
)
from .services.stages import stages_recompute
from .tasks import dispatch

NUDGES = 100_000
SKILLS = 5


def bench(out, people=100_000, **_):
    from rolloutplanner.management.commands.bench import Figure

    figures = []
    rate = dispatch_throughput(out, NUDGES)
    if rate is not None:
        figures.append(
            Figure(f"nudge dispatch, {NUDGES:,} due, 2 workers", rate, "/s", 1000, lower_is_better=False)
        )
    seconds = stage_recompute_time(out, people)
    figures.append(Figure(f"stage recompute, {people:,} sellers × {SKILLS} skills", seconds, "s", 180))
    seconds = planning_time(out)
    figures.append(Figure("nudge planning, slowest one-minute pass", seconds, "s", 30))
    seconds = fitting_time(out)
    figures.append(Figure(f"spacing fit of one program, {FIT_LOGS:,} review logs", seconds, "s", 30))
    seconds = rescheduling_time(out)
    figures.append(Figure(f"rescheduling job, {RESCHEDULED_CARDS:,} answered cards", seconds, "s", 30))
    return figures


def _bulk(model, rows, batch=5000):
    return model.objects.bulk_create(rows, batch_size=batch)


def _program(tag):
    owner = get_user_model().objects.create(username=f"bench-{tag}-{uuid.uuid4().hex[:6]}")
    program = Program.objects.create(name=f"Bench {tag}", owner=owner)
    skills = [Skill.objects.create(name=f"Bench {tag} skill {i}") for i in range(SKILLS)]
    program_skills = [ProgramSkill.objects.create(program=program, skill=s) for s in skills]
    return program, skills, program_skills


def _people(count, tag):
    return _bulk(
        Person,
        [
            Person(first_name="Bench", last_name=str(i), email=f"bench-{tag}-{i}@example.com")
            for i in range(count)
        ],
    )


# ---------------------------------------------------------------- dispatch throughput
def _database_url():
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def dispatch_throughput(out, total):
    redis_url = os.environ.get("REDIS_URL", "")
    if connection.vendor != "postgresql" or not redis_url:
        out.write("  nudge dispatch: skipped (needs DATABASE_URL on PostgreSQL and REDIS_URL)")
        return None
    per_person = 20
    program, skills, _ = _program("dispatch")
    questions = _bulk(
        Question,
        [
            Question(
                skill=skills[0], prompt=f"Q{i}?", choices=["A", "B"], correct_index=0, explanation="Why."
            )
            for i in range(per_person)
        ],
    )
    people = _people(total // per_person, "dispatch")
    now = timezone.now()
    cards = _bulk(
        Card,
        [Card(person=p, question=q, program=program, due_at=now, step=0) for p in people for q in questions],
    )
    _bulk(
        Nudge,
        [
            Nudge(person_id=c.person_id, card=c, due_at=now, created_at=now, idempotency_key=f"bench:{c.pk}")
            for c in cards
        ],
    )
    del cards
    out.write(f"  {total:,} due nudges created; starting two workers")
    queue = f"rp-bench-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": _database_url(), "EMAIL_BACKEND": "locmem"}
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "rolloutplanner",
                "worker",
                "-Q",
                queue,
                "-c",
                "1",
                "-n",
                f"bench{n}-{uuid.uuid4().hex[:6]}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "WARNING",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(2)
    ]
    try:
        time.sleep(6)  # let both workers boot before the clock starts

        def send(ids, token):
            from .tasks import send_nudges

            send_nudges.apply_async((ids, token), queue=queue)

        started = time.perf_counter()
        dispatch(plan=False, batch_size=2000, chunk_size=200, max_seconds=3600, lease_seconds=3600, send=send)
        enqueued = time.perf_counter() - started
        sent = 0
        while sent < total and time.perf_counter() - started < 1800:
            if any(w.poll() is not None for w in workers):
                raise RuntimeError(
                    "a bench worker exited early; run `celery -A rolloutplanner worker` to see why"
                )
            time.sleep(0.5)
            sent = Nudge.objects.filter(status=Nudge.Status.SENT).count()
        elapsed = time.perf_counter() - started
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=60)
    out.write(f"  all claimed and enqueued in {enqueued:.1f} s; {sent:,} sent in {elapsed:.1f} s")
    return sent / elapsed


# ---------------------------------------------------------------- stage recompute
def stage_recompute_time(out, people):
    program, skills, program_skills = _program("stages")
    persons = _people(people, "stages")
    rows = [SkillStage(person=p, program_skill=ps) for p in persons for ps in program_skills]
    _bulk(SkillStage, rows, batch=10000)
    del rows
    # Evidence: post-assessments for four in five pairs, recall on a few cards, ratings for some.
    taken = date.today() - timedelta(days=30)
    _bulk(
        AssessmentResult,
        [
            AssessmentResult(
                person=p, program_skill=ps, kind="post", score=60 + (p.pk + ps.pk) % 40, taken_on=taken
            )
            for p in persons
            for ps in program_skills
            if (p.pk + ps.pk) % 5
        ],
        batch=10000,
    )
    question = Question.objects.create(
        skill=skills[0], prompt="Q?", choices=["A", "B"], correct_index=0, explanation="."
    )
    now = timezone.now()
    _bulk(
        Card,
        [
            Card(
                person=p,
                question=question,
                program=program,
                due_at=now,
                step=None,
                state=2,
                stability=float(3 + p.pk % 30),
                difficulty=5.0,
                last_review_at=now,
                reviews=1,
                last_rating=3,
            )
            for p in persons
        ],
        batch=10000,
    )
    manager = persons[0]
    session = CoachingSession.objects.create(
        manager=manager, program=program, kind="role_play", occurred_on=taken
    )
    _bulk(
        CoachingRating,
        [CoachingRating(session=session, seller=p, skill=skills[0], rating=4) for p in persons[::4]],
    )
    ReinforcementRules.objects.create(program=program, require_attendance=False)
    out.write(f"  {people * SKILLS:,} stage rows with evidence; recomputing")
    started = time.perf_counter()
    moves = stages_recompute(program_ids=[program.pk])
    seconds = time.perf_counter() - started
    out.write(f"  {moves:,} stage moves written in {seconds:.1f} s")
    return seconds


def planning_time(out):
    """Planner passes (the dispatcher runs one a minute) until every seller with a due card has one."""
    from .services.nudges import nudges_plan

    day = timezone.now() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    at_ten = day.replace(hour=10, minute=0, second=0, microsecond=0)  # UTC sellers, working hours
    due = Card.objects.filter(due_at__lte=at_ten, retired_at__isnull=True).count()
    passes, total, planned = [], 0, None
    while planned != 0:
        started = time.perf_counter()
        planned = nudges_plan(now=at_ten)
        passes.append(time.perf_counter() - started)
        total += planned
    out.write(
        f"  {due:,} due cards; {total:,} nudges planned in {len(passes)} passes,"
        f" {sum(passes):.1f} s in all, slowest pass {max(passes):.1f} s"
    )
    return max(passes)


# ---------------------------------------------------------------- per-program fitting
FIT_LOGS = 20_000


def fitting_time(out, logs=FIT_LOGS):
    """Seconds for the nightly fit of one program with `logs` review logs: read the histories,
    fit the weights (fsrs-rs), store the policy and reschedule every answered card."""
    import random

    from .models import ReviewLog
    from .services.fitting import program_spacing_fit
    from .spacing import Spacing

    program, cards = _cards_of_one_program("fit", people=logs // 20 + 1, since=400)
    program.status = Program.Status.LAUNCHED
    program.save(update_fields=["status"])
    rng, policy, rows = random.Random(3), Spacing(fuzz=False), []
    start = cards[0].due_at
    for card in cards:
        memory, at, n = policy.start(start), start + timedelta(days=1), 0
        while len(rows) < logs and at < start + timedelta(days=360):
            recall = policy.recall(memory, at)
            correct = rng.random() < (0.75 if recall is None else min(0.99, recall + 0.05))
            n += 1
            rows.append(_review_log(card, n, correct, at, predicted_recall=recall))
            memory = policy.review(memory, correct=correct, at=at)
            at = policy.next_due(memory) or at + timedelta(days=365)
    _bulk(ReviewLog, rows)
    out.write(f"  {len(rows):,} review logs on {len(cards):,} cards; fitting")
    started = time.perf_counter()
    with _tasks_in_process():  # the rescheduling job runs here, inside the figure
        row = program_spacing_fit(program=program)
    seconds = time.perf_counter() - started
    out.write(f"  fitted: {bool(row and row.fitted_at)}, in {seconds:.1f} s (read, fit, reschedule)")
    return seconds


def _cards_of_one_program(tag, *, people, since):
    """A program with one question per skill and a card for each of `people` new sellers x
    question, all due `since` days ago: the cards the fitting and rescheduling figures answer."""
    program, skills, _ = _program(tag)
    questions = [
        Question.objects.create(skill=s, prompt="?", choices=["a", "b"], correct_index=0, explanation=".")
        for s in skills
    ]
    start = timezone.now() - timedelta(days=since)
    cards = _bulk(
        Card,
        [
            Card(person=p, question=q, program=program, due_at=start)
            for p in _people(people, tag)
            for q in questions
        ],
    )
    return program, cards


def _review_log(card, sequence, correct, at, predicted_recall=None):
    from .models import ReviewLog

    return ReviewLog(
        card=card,
        chosen_index=0 if correct else 1,
        is_correct=correct,
        rating=3 if correct else 1,
        predicted_recall=predicted_recall,
        stability_after=1.0,
        due_after=at,
        reviewed_at=at,
        sequence=sequence,
    )


@contextmanager
def _tasks_in_process():
    """Run Celery tasks in this process (never hand a throw-away database's job to a worker)."""
    from rolloutplanner.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


# ---------------------------------------------------------------- rescheduling job
RESCHEDULED_CARDS = 20_000


def rescheduling_time(out, cards=RESCHEDULED_CARDS, answers=3):
    """Seconds for the job that reschedules `cards` answered cards (each with `answers` review
    logs) after their program's policy changed."""
    from .models import ProgramSpacing, RescheduleJob, ReviewLog
    from .services.rescheduling import reschedule_job_run
    from .spacing import Spacing

    program, made = _cards_of_one_program("reschedule", people=cards // SKILLS, since=200)
    start, policy, rows = made[0].due_at, Spacing(fuzz=False), []
    for card in made:
        memory, at = policy.start(start), start + timedelta(days=1)
        for n in range(1, answers + 1):
            correct = (card.pk + n) % 4 != 0
            rows.append(_review_log(card, n, correct, at))
            memory = policy.review(memory, correct=correct, at=at)
            at = policy.next_due(memory) or at + timedelta(days=30)
    _bulk(ReviewLog, rows)
    changed = ProgramSpacing.objects.create(
        program=program, params={"desired_retention": 0.84}, policy_version=1
    )
    job = RescheduleJob.objects.create(
        program=program, policy_version=changed.policy_version, trigger=RescheduleJob.Trigger.RULES
    )
    out.write(f"  {len(made):,} cards with {len(rows):,} review logs; rescheduling")
    started = time.perf_counter()
    job = reschedule_job_run(job_id=job.pk)
    seconds = time.perf_counter() - started
    out.write(f"  {job.processed:,} of {job.total:,} cards rescheduled ({job.status}) in {seconds:.1f} s")
    return seconds
