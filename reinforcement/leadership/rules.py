"""Rules that decide leadership follow-through outcomes. Pure: no Django, easy to test on hand-made numbers.

- how many team reinforcement sessions the plan's cadence expects of a manager;
- where adoption stands against the 75 % goal and the 90 % stretch, and its recent trend;
- which weeks since launch passed without a leadership review;
- when a team is fading (adoption or answer rate down two weeks in a row, stages falling back)
  and the likely causes;
- whether an expectation is met by its indicator.
"""

from dataclasses import dataclass
from datetime import date, timedelta

CADENCE_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 30, "quarterly": 91}
DEFAULT_CADENCE_DAYS = 14
GOAL = 0.75
STRETCH = 0.90
TREND_WEEKS = 4
# A team whose retrieval questions are answered less often than this has "questions unanswered".
LOW_ANSWER_RATE = 0.5
MIN_SENT = 3


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def cadence_days(cadence: str) -> int:
    return CADENCE_DAYS.get(cadence or "", DEFAULT_CADENCE_DAYS)


def expected_sessions(launch: date | None, today: date, cadence: str) -> int:
    """Team sessions a manager should have held by `today`: one per cadence period completed
    since launch (none before launch or without a launch date)."""
    if launch is None or today < launch:
        return 0
    return ((today - launch).days + 1) // cadence_days(cadence)


def adoption_status(adoption: float | None) -> str:
    """'stretch' (90 % or more), 'goal' (75 % or more), 'below' or 'unknown'."""
    if adoption is None:
        return "unknown"
    if adoption >= STRETCH:
        return "stretch"
    if adoption >= GOAL:
        return "goal"
    return "below"


def trend(series: list, weeks: int = TREND_WEEKS) -> float | None:
    """Change over the last `weeks` weeks of a weekly share series (last known − value `weeks` earlier)."""
    known = [v for v in series if v is not None]
    if len(known) < 2:
        return None
    window = known[-(weeks + 1) :]
    return window[-1] - window[0]


def weeks_to_goal(series: list, target: float = GOAL, weeks: int = TREND_WEEKS) -> int | None:
    """Weeks until `target` at the recent pace, 0 when reached, None when not rising."""
    known = [v for v in series if v is not None]
    if not known:
        return None
    if known[-1] >= target:
        return 0
    change = trend(known, weeks)
    window = min(weeks, len(known) - 1)
    if not change or change <= 0 or not window:
        return None
    per_week = change / window
    return -int(-(target - known[-1]) // per_week)  # ceiling


def weeks_without_review(launch: date | None, today: date, review_dates: list) -> list:
    """Mondays of the completed weeks since the launch week in which no review was held."""
    if launch is None or today < launch:
        return []
    held = {monday(d) for d in review_dates}
    week, this_week, missed = monday(launch), monday(today), []
    while week < this_week:
        if week not in held:
            missed.append(week)
        week += timedelta(weeks=1)
    return missed


def falling_two_weeks(series: list) -> bool:
    """The last three known weekly values fall twice in a row (strictly)."""
    known = [v for v in series if v is not None][-3:]
    return len(known) == 3 and known[0] > known[1] > known[2]


@dataclass(frozen=True)
class TeamWeeks:
    """A team's last weeks of figures, oldest first (one value per week)."""

    adoption: list
    answer_rate: list
    fall_backs: int  # stage moves down in the last two weeks
    coaching: int  # coaching conversations logged in the last two weeks
    sent: int  # questions sent in the last two weeks
    answered: int
    practice_unreviewed: int | None = None  # practice attempts waiting for review; None when not tracked


def fade(team: TeamWeeks) -> tuple[list, list]:
    """(signals, causes) for one team. No signals means no alarm.

    Signals: 'adoption' when adoption fell two weeks in a row, 'answers' when the answer rate
    did, 'fall_back' when any stage fell back in the last two weeks. Causes, read from the same
    two weeks: no coaching logged; questions mostly unanswered; practice waiting for review.
    """
    signals = []
    if falling_two_weeks(team.adoption):
        signals.append("adoption")
    if falling_two_weeks(team.answer_rate):
        signals.append("answers")
    if team.fall_backs > 0:
        signals.append("fall_back")
    if not signals:
        return [], []
    causes = []
    if team.coaching == 0:
        causes.append("no_coaching")
    if team.sent >= MIN_SENT and team.answered / team.sent < LOW_ANSWER_RATE:
        causes.append("unanswered")
    if team.practice_unreviewed:
        causes.append("practice_unreviewed")
    return signals, causes


SIGNAL_TEXT = {
    "adoption": "Adoption fell two weeks in a row",
    "answers": "The answer rate to retrieval questions fell two weeks in a row",
    "fall_back": "Sellers fell back a stage",
}
CAUSE_TEXT = {
    "no_coaching": "no coaching was logged for the team in the last two weeks",
    "unanswered": "most retrieval questions went unanswered",
    "practice_unreviewed": "practice attempts are waiting for the manager's review",
}


def expectation_met(value: float | None, target: float | None) -> bool | None:
    """Whether an indicator reaches its target (both as shares 0–1); None when either is unknown."""
    if value is None or target is None:
        return None
    return value >= target


@dataclass(frozen=True)
class BriefFacts:
    """What the weekly brief knows, for deciding which decisions to put to leadership."""

    adoption: float | None
    trend_change: float | None
    weeks_to_goal: int | None
    managers_not_coaching: int = 0
    managers_behind_on_sessions: int = 0
    fading_teams: int = 0
    overdue_follow_ups: int = 0
    weeks_unreviewed: int = 0


SLOW_WEEKS = 12


def decisions_needed(facts: BriefFacts) -> list:
    """The decisions the weekly review should take, in order of weight."""
    out = []
    a = facts.adoption
    if a is not None and a < GOAL and (facts.trend_change is None or facts.trend_change <= 0):
        out.append(
            "Adoption is below 75 % and not rising: decide what extra support managers get "
            "(coaching time, a refresher, a word from the sponsor)."
        )
    elif a is not None and a < GOAL and (facts.weeks_to_goal or 0) > SLOW_WEEKS:
        out.append(
            f"At this pace 75 % is {facts.weeks_to_goal} weeks away: decide whether that is good enough "
            "or what to speed up."
        )
    if facts.fading_teams:
        out.append(f"{facts.fading_teams} team(s) are fading: agree the response and who owns it for each.")
    if facts.managers_not_coaching:
        out.append(
            f"{facts.managers_not_coaching} manager(s) coach at under half the agreed cadence: "
            "decide who talks to them and by when."
        )
    if facts.managers_behind_on_sessions:
        out.append(
            f"{facts.managers_behind_on_sessions} manager(s) are behind on team reinforcement sessions: "
            "decide whether to protect time for them."
        )
    if facts.overdue_follow_ups:
        out.append(
            f"{facts.overdue_follow_ups} follow-up(s) from earlier reviews are overdue: re-assign or close."
        )
    if facts.weeks_unreviewed >= 2:
        out.append(f"{facts.weeks_unreviewed} weeks passed without a review: fix a standing weekly slot.")
    if a is not None and a >= STRETCH:
        out.append("Adoption passed 90 %: decide how to recognise the teams and what the next program is.")
    return out
