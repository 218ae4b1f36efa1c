"""A running demo program with history, so the dashboards have something honest to show.

"Discovery conversations 2026" launched 14 weeks before the day the demo is loaded: a pilot
wave (Enterprise East and DACH) trained at launch, a main wave trained in weekly cohorts from
week 8 (the last ones still ahead), and a holdout (Enterprise West and Enterprise UK) left
untrained. The evidence is real rows (attendance, assessments, retrieval reviews, coaching
ratings, observed action plans), the stages come from the reinforcement rules applied to it,
and their history is dated to when the evidence happened. Sellers have 26 weeks of win rate
and deal size; trained sellers improve by a few points after training, everyone drifts a
little. Deterministic (fixed seed) and idempotent: nothing is added when the program exists.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cohorts.models import Cohort, CohortMember, Enrollment, Person, Session, Team, Wave
from programs.models import (
    BuyInPlan,
    ManagerEngagement,
    Metric,
    Program,
    ProgramMetric,
    ProgramSkill,
    ReinforcementPlan,
    Skill,
    SkillGap,
    Touchpoint,
)
from reinforcement.models import (
    ActionPlan,
    AssessmentResult,
    Card,
    CoachingRating,
    CoachingSession,
    Nudge,
    Question,
    ReviewLog,
    SkillStage,
    Stage,
    StageEvent,
)
from reinforcement.services.stages import stages_ensure, stages_recompute

from .figures import monday
from .models import MetricActual
from .services import snapshot_refresh

PROGRAM = "Discovery conversations 2026"
PILOT_TEAMS = ["Enterprise East", "DACH"]
HOLDOUT_TEAMS = ["Enterprise West", "Enterprise UK"]
MAIN_TEAMS = ["Mid-Market NA", "Mid-Market EMEA", "Enterprise APAC", "ANZ", "Mid-Market APAC"]
SKILLS = {
    "Qualifying": "Reps chase every lead; forecast accuracy suffers.",
    "Solution selling": "Discovery stops at features, so the value case is thin.",
    "Negotiating": "Discounts are given before value is agreed.",
}
WEEKS_SINCE_LAUNCH = 14
METRIC_WEEKS = 26
# Days between coaching conversations per seller, by team (how much each manager coaches).
COACHING_EVERY = {
    "Enterprise East": 12,
    "DACH": 20,
    "Mid-Market NA": 16,
    "Mid-Market EMEA": 35,
    "Enterprise APAC": 14,
    "ANZ": 60,
    "Mid-Market APAC": 24,
}
QUESTIONS = {
    "Qualifying": [
        (
            "A prospect loves the demo but has no budget this year. What do you do first?",
            [
                "Find out what would make it a priority and who owns that budget",
                "Offer a discount",
                "Put it in the forecast for next quarter",
            ],
            "Budget follows priority: learn who decides and why now.",
        ),
        (
            "Which sign best shows an opportunity is worth more time?",
            [
                "A named buyer agrees a next step with a date",
                "The contact replies quickly",
                "They asked for the price list",
            ],
            "Commitment to a dated next step is evidence; interest is not.",
        ),
    ],
    "Solution selling": [
        (
            "What should a discovery call end with?",
            ["The cost of the buyer's problem, in their words", "A feature walkthrough", "A proposal date"],
            "The value case is built on the buyer's own numbers.",
        ),
        (
            "The buyer asks for a feature you lack. What is the best first move?",
            [
                "Ask what outcome the feature would give them",
                "Promise it on the roadmap",
                "Move on to pricing",
            ],
            "Outcomes can often be met another way; features rarely matter on their own.",
        ),
    ],
    "Negotiating": [
        (
            "The buyer asks for 15% off to sign this week. What do you do?",
            [
                "Ask what they would trade for it, such as term or scope",
                "Agree to close the deal",
                "Refuse any discussion",
            ],
            "Trade value for value: never give without getting.",
        ),
        (
            "When is the best time to talk about price?",
            ["After the value is agreed", "In the first meeting", "Only when the buyer raises it"],
            "Price lands better once the buyer has agreed what the change is worth.",
        ),
    ],
}
STAGE_REASONS = {
    Stage.LEARN: "Passed the post-assessment and attended training.",
    Stage.REMEMBER: "Recall is holding on the spaced questions.",
    Stage.PRACTICE: "Practised in coaching with ratings of 3/5 or better.",
    Stage.APPLY: "Action plan used with a customer and observed by the manager.",
    Stage.MASTER: "Sustained recall, repeated high ratings and the manager's sign-off.",
}
STAGE_DAY = {Stage.LEARN: 1, Stage.REMEMBER: 17, Stage.PRACTICE: 30, Stage.APPLY: 50, Stage.MASTER: 85}


def _at(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed_measurement():
    """Create the demo program with its history (once), then refresh its dashboard figures."""
    program = Program.objects.filter(name=PROGRAM).first()
    if program is None:
        program = _seed_program()
    if program is not None:
        snapshot_refresh(program=program)
    return program


@transaction.atomic
def _seed_program():
    lead = get_user_model().objects.filter(username="lead").first()
    teams = {t.name: t for t in Team.objects.filter(name__in=PILOT_TEAMS + HOLDOUT_TEAMS + MAIN_TEAMS)}
    if lead is None or len(teams) < len(PILOT_TEAMS + HOLDOUT_TEAMS + MAIN_TEAMS):
        return None  # the demo org is not there
    rng = random.Random(20260525)
    today = timezone.localdate()
    launch = monday(today) - timedelta(weeks=WEEKS_SINCE_LAUNCH)
    program = _program(lead, launch)
    skills = {ps.skill.name: ps for ps in program.skills.select_related("skill")}
    trained_on = _rollout(program, teams, launch, today, rng)
    _evidence(program, skills, teams, trained_on, today, rng)
    sellers = CohortMember.objects.filter(program=program, person__level=Person.Level.INDIVIDUAL)
    stages_ensure(program=program, person_ids=list(sellers.values_list("person_id", flat=True)))
    stages_recompute(program_ids=[program.pk], reason_prefix="Demo")
    _backdate_history(program, trained_on, today, rng)
    _actuals(program, teams, trained_on, today, rng)
    return program


def _program(lead, launch):
    program = Program.objects.create(
        name=PROGRAM,
        owner=lead,
        status=Program.Status.LAUNCHED,
        start_date=launch,
        end_date=launch + timedelta(weeks=20),
        audience_description="Field sellers of the enterprise and mid-market teams in all three regions.",
        business_outcomes="More qualified deals won, at a better price.",
        learning_outcomes="Reps qualify hard, build the value case early and trade instead of discounting.",
        participation=Program.Participation.MANDATORY,
        rollout=Program.Rollout.PILOT,
        pilot_scope={"teams": PILOT_TEAMS},
        holdout_scope={"teams": HOLDOUT_TEAMS},
        participant_mix=Program.ParticipantMix.INTACT_TEAMS,
        managers_with_reps=True,
    )
    win, size = (
        ProgramMetric.objects.create(
            program=program,
            metric=Metric.objects.get(name=name),
            baseline=Decimal(baseline),
            target=Decimal(target),
            unit=unit,
            direction="up",
            horizon_months=months,
            data_source=source,
        )
        for name, baseline, target, unit, months, source in (
            ("Win rate", "22", "27", "%", 9, "CRM: qualified opportunities closed"),
            ("Deal size", "85", "95", "USD k", 12, "CRM: closed-won"),
        )
    )
    for name, why in SKILLS.items():
        ps = ProgramSkill.objects.create(
            program=program, skill=Skill.objects.get(name=name), why_it_matters=why
        )
        ps.moves_metrics.set([win] if name == "Qualifying" else [win, size])
        SkillGap.objects.create(
            program=program,
            program_skill=ps,
            segment="Field sellers",
            strengths="Strong relationships",
            limiters=why,
            baseline_proficiency=2,
        )
    ReinforcementPlan.objects.create(
        program=program,
        methods=["manager_coaching", "spaced_retrieval", "role_play"],
        coaching_cadence="fortnightly",
        coaching_sessions_per_rep=1,
        owner="Regional sales directors",
        leading_indicators="Coaching held per rep, questions answered, stages reached.",
        lagging_indicators="Win rate and deal size, pilot against holdout.",
    )
    BuyInPlan.objects.create(
        program=program,
        why_message="Buyers arrive informed and compare us on price unless we show the value first.",
        status_quo_risk="Discounting is eroding margin and win rates are flat.",
        leadership_actions="Directors join one coaching call per manager each month.",
        expectations="Managers coach each rep every two weeks; reps log one action plan per skill.",
    )
    for team_name in PILOT_TEAMS:
        manager = Team.objects.get(name=team_name).manager
        ManagerEngagement.objects.create(
            program=program,
            manager_name=manager.full_name if manager else team_name,
            team=team_name,
            helps_tailor=True,
            spreads_message=True,
            trained_before_reps=True,
            notes="Trains with the team and runs the follow-up role plays.",
        )
    for weeks_before, channel, forum in (
        (6, "town_hall", "All sales"),
        (4, "email", "All sales"),
        (2, "team_meeting", "Pilot teams"),
        (-3, "video", "Main wave"),
    ):
        Touchpoint.objects.create(
            program=program,
            date=launch - timedelta(weeks=weeks_before),
            channel=channel,
            forum=forum,
            messenger="VP of Sales",
            message="Why discovery decides our win rate",
        )
    return program


def _rollout(program, teams, launch, today, rng):
    """Waves, cohorts, sessions and attendance. Returns {person_id: training date} of attendees."""
    lead = program.owner
    plan = [
        (1, "Pilot", Wave.Kind.PILOT, PILOT_TEAMS, launch),
        (2, "Main rollout", Wave.Kind.MAIN, MAIN_TEAMS, launch + timedelta(weeks=8)),
        (3, "Holdout", Wave.Kind.HOLDOUT, HOLDOUT_TEAMS, None),
    ]
    trained_on = {}
    for number, name, kind, team_names, first_day in plan:
        wave = Wave.objects.create(program=program, number=number, name=name, kind=kind)
        for sequence, team_name in enumerate(team_names):
            team = teams[team_name]
            cohort = Cohort.objects.create(
                program=program, wave=wave, name=f"{name}: {team_name}", sequence=sequence
            )
            people = list(Person.objects.filter(team=team, is_active=True).order_by("pk"))
            CohortMember.objects.bulk_create(
                CohortMember(program=program, cohort=cohort, person=p, status=CohortMember.Status.CONFIRMED)
                for p in people
            )
            if first_day is None:
                continue
            day = first_day + timedelta(weeks=2 * sequence) if kind == Wave.Kind.MAIN else first_day
            start = _at(day, 9)
            session = Session.objects.create(
                cohort=cohort,
                title=f"Discovery conversations: {team_name}",
                starts_at=start,
                ends_at=start + timedelta(hours=7),
                trainer=lead,
                meeting_url="https://meet.example.com/discovery",
            )
            held = day < today
            enrollments = []
            for person in people:
                attended = held and rng.random() < 0.93
                attendance = (
                    Enrollment.Attendance.ATTENDED
                    if attended
                    else Enrollment.Attendance.NO_SHOW
                    if held
                    else Enrollment.Attendance.UNMARKED
                )
                enrollments.append(Enrollment(session=session, person=person, attendance=attendance))
                if attended and person.level == Person.Level.INDIVIDUAL:
                    trained_on[person.pk] = day
            Enrollment.objects.bulk_create(enrollments)
    return trained_on


def _questions(skills):
    by_skill = {}
    for name, items in QUESTIONS.items():
        skill = skills[name].skill
        by_skill[name] = [
            Question.objects.get_or_create(
                skill=skill,
                prompt=prompt,
                defaults={"choices": choices, "correct_index": 0, "explanation": why},
            )[0]
            for prompt, choices, why in items
        ]
    return by_skill


def _evidence(program, skills, teams, trained_on, today, rng):
    """Assessments, retrieval reviews, coaching and action plans for every trained seller."""
    questions = _questions(skills)
    people = Person.objects.in_bulk(list(trained_on))
    managers = {t.pk: t.manager for t in teams.values()}
    team_names = {t.pk: name for name, t in teams.items()}
    assessments, ratings_plan, plans = [], [], []
    batch = {"cards": [], "nudges": [], "logs": []}
    now = timezone.now()
    for person_id, day in sorted(trained_on.items()):
        person = people[person_id]
        days = (today - day).days
        engagement = rng.random()
        for name, ps in skills.items():
            pre = rng.randint(40, 65)
            post = rng.randint(72, 95) if rng.random() < 0.92 else rng.randint(58, 69)
            assessments += [
                AssessmentResult(
                    person=person, program_skill=ps, kind="pre", score=pre, taken_on=day - timedelta(days=7)
                ),
                AssessmentResult(
                    person=person, program_skill=ps, kind="post", score=post, taken_on=day + timedelta(days=1)
                ),
            ]
            _reviews(batch, program, person, questions[name], day, today, engagement, rng, now)
            if days >= 42 and engagement > 0.3:
                observed = min(day + timedelta(days=rng.randint(40, 55)), today - timedelta(days=1))
                plans.append(
                    ActionPlan(
                        person=person,
                        program=program,
                        skill=ps.skill,
                        customer=f"Account {rng.randint(100, 999)}",
                        commitment=f"Use {name.lower()} on the next meeting with the buying group.",
                        due_on=observed,
                        status=ActionPlan.Status.OBSERVED,
                        observed_by=managers.get(person.team_id),
                        observed_at=_at(observed, 16),
                        observation="Seen on a call-along; the buyer engaged.",
                    )
                )
            elif days >= 21 and engagement > 0.5:
                plans.append(
                    ActionPlan(
                        person=person,
                        program=program,
                        skill=ps.skill,
                        customer=f"Account {rng.randint(100, 999)}",
                        commitment=f"Try {name.lower()} with a new opportunity.",
                        due_on=today - timedelta(days=rng.randint(-10, 12)),
                    )
                )
        every = COACHING_EVERY.get(team_names.get(person.team_id), 30)
        master = days >= 80 and engagement > 0.85
        occurred = day + timedelta(days=rng.randint(5, every))
        count = 0
        while occurred < today:
            count += 1
            rated = rng.sample(list(skills.values()), k=2)
            ratings_plan.append(
                (
                    person,
                    occurred,
                    [
                        (
                            ps.skill,
                            5 if master and count >= 2 else rng.choice([2, 3, 3, 4, 4]),
                            master and count >= 4,
                        )
                        for ps in rated
                    ],
                )
            )
            occurred += timedelta(days=max(5, int(rng.gauss(every, every / 4))))
    AssessmentResult.objects.bulk_create(assessments, ignore_conflicts=True)
    ActionPlan.objects.bulk_create(plans)
    Card.objects.bulk_create(batch["cards"], batch_size=2000)
    Nudge.objects.bulk_create(batch["nudges"], batch_size=2000)
    ReviewLog.objects.bulk_create(batch["logs"], batch_size=2000)
    planned = [(p, occurred, ratings) for p, occurred, ratings in ratings_plan if managers.get(p.team_id)]
    sessions = CoachingSession.objects.bulk_create(
        CoachingSession(
            manager=managers[person.team_id],
            program=program,
            occurred_on=occurred,
            kind=CoachingSession.Kind.ROLE_PLAY if rng.random() < 0.4 else CoachingSession.Kind.ONE_ON_ONE,
            notes="Worked through a live opportunity.",
        )
        for person, occurred, _ in planned
    )
    CoachingSession.sellers.through.objects.bulk_create(
        CoachingSession.sellers.through(coachingsession_id=session.pk, person_id=person.pk)
        for session, (person, _, _) in zip(sessions, planned, strict=True)
    )
    CoachingRating.objects.bulk_create(
        CoachingRating(session=session, seller=person, skill=skill, rating=rating, signs_off_mastery=signed)
        for session, (person, _, ratings) in zip(sessions, planned, strict=True)
        for skill, rating, signed in ratings
    )


def _reviews(batch, program, person, questions, day, today, engagement, rng, now):
    """Spaced reviews of each question since training; unanswered nudges expire (added to `batch`)."""
    for question in questions:
        stability, review_day, reviews = 1.0, day + timedelta(days=2), 0
        card = Card(person=person, question=question, program=program, due_at=now, step=0)
        batch["cards"].append(card)
        interval, last = 2, None
        while review_day < today:
            sent = _at(review_day, 9)
            nudge = Nudge(
                kind=Nudge.Kind.QUESTION,
                person=person,
                card=card,
                due_at=sent,
                status=Nudge.Status.EXPIRED,
                idempotency_key=f"demo-{person.pk}-{question.pk}-{review_day.isoformat()}",
                created_at=sent,
                sent_at=sent,
            )
            batch["nudges"].append(nudge)
            interval = 3
            if rng.random() < 0.45 + 0.55 * engagement:
                reviews += 1
                recall = max(0.55, min(0.98, rng.gauss(0.86, 0.06)))
                correct = rng.random() < recall
                stability = min(365.0, stability * (2.6 if correct else 0.5) + (1 if correct else 0))
                nudge.status, nudge.answered_at = Nudge.Status.ANSWERED, sent + timedelta(hours=3)
                last = ReviewLog(
                    card=card,
                    nudge=nudge,
                    chosen_index=0 if correct else 1,
                    is_correct=correct,
                    rating=3 if correct else 1,
                    predicted_recall=recall if reviews > 1 else None,
                    stability_after=stability,
                    due_after=sent + timedelta(days=stability),
                    reviewed_at=sent + timedelta(hours=3),
                )
                batch["logs"].append(last)
                interval = max(2, int(stability))
            review_day += timedelta(days=interval)
        if last is not None:
            card.state, card.step = Card.State.REVIEW, None
            card.stability, card.difficulty = max(stability, 0.5), 5.0
            card.last_review_at, card.due_at, card.reviews = last.reviewed_at, last.due_after, reviews


def _backdate_history(program, trained_on, today, rng):
    """Replace the events the recompute wrote 'now' by a dated climb to each seller's stage."""
    written = StageEvent.objects.filter(skill_stage__program_skill__program=program)
    evidence = dict(
        written.order_by("skill_stage_id", "created_at", "id").values_list("skill_stage_id", "evidence")
    )
    written.delete()
    events = []
    ranks = list(Stage.values)
    for row in SkillStage.objects.filter(program_skill__program=program).exclude(stage=Stage.NOT_STARTED):
        day = trained_on.get(row.person_id, today - timedelta(days=1))
        previous = Stage.NOT_STARTED
        latest = _at(day, 12)
        for stage in ranks[1 : ranks.index(row.stage) + 1]:
            when = _at(day + timedelta(days=STAGE_DAY[stage] + rng.randint(0, 21)), 12)
            cap = timezone.now() - timedelta(hours=5 - ranks.index(stage))
            when = max(latest + timedelta(minutes=1), min(when, cap))
            events.append(
                StageEvent(
                    skill_stage=row,
                    from_stage=previous,
                    to_stage=stage,
                    reason=STAGE_REASONS[stage],
                    evidence=evidence.get(row.pk, {}) if stage == row.stage else {},
                    created_at=when,
                )
            )
            previous, latest = stage, when
    StageEvent.objects.bulk_create(events, batch_size=2000)


