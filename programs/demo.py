"""Demo programs: one complete plan and one half-finished one. Idempotent and deterministic.

Rows are upserted by their natural keys (never deleted and recreated), so other apps' demo
data that points at these programs and skills survives a second run.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction

from .models import (
    BuyInPlan,
    DesignDecision,
    ManagerEngagement,
    Metric,
    Program,
    ProgramChange,
    ProgramMetric,
    ProgramSkill,
    ReinforcementPlan,
    Skill,
    SkillGap,
    Touchpoint,
)
from .recommendations import recommend
from .selectors import program_queryset
from .services import catalogue_ensure

COMPLETE = "Value selling for enterprise accounts"
HALF_FINISHED = "Pipeline discipline for inside sales"


def _team_manager(team_name, fallback):
    """The demo org's manager of a team, by name (demo only: programs otherwise knows no people)."""
    Team = apps.get_model("cohorts", "Team")
    team = Team.objects.filter(name=team_name).select_related("manager").first()
    return team.manager.full_name if team and team.manager else fallback


def _metric(program, name, **values):
    return ProgramMetric.objects.update_or_create(
        program=program, metric=Metric.objects.get(name=name), defaults=values
    )[0]


def _skill(program, name, metrics, why):
    ps = ProgramSkill.objects.update_or_create(
        program=program, skill=Skill.objects.get(name=name), defaults={"why_it_matters": why}
    )[0]
    ps.moves_metrics.set(metrics)
    return ps


def _gap(program, ps, segment, strengths, limiters, level):
    SkillGap.objects.update_or_create(
        program_skill=ps,
        segment=segment,
        defaults={
            "program": program,
            "strengths": strengths,
            "limiters": limiters,
            "baseline_proficiency": level,
        },
    )


def _log(program, user, summaries, start):
    """Audit rows a day apart from `start`, so the demo change log reads like real planning work."""
    for day, summary in enumerate(summaries):
        at = start + timedelta(days=day, hours=day % 3)
        ProgramChange.objects.get_or_create(
            program=program, summary=summary, defaults={"user": user, "at": at}
        )


