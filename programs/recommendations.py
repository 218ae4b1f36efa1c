# ruff: noqa: E501 -- the scoring table reads best one rule per line.
"""How the app recommends each rollout decision. One table, readable by a lead.

1. FACTS turns a program's context and readiness answers into named yes/no facts, each with
   the plain-language condition it stands for.
2. RULES is the scoring table: when a fact holds, an option of a decision gains (or loses)
   points, for the reason written next to it.
3. `recommend(program)` adds up the points per option, ranks the options (ties keep the order
   in which the options are listed) and spells out the reasons behind the ranking.

Nothing else decides: the views only show what this module returns, and the
"How we recommend" page renders these same tables.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from .models import DesignDecision, Program

Kind = DesignDecision.Kind

ACCOUNT_METRICS = {"revenue", "margin", "deal size", "portfolio mix"}
CROSS_FUNCTIONAL_SKILLS = {"business acumen", "solution selling"}
ACCOUNT_SKILLS = {"account planning", "calling high", "negotiating"}


def capacity_for_change(recent_changes, competing_initiatives, manager_bandwidth):
    """How much more change the organisation can take now, from the three 1–5 answers.

    Strain is the mean of recent change, competing initiatives and the lack of manager bandwidth
    (6 − bandwidth): 3.7 or more is "low" capacity, 2.3 or less "high", else "medium". None until
    all three are answered.
    """
    answers = (recent_changes, competing_initiatives, manager_bandwidth)
    if any(a is None for a in answers):
        return None
    strain = (recent_changes + competing_initiatives + (6 - manager_bandwidth)) / 3
    if strain >= 11 / 3:
        return "low"
    if strain <= 7 / 3:
        return "high"
    return "medium"


@dataclass(frozen=True)
class Snapshot:
    """The inputs the rules read, taken from a program (and its prefetched readiness answers)."""

    compliance_required: bool = False
    is_foundational: bool = False
    culture_autonomy: int = 3
    learning_maturity: int = 3
    manager_coaching_capacity: int = 3
    urgency: str = Program.Urgency.MEDIUM
    audience_size: int | None = None
    location_count: int | None = None
    budget_per_head: Decimal | None = None
    metric_names: frozenset = frozenset()
    skill_names: frozenset = frozenset()
    gap_spread: int = 0  # largest difference in baseline proficiency between segments of one skill
    average_baseline: float | None = None
    coaching_planned: bool = False  # the reinforcement plan relies on manager coaching
    capacity: str | None = None  # capacity for change: "low", "medium", "high" or None (not checked)

    @classmethod
    def of(cls, program):
        gaps = list(program.skill_gaps.all())
        by_skill = {}
        for gap in gaps:
            by_skill.setdefault(gap.program_skill_id, []).append(gap.baseline_proficiency)
        spread = max((max(levels) - min(levels) for levels in by_skill.values()), default=0)
        average = sum(g.baseline_proficiency for g in gaps) / len(gaps) if gaps else None
        plan = getattr(program, "reinforcement_plan", None)
        return cls(
            compliance_required=program.compliance_required,
            is_foundational=program.is_foundational,
            culture_autonomy=program.culture_autonomy,
            learning_maturity=program.learning_maturity,
            manager_coaching_capacity=program.manager_coaching_capacity,
            urgency=program.urgency,
            audience_size=program.audience_size,
            location_count=program.location_count,
            budget_per_head=program.budget_per_head,
            metric_names=frozenset(pm.metric.name.lower() for pm in program.metrics.all()),
            skill_names=frozenset(ps.skill.name.lower() for ps in program.skills.all()),
            gap_spread=spread,
            average_baseline=average,
            coaching_planned=bool(plan and "manager_coaching" in plan.methods),
            capacity=capacity_for_change(
                program.capacity_recent_changes,
                program.capacity_competing_initiatives,
                program.capacity_manager_bandwidth,
            ),
        )


@dataclass(frozen=True)
class Fact:
    key: str
    condition: str  # what must be true, in words
    test: object  # Snapshot -> bool


FACTS = [
    Fact("compliance", "compliance training is required", lambda s: s.compliance_required),
    Fact("foundational", "the program teaches foundational skills", lambda s: s.is_foundational),
    Fact(
        "advanced", "the program teaches advanced (not foundational) skills", lambda s: not s.is_foundational
    ),
    Fact(
        "autonomy_high",
        "the culture prizes individual choice (autonomy 4–5)",
        lambda s: s.culture_autonomy >= 4,
    ),
    Fact("autonomy_low", "the culture is directive (autonomy 1–2)", lambda s: s.culture_autonomy <= 2),
    Fact("maturity_high", "learning maturity is high (4–5)", lambda s: s.learning_maturity >= 4),
    Fact("maturity_low", "learning maturity is low (1–2)", lambda s: s.learning_maturity <= 2),
    Fact(
        "coaching_high",
        "managers have room to coach (capacity 4–5)",
        lambda s: s.manager_coaching_capacity >= 4,
    ),
    Fact(
        "coaching_low",
        "managers have little room to coach (capacity 1–2)",
        lambda s: s.manager_coaching_capacity <= 2,
    ),
    Fact("urgent", "urgency is high", lambda s: s.urgency == Program.Urgency.HIGH),
    Fact("relaxed", "urgency is low", lambda s: s.urgency == Program.Urgency.LOW),
    Fact("large_audience", "the audience is 150 people or more", lambda s: (s.audience_size or 0) >= 150),
    Fact("small_audience", "the audience is under 40 people", lambda s: 0 < (s.audience_size or 0) < 40),
    Fact(
        "many_locations",
        "the audience sits in four or more locations",
        lambda s: (s.location_count or 0) >= 4,
    ),
    Fact(
        "few_locations",
        "the audience sits in one or two locations",
        lambda s: 0 < (s.location_count or 0) <= 2,
    ),
    Fact(
        "tight_budget",
        "the budget is under 500 per head",
        lambda s: s.budget_per_head is not None and s.budget_per_head < 500,
    ),
    Fact(
        "account_metrics",
        "a success metric is tied to accounts (revenue, margin, deal size or portfolio mix)",
        lambda s: bool(s.metric_names & ACCOUNT_METRICS),
    ),
    Fact(
        "account_skills",
        "a skill is practised on real accounts (account planning, calling high or negotiating)",
        lambda s: bool(s.skill_names & ACCOUNT_SKILLS),
    ),
    Fact(
        "cross_skills",
        "a skill spans functions (business acumen or solution selling)",
        lambda s: bool(s.skill_names & CROSS_FUNCTIONAL_SKILLS),
    ),
    Fact("uneven_gaps", "skill gaps differ between segments by 2+ levels", lambda s: s.gap_spread >= 2),
    Fact(
        "coaching_planned",
        "the reinforcement plan relies on manager coaching",
        lambda s: s.coaching_planned,
    ),
    Fact(
        "low_baseline",
        "the audience starts low (average baseline 2 or below)",
        lambda s: s.average_baseline is not None and s.average_baseline <= 2,
    ),
]
FACTS += [
    Fact(
        "capacity_low",
        "capacity for change is low (much recent change, competing initiatives, busy managers)",
        lambda s: s.capacity == "low",
    ),
    Fact("capacity_high", "capacity for change is high", lambda s: s.capacity == "high"),
]
FACTS_BY_KEY = {f.key: f for f in FACTS}


@dataclass(frozen=True)
class Rule:
    decision: str
    option: str
    fact: str
    points: int
    reason: str  # why the fact helps (points > 0) or hurts (points < 0) the option


P, R, M = Program.Participation, Program.Rollout, Program.ParticipantMix
PART, ROLL, MIX = Kind.PARTICIPATION, Kind.ROLLOUT, Kind.PARTICIPANT_MIX

# fmt: off
RULES = [
    # Participation
    Rule(PART, P.MANDATORY, "compliance", 3, "compliance is required, so everyone must attend anyway"),
    Rule(PART, P.MANDATORY, "foundational", 2, "the skills are foundational and the whole audience needs them"),
    Rule(PART, P.MANDATORY, "autonomy_low", 1, "a directive culture accepts a required program"),
    Rule(PART, P.MANDATORY, "low_baseline", 1, "the whole audience starts low"),
    Rule(PART, P.MANDATORY, "urgent", 1, "a mandate reaches everyone quickly"),
    Rule(PART, P.MANDATORY, "autonomy_high", -2, "it costs engagement: the culture prizes autonomy and forced attendees switch off"),
    Rule(PART, P.MANDATORY, "capacity_low", -1, "a mandate lands on people already absorbing a lot of change"),
    Rule(PART, P.SUGGESTED, "uneven_gaps", 2, "the gaps differ by segment, so criteria can send the right people"),
    Rule(PART, P.SUGGESTED, "advanced", 1, "advanced content suits people who meet clear criteria"),
    Rule(PART, P.SUGGESTED, "coaching_high", 1, "managers have the time to decide well who should go"),
    Rule(PART, P.SUGGESTED, "coaching_low", -1, "managers would have to find time to apply the criteria"),
    Rule(PART, P.SUGGESTED, "tight_budget", -1, "assembling groups case by case raises the cost per head"),
    Rule(PART, P.SUGGESTED, "compliance", -2, "compliance needs everyone, not a recommended subset"),
    Rule(PART, P.SELECTED, "small_audience", 2, "a small audience can be chosen person by person"),
    Rule(PART, P.SELECTED, "advanced", 1, "advanced content can reward a chosen few and create pull"),
    Rule(PART, P.SELECTED, "large_audience", -1, "hand-picking does not scale to a large audience"),
    Rule(PART, P.SELECTED, "foundational", -2, "foundational skills are needed well beyond a chosen few"),
    Rule(PART, P.SELECTED, "compliance", -3, "compliance cannot be limited to a selected group"),
    Rule(PART, P.OPTIONAL, "autonomy_high", 2, "an autonomous culture responds to choice"),
    Rule(PART, P.OPTIONAL, "maturity_high", 1, "a mature learning culture signs up on its own"),
    Rule(PART, P.OPTIONAL, "urgent", -2, "random uptake is too slow when results are urgent"),
    Rule(PART, P.OPTIONAL, "low_baseline", -1, "the people who need it most may not sign up"),
    Rule(PART, P.OPTIONAL, "compliance", -3, "optional attendance cannot satisfy compliance"),
    # Rollout
    Rule(ROLL, R.PILOT, "large_audience", 2, "a large audience justifies testing the design on a few first"),
    Rule(ROLL, R.PILOT, "maturity_high", 2, "the organisation is used to learning and adjusting, which a pilot needs"),
    Rule(ROLL, R.PILOT, "relaxed", 1, "there is time to learn from a pilot before the full launch"),
    Rule(ROLL, R.PILOT, "tight_budget", 1, "a small first investment limits the risk to the budget"),
    Rule(ROLL, R.PILOT, "maturity_low", -1, "a pilot only pays off if the organisation will adjust to what it shows"),
    Rule(ROLL, R.PILOT, "urgent", -2, "a pilot makes everyone else wait while results are urgent"),
    Rule(ROLL, R.PILOT, "capacity_low", 3, "the organisation has little capacity for change right now, and a pilot asks little of it while it proves the case"),
    Rule(ROLL, R.TOP_DOWN, "capacity_low", -1, "managers stretched by other changes have little room to go first and coach"),
    Rule(ROLL, R.AS_AVAILABLE, "capacity_high", 1, "people have the room to sign up and go at their own pace"),
    Rule(ROLL, R.TOP_DOWN, "coaching_high", 2, "managers can coach the content once they have been through it"),
    Rule(ROLL, R.TOP_DOWN, "autonomy_low", 1, "a directive culture follows its leaders' example"),
    Rule(ROLL, R.TOP_DOWN, "compliance", 1, "leaders going first signals that it matters"),
    Rule(ROLL, R.TOP_DOWN, "coaching_planned", 1, "managers trained first can run the coaching the plan relies on"),
    Rule(ROLL, R.TOP_DOWN, "urgent", -1, "waiting for executives' calendars slows the start"),
    Rule(ROLL, R.TOP_DOWN, "coaching_low", -2, "leaders with no room to coach weaken the top-down signal"),
    Rule(ROLL, R.AS_AVAILABLE, "autonomy_high", 2, "people who pick their own slot arrive motivated"),
    Rule(ROLL, R.AS_AVAILABLE, "maturity_high", 1, "people already plan their own development"),
    Rule(ROLL, R.AS_AVAILABLE, "low_baseline", -1, "the highest needs may sign up last"),
    Rule(ROLL, R.AS_AVAILABLE, "compliance", -2, "sign-up by availability may miss people who must attend"),
    Rule(ROLL, R.BY_LOCATION, "many_locations", 2, "sessions can run back to back, one site at a time"),
    Rule(ROLL, R.BY_LOCATION, "tight_budget", 1, "grouping by site saves travel"),
    Rule(ROLL, R.BY_LOCATION, "cross_skills", -1, "sites trained apart lose cross-pollination"),
    Rule(ROLL, R.BY_LOCATION, "few_locations", -2, "with one or two sites there is little to sequence"),
    Rule(ROLL, R.BY_GROUP, "account_metrics", 2, "the metrics are tied to accounts, so results show per group"),
    Rule(ROLL, R.BY_GROUP, "account_skills", 2, "the skills are practised on the group's real accounts"),
    Rule(ROLL, R.BY_GROUP, "uneven_gaps", 1, "the groups with the widest gaps can go first"),
    Rule(ROLL, R.BY_GROUP, "cross_skills", -1, "groups trained apart miss ideas from each other"),
    # Participant mix
    Rule(MIX, M.CROSS_FUNCTIONAL, "cross_skills", 2, "the skills span functions, so mixed groups share perspectives"),
    Rule(MIX, M.CROSS_FUNCTIONAL, "maturity_high", 1, "experienced facilitation can keep mixed cases relevant"),
    Rule(MIX, M.CROSS_FUNCTIONAL, "maturity_low", -1, "mixed groups need more design and facilitation effort"),
    Rule(MIX, M.CROSS_FUNCTIONAL, "account_metrics", -1, "results of mixed groups are harder to tie to account revenue"),
    Rule(MIX, M.INTACT_TEAMS, "account_metrics", 2, "results tie directly to each team's own accounts"),
    Rule(MIX, M.INTACT_TEAMS, "account_skills", 2, "teams can work their real accounts in the room"),
    Rule(MIX, M.INTACT_TEAMS, "coaching_high", 1, "managers can carry the practice into their own team"),
    Rule(MIX, M.INTACT_TEAMS, "coaching_planned", 1, "the planned manager coaching happens inside the team that trained together"),
    Rule(MIX, M.INTACT_TEAMS, "cross_skills", -1, "people stay in their usual roles and silos"),
]
# fmt: on

OPTIONS = {PART: Program.Participation, ROLL: Program.Rollout, MIX: Program.ParticipantMix}

# What each option is good for and what it risks, whatever the context.
TRADE_OFFS = {
    P.MANDATORY: (
        [
            "The right people get the right training",
            "A clear signal from leadership",
            "Simple to plan and measure, often cheaper",
            "Suits compliance, foundational skills and role changes",
        ],
        ["People sent against their will disengage", "Can clash with a culture of choice"],
    ),
    P.SUGGESTED: (
        [
            "Each decision-maker picks the people who need it",
            "More accountability",
            "Ties training to team and company goals",
        ],
        [
            "Criteria and a process must exist and be explained",
            "Managers spend time deciding",
            "Can feel unfair; slower and dearer per head",
        ],
    ),
    P.SELECTED: (
        ["Rewards and targets key people", "Creates buzz and pull", "Good for succession and account teams"],
        ["Unclear or biased selection demotivates everyone else", "Choosing well takes time"],
    ),
    P.OPTIONAL: (
        ["Individual choice and ownership", "Fine for foundational individual skills"],
        [
            "People may choose poorly",
            "Random uptake can miss the goals",
            "More logistics, costlier over time",
        ],
    ),
    R.PILOT: (
        [
            "Invest a little before a lot",
            "Builds buy-in and sharpens the design",
            "Manages expectations; a holdout shows the effect",
        ],
        ["Needs willingness to learn and change course", "Everyone else waits"],
    ),
    R.TOP_DOWN: (
        ["Leaders go first and can coach", "A clear signal", "Executive feedback improves later sessions"],
        ["Waiting for executives' calendars", "Leaders must be able to model and coach the content"],
    ),
    R.AS_AVAILABLE: (
        [
            "Fits people's schedules, just in time",
            "The most motivated go first",
            "Builds ties across functions",
        ],
        ["May miss the highest needs", "Scheduling and tracking are heavy without a system"],
    ),
    R.BY_LOCATION: (
        ["Local momentum", "Back-to-back sessions save money", "Local focus"],
        ["May miss the highest needs", "Less cross-pollination between sites"],
    ),
    R.BY_GROUP: (
        ["Focused on real business issues and clients", "On-the-job relevance", "ROI is easier to show"],
        ["Groups can be hard to define", "Little cross-pollination where cross-selling matters"],
    ),
    M.CROSS_FUNCTIONAL: (
        [
            "Shared perspectives, fewer silos",
            "Experienced people coach others",
            "A safe place to solve problems",
        ],
        ["Harder to design cases relevant to all", "Some topics can't be discussed openly"],
    ),
    M.INTACT_TEAMS: (
        [
            "Natural team building",
            "Focus on the team's own clients and accounts",
            "Easy to tie to account revenue and margin",
        ],
        ["People stay in their usual roles", "Team dynamics can distract"],
    ),
}


@dataclass
class Reason:
    fact: str
    condition: str
    text: str
    points: int


@dataclass
class RankedOption:
    option: str
    label: str
    score: int = 0
    pros: list[Reason] = field(default_factory=list)
    cons: list[Reason] = field(default_factory=list)

    @property
    def benefits(self):
        return TRADE_OFFS[self.option][0]

    @property
    def risks(self):
        return TRADE_OFFS[self.option][1]


@dataclass
class Recommendation:
    decision: str
    label: str
    ranked: list[RankedOption]

    @property
    def top(self):
        return self.ranked[0]

    @property
    def summary(self):
        return explain(self.top)

    def rank_of(self, option):
        return next(i for i, r in enumerate(self.ranked, start=1) if r.option == option)


def _join(parts):
    """'a', 'a, and b', 'a, b, and c': the comma keeps clauses that contain 'and' apart."""
    parts = list(parts)
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + ", and " + parts[-1]


def explain(ranked):
    """One sentence: why this option ranks where it does, and what it costs."""
    if ranked.pros:
        sentence = f"{ranked.label} ranks first because {_join(r.text for r in ranked.pros)}"
    else:
        sentence = f"{ranked.label} ranks first by default: nothing in the context argues for another option"
    if ranked.cons:
        sentence += f"; but {_join(r.text for r in ranked.cons)}"
    return sentence + "."


def facts_of(snapshot):
    return {f.key for f in FACTS if f.test(snapshot)}


def rank(decision, snapshot):
    """Rank the options of one decision for a snapshot (ties keep the listed order)."""
    facts = facts_of(snapshot)
    choices = OPTIONS[decision]
    options = {value: RankedOption(value, label) for value, label in choices.choices}
    for rule in RULES:
        if rule.decision != decision or rule.fact not in facts:
            continue
        option = options[rule.option]
        option.score += rule.points
        reason = Reason(rule.fact, FACTS_BY_KEY[rule.fact].condition, rule.reason, rule.points)
        (option.pros if rule.points > 0 else option.cons).append(reason)
    order = list(choices.values)
    ranked = sorted(options.values(), key=lambda o: (-o.score, order.index(o.option)))
    return Recommendation(decision, Kind(decision).label, ranked)


def recommend(program, snapshot=None):
    """The ranked recommendation for each of the three decisions, keyed by DesignDecision.Kind."""
    snapshot = snapshot or Snapshot.of(program)
    return {kind: rank(kind, snapshot) for kind in Kind.values}


def table():
    """The scoring table for the help page: per decision, per option, the rules that apply."""
    return [
        {
            "decision": Kind(kind).label,
            "options": [
                {
                    "label": label,
                    "benefits": TRADE_OFFS[value][0],
                    "risks": TRADE_OFFS[value][1],
                    "rules": [
                        {
                            "fact": r.fact,
                            "condition": FACTS_BY_KEY[r.fact].condition,
                            "points": r.points,
                            "reason": r.reason,
                        }
                        for r in RULES
                        if r.decision == kind and r.option == value
                    ],
                }
                for value, label in OPTIONS[kind].choices
            ],
        }
        for kind in Kind.values
    ]