def _actuals(program, teams, trained_on, today, rng):
    """26 weeks of win rate and deal size per in-scope seller, with an effect after training."""
    now = timezone.now()
    win = Metric.objects.get(name="Win rate")
    size = Metric.objects.get(name="Deal size")
    first = monday(today) - timedelta(weeks=METRIC_WEEKS - 1)
    launch = program.start_date
    sellers = Person.objects.filter(
        memberships__program=program, level=Person.Level.INDIVIDUAL, is_active=True
    ).order_by("pk")
    # Actuals are not tied to a program: clear earlier demo values of these sellers first.
    MetricActual.objects.filter(source=MetricActual.Source.DEMO, person__in=sellers).delete()
    rows = []
    for person in sellers:
        base_win, base_size = rng.gauss(22, 4), rng.gauss(85, 14)
        trained = trained_on.get(person.pk)
        for week in range(METRIC_WEEKS):
            start = first + timedelta(weeks=week)
            ramp = min(1.0, max(0.0, (start - trained).days / 56)) if trained else 0.0
            drift = 0.5 if start >= launch else 0.0  # something every team feels, trained or not
            values = (
                (win, base_win + drift + 4.0 * ramp + rng.gauss(0, 4)),
                (size, base_size + drift * 2 + 9.0 * ramp + rng.gauss(0, 12)),
            )
            for metric, value in values:
                rows.append(
                    MetricActual(
                        metric=metric,
                        person=person,
                        period_start=start,
                        period_end=start + timedelta(days=6),
                        value=Decimal(f"{max(0.0, value):.2f}"),
                        source=MetricActual.Source.DEMO,
                        updated_at=now,
                    )
                )
    MetricActual.objects.bulk_create(rows, batch_size=5000)