def _complete_program(lead):
    program, _ = Program.objects.update_or_create(
        name=COMPLETE,
        defaults={
            "owner": lead,
            "status": Program.Status.READY,
            "audience_description": "Account executives and their managers in the enterprise and mid-market "
            "field teams of North America, EMEA and APAC.",
            "start_date": date(2027, 2, 1),
            "end_date": date(2027, 5, 28),
            "sales_strategy": "Win on value instead of discount in strategic, healthcare and "
            "financial-services accounts; grow multi-year agreements.",
            "sales_culture": "Quota-driven and fairly directive; managers inspect pipeline more than they "
            "coach, reps welcome structure when it helps them win.",
            "culture_autonomy": 2,
            "budget_per_head": Decimal("1200.00"),
            "business_outcomes": "Higher win rate on qualified enterprise deals and larger average deals.",
            "learning_outcomes": "Reps run value-based discovery, reach economic buyers and build account "
            "plans that managers coach against.",
            "learning_maturity": 3,
            "audience_size": 180,
            "location_count": 7,
            "compliance_required": False,
            "is_foundational": True,
            "urgency": Program.Urgency.MEDIUM,
            "manager_coaching_capacity": 3,
            "metrics_reason": "",
        },
    )
    win_rate = _metric(
        program,
        "Win rate",
        baseline=Decimal("22"),
        target=Decimal("28"),
        unit="%",
        direction="up",
        horizon_months=9,
        data_source="CRM: closed opportunities above 50k",
    )
    deal_size = _metric(
        program,
        "Deal size",
        baseline=Decimal("85"),
        target=Decimal("100"),
        unit="USD k",
        direction="up",
        horizon_months=12,
        data_source="CRM: closed-won bookings",
    )
    calling_high = _skill(
        program,
        "Calling high",
        [win_rate, deal_size],
        "Deals stall below the economic buyer; we lose on price.",
    )
    solution = _skill(
        program, "Solution selling", [win_rate], "Discovery stops at features, so the value case is thin."
    )
    planning = _skill(
        program, "Account planning", [deal_size], "Whitespace in strategic accounts goes unworked."
    )
    _gap(program, calling_high, "Account executives", "Good rapport with champions", "Rarely meet the CFO", 2)
    _gap(
        program,
        calling_high,
        "Senior account executives",
        "Confident with executives",
        "Few multi-threaded deals",
        3,
    )
    _gap(program, solution, "Account executives", "Strong product knowledge", "Pitch before they diagnose", 2)
    _gap(
        program,
        planning,
        "All field reps",
        "Know their top accounts well",
        "Plans live in heads, not in CRM",
        2,
    )
    ReinforcementPlan.objects.update_or_create(
        program=program,
        defaults={
            "methods": ["manager_coaching", "spaced_retrieval", "role_play", "call_reviews"],
            "coaching_cadence": ReinforcementPlan.Cadence.FORTNIGHTLY,
            "coaching_sessions_per_rep": 1,
            "owner": "Regional sales directors, supported by enablement",
            "leading_indicators": "Coaching sessions logged per rep, retrieval answers, call reviews scored.",
            "lagging_indicators": "Win rate and average deal size, trained teams against the holdout.",
            "notes": "Managers are certified on the coaching guide before their teams start.",
        },
    )
    values = {
        "participation": Program.Participation.MANDATORY,
        # Everyone in the demo org is in scope (the cohorts demo plans all of them).
        "participation_criteria": {},
        "rollout": Program.Rollout.PILOT,
        "rollout_group_kind": "",
        "wave_order": [],
        "pilot_scope": {"teams": ["Enterprise East", "DACH"]},
        "holdout_scope": {"teams": ["Enterprise West", "Enterprise UK"]},
        "participant_mix": Program.ParticipantMix.INTACT_TEAMS,
        "managers_with_reps": False,
    }
    Program.objects.filter(pk=program.pk).update(**values)
    program = program_queryset().get(pk=program.pk)
    recommendations = recommend(program)
    rationales = {
        DesignDecision.Kind.ROLLOUT: "We want evidence before a global spend: Enterprise East and DACH pilot "
        "first, Enterprise West and Enterprise UK wait as a comparable holdout.",
    }
    for kind, field in (
        (DesignDecision.Kind.PARTICIPATION, "participation"),
        (DesignDecision.Kind.ROLLOUT, "rollout"),
        (DesignDecision.Kind.PARTICIPANT_MIX, "participant_mix"),
    ):
        rec = recommendations[kind]
        chosen = values[field]
        DesignDecision.objects.update_or_create(
            program=program,
            kind=kind,
            defaults={
                "chosen": chosen,
                "recommended": rec.top.option,
                "recommendation_summary": rec.summary,
                "rationale": "" if chosen == rec.top.option else rationales.get(kind, "Chosen by the lead."),
                "decided_by": lead,
                "decided_at": datetime(2026, 10, 12, 10, 0, tzinfo=UTC),
            },
        )
    BuyInPlan.objects.update_or_create(
        program=program,
        defaults={
            "why_message": "Buyers now involve finance in every deal above 50k and compare us on total "
            "value; feature pitches lose to cheaper rivals.",
            "status_quo_risk": "Win rate has slipped three quarters in a row and discounts are eating "
            "margin.",
            "leadership_actions": "Regional directors join one customer call a month per team and review "
            "account plans in the quarterly business review.",
            "expectations": "Every rep keeps a plan for their top three accounts; managers coach "
            "fortnightly. Progress is on the sales dashboard and counts in the spring awards.",
        },
    )
    ee_manager = _team_manager("Enterprise East", "Enterprise East manager")
    dach_manager = _team_manager("DACH", "DACH manager")
    for day, channel, forum, messenger, message in [
        (
            date(2026, 12, 7),
            "video",
            "All field sales",
            "VP of Sales",
            "Why buyers changed and why we must too",
        ),
        (
            date(2027, 1, 12),
            "kickoff",
            "Sales kickoff",
            "VP of Sales",
            "The value-selling program and the pilot",
        ),
        (date(2027, 1, 18), "team_meeting", "Pilot teams", ee_manager, "What the pilot asks of each rep"),
        (
            date(2027, 1, 26),
            "email",
            "Pilot teams and holdout",
            "Regional directors",
            "Dates, expectations, rewards",
        ),
    ]:
        Touchpoint.objects.update_or_create(
            program=program,
            date=day,
            channel=channel,
            defaults={"forum": forum, "messenger": messenger, "message": message},
        )
    for name, team, tailor, notes in [
        (ee_manager, "Enterprise East", True, "Brings two live deals as role-play cases"),
        (dach_manager, "DACH", True, "Adapts examples to German procurement"),
    ]:
        ManagerEngagement.objects.update_or_create(
            program=program,
            manager_name=name,
            defaults={
                "team": team,
                "helps_tailor": tailor,
                "spreads_message": True,
                "trained_before_reps": True,
                "notes": notes,
            },
        )
    _log(
        program,
        lead,
        [
            f"Created the program “{COMPLETE}”",
            "Success metrics: added Win rate; added Deal size",
            "Money-making skills: added Calling high; added Solution selling; added Account planning",
            "Skill gaps: 4 entries (before: 0)",
            "Reinforcement plan written",
            "Participation: Mandatory (accepted the recommendation)",
            "Rollout: Pilot first (overrode the recommendation)",
            "Participant mix: Intact sales teams (accepted the recommendation)",
            "Buy-in plan saved: 4 touchpoint(s), 2 manager(s)",
            "Status: Draft → Ready",
        ],
        datetime(2026, 10, 5, 9, 30, tzinfo=UTC),
    )
    return program


