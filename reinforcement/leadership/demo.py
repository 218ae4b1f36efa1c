"""Demo follow-through for the launched demo program (seed_demo; safe to run again).

Adds, once: the buy-in plan's expectations, a change coalition with support over time, a
capacity check, two weekly review meetings with follow-ups, two team sessions held by the demo
manager, a recognition for the demo seller; then runs the fade check.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cohorts.models import Person
from programs.models import Expectation, Program, Stakeholder, SupportCheck
from reinforcement.measurement.demo import PROGRAM

from .models import FollowUp, Recognition, ReviewMeeting, TeamSession
from .rules import monday
from .services.fade import fade_alarms_for_program

EXPECTATIONS = [
    (
        "leadership",
        "Meet every week on the rollout and decide what the brief asks",
        "weekly_reviews",
        90,
        "The VP thanks the team in the monthly all-hands",
    ),
    (
        "managers",
        "Run a team reinforcement session from the kit every two weeks",
        "team_sessions",
        80,
        "Named in the regional call; first pick of the next leadership course",
    ),
    (
        "managers",
        "Coach each trained rep every two weeks",
        "coaching_cadence",
        75,
        "Counts towards the manager scorecard",
    ),
    (
        "sellers",
        "Answer the weekly review questions",
        "questions_answered",
        70,
        "Shout-out in the team channel",
    ),
    (
        "sellers",
        "Use the skills with real buyers (Apply or Master)",
        "stage_reached",
        75,
        "Recognition note from the VP; case told at the kickoff",
    ),
]
COALITION = [
    (
        "Morgan Hale",
        "VP of Sales",
        Stakeholder.Kind.SPONSOR,
        [5, 5],
        "Open the next town hall with the pilot results",
    ),
    (
        "Priya Nair",
        "Director, EMEA enterprise",
        Stakeholder.Kind.CHAMPION,
        [3, 4, 5],
        "Share her team's two best calls",
    ),
    (
        "Tom Becker",
        "RVP West",
        Stakeholder.Kind.SKEPTIC,
        [2, 2, 3],
        "Walk him through the holdout comparison",
    ),
    (
        "Lena Ortiz",
        "Manager, Mid-market",
        Stakeholder.Kind.TAILORING_MANAGER,
        [4, 4],
        "Review the role-play cases",
    ),
]


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@transaction.atomic
def seed_leadership():
    program = Program.objects.filter(name=PROGRAM).first()
    lead = get_user_model().objects.filter(username="lead").first()
    if program is None or lead is None or program.expectations.exists():
        return program  # no demo program, or already seeded
    today = timezone.localdate()
    this_week = monday(today)
    program.capacity_recent_changes, program.capacity_competing_initiatives = 4, 3
    program.capacity_manager_bandwidth = 2
    program.save(
        update_fields=[
            "capacity_recent_changes",
            "capacity_competing_initiatives",
            "capacity_manager_bandwidth",
        ]
    )
    Expectation.objects.bulk_create(
        Expectation(program=program, audience=a, expected=e, indicator=i, target_percent=t, recognition=r)
        for a, e, i, t, r in EXPECTATIONS
    )
    for name, role, kind, levels, step in COALITION:
        person = Stakeholder.objects.create(
            program=program,
            name=name,
            role=role,
            kind=kind,
            next_step=step,
            next_step_due=today + timedelta(days=10),
        )
        SupportCheck.objects.bulk_create(
            SupportCheck(
                stakeholder=person, level=level, noted_on=today - timedelta(weeks=4 * (len(levels) - i - 1))
            )
            for i, level in enumerate(levels)
        )
    for weeks_ago, decisions, follow_up, owner in (
        (
            2,
            "Protect Friday mornings for coaching in the pilot teams.",
            "Share the kit for Qualifying",
            "Lead",
        ),
        (1, "Ask the West managers for a team session before month end.", "Call the West RVP", "VP of Sales"),
    ):
        meeting = ReviewMeeting.objects.create(
            program=program,
            held_on=this_week - timedelta(weeks=weeks_ago) + timedelta(days=1),
            attendees="VP of Sales\nRegional directors\nEnablement lead",
            decisions=decisions,
            recorded_by=lead,
        )
        FollowUp.objects.create(
            meeting=meeting, action=follow_up, owner=owner, due_on=meeting.held_on + timedelta(days=7)
        )
    manager = Person.objects.filter(user__username="manager").first()
    skill = program.skills.order_by("id").first()
    if manager is not None and skill is not None:
        team = list(manager.direct_reports.filter(is_active=True, memberships__program=program))
        for weeks_ago in (4, 2):
            starts = _at(this_week - timedelta(weeks=weeks_ago) + timedelta(days=2), 9)
            session = TeamSession.objects.create(
                program=program,
                program_skill=skill,
                manager=manager,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=30),
                time_zone=manager.time_zone,
                where="Team room",
                note="Two real examples from last week's calls; one role play each.",
                recorded_at=starts + timedelta(hours=1),
                invited_at=starts - timedelta(days=3),
            )
            session.invitees.set(team)
            session.attendees.set(team[:-1] if len(team) > 1 else team)
    seller = Person.objects.filter(user__username="seller").first()
    if seller is not None:
        Recognition.objects.create(
            giver=lead,
            person=seller,
            program=program,
            created_at=timezone.now() - timedelta(days=2),
            message="Your discovery call with the logistics prospect is now the example we use in the kit.",
        )
    fade_alarms_for_program(program)
    return program