def _half_finished_program(lead):
    program, _ = Program.objects.update_or_create(
        name=HALF_FINISHED,
        defaults={
            "owner": lead,
            "status": Program.Status.DRAFT,
            "audience_description": "Inside sales representatives in North America, EMEA and APAC.",
            "start_date": date(2027, 4, 12),
            "end_date": date(2027, 6, 30),
            "sales_strategy": "Faster, cleaner pipeline for the mid-market motion.",
            "sales_culture": "Young, competitive teams used to leaderboards.",
            "culture_autonomy": 4,
            "budget_per_head": Decimal("400.00"),
            "business_outcomes": "Shorter sales cycles and fewer stalled opportunities.",
            "learning_outcomes": "Reps qualify hard and keep every deal's next step current.",
            "learning_maturity": 2,
            "audience_size": 45,
            "location_count": 3,
            "is_foundational": True,
            "urgency": Program.Urgency.HIGH,
            "manager_coaching_capacity": 2,
        },
    )
    cycle = _metric(
        program,
        "Sales-cycle length",
        baseline=Decimal("48"),
        target=Decimal("38"),
        unit="days",
        direction="down",
        horizon_months=6,
        data_source="CRM: qualified to closed",
    )
    qualifying = _skill(program, "Qualifying", [cycle], "Reps chase deals that were never going to close.")
    _skill(program, "Pipeline management", [cycle], "Next steps are missing on half the open deals.")
    _gap(program, qualifying, "Inside sales reps", "Quick to engage", "Skip budget and timing questions", 2)
    _log(
        program,
        lead,
        [
            f"Created the program “{HALF_FINISHED}”",
            "Success metrics: added Sales-cycle length",
            "Money-making skills: added Qualifying; added Pipeline management",
        ],
        datetime(2026, 11, 9, 14, 0, tzinfo=UTC),
    )
    return program


@transaction.atomic
def seed_programs():
    """Load the demo programs, owned by the demo `lead` login (created by the org seed)."""
    catalogue_ensure()
    lead = get_user_model().objects.get(username="lead")
    return [_complete_program(lead), _half_finished_program(lead)]
