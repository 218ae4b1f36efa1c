"""The main menu, one list per role: what each role came for, at most two clicks away.

To add a page, add a `Link` to the role's list (inside a `Menu` to put it in a dropdown).
A link is shown as active when the current page's view name is its `url_name` or one of
`also`; a dropdown is active when one of its links is. The template (`_nav_apps.html`) only
renders; nothing here needs the request except to mark the active entry.
"""

from dataclasses import dataclass, field

from .roles import Role


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    also: tuple = ()  # other view names that belong to this entry (e.g. a detail page)

    def is_active(self, view_name):
        return view_name == self.url_name or view_name in self.also


@dataclass(frozen=True)
class Menu:
    label: str
    links: tuple = field(default_factory=tuple)

    def is_active(self, view_name):
        return any(link.is_active(view_name) for link in self.links if isinstance(link, Link))


DIVIDER = None  # a line between groups of links inside a dropdown

PROGRAM_PAGES = (
    "programs:detail",
    "programs:edit",
    "programs:readiness_metrics",
    "programs:readiness_skills",
    "programs:readiness_gaps",
    "programs:readiness_reinforcement",
    "programs:design",
    "programs:decide",
    "programs:buy_in",
    "programs:summary",
    "programs:create",
)

PROGRAMS = Link("Programs", "programs:list", PROGRAM_PAGES)
HELP = Menu(
    "Help",
    (
        Link("How we recommend", "programs:how_we_recommend"),
        Link("Metrics and skills", "programs:catalogue"),
        Link("How stages work", "reinforcement:help"),
    ),
)
PLANS = Link("Cohorts & timeline", "cohorts:index", ("cohorts:plan", "cohorts:timeline", "cohorts:cohort"))
ORG_CHART = Link("Org chart", "cohorts:people", ("cohorts:person",))
COACHING_LOG = Link("Coaching log", "reinforcement:coaching_list", ("reinforcement:coaching_detail",))
HEALTH = Link("Program health", "measurement:health_default", ("measurement:health",))
KITS = Link(
    "Reinforcement kits", "leadership:kits", ("leadership:kit", "leadership:session", "leadership:sessions")
)
WEEKLY_REVIEW = Link("Weekly review and fading teams", "leadership:alarms")
OVERSIGHT = (
    Link("Team matrix", "reinforcement:matrix"),
    Link("Overdue items", "reinforcement:overdue"),
    COACHING_LOG,
    Link("Action plans", "reinforcement:plans"),
    DIVIDER,
    Link("Question bank", "reinforcement:questions"),
    Link("Practice scenarios", "practice:index", ("practice:scenario", "practice:reviews")),
    KITS,
    Link("Session feedback", "reinforcement:feedback_results"),
)

MENUS = {
    Role.LEAD: [
        PROGRAMS,
        Menu(
            "People & cohorts",
            (
                ORG_CHART,
                Link("Import the org chart", "cohorts:import", ("cohorts:import_detail",)),
                Link("Users & roles", "accounts:users", ("accounts:person", "accounts:invite")),
                DIVIDER,
                PLANS,
            ),
        ),
        Menu("Reinforcement", OVERSIGHT),
        Menu(
            "Measure",
            (
                Link("Adoption dashboard", "measurement:dashboard"),
                WEEKLY_REVIEW,
                HEALTH,
                Link("Import metric actuals", "measurement:actuals_import"),
            ),
        ),
        HELP,
    ],
    Role.MANAGER: [
        Link("Dashboard", "measurement:dashboard"),
        PROGRAMS,
        Menu(
            "My team",
            (
                Link("Team matrix", "reinforcement:matrix"),
                Link("Overdue items", "reinforcement:overdue"),
                Link("Weekly review", "leadership:alarms"),
                Link("Log coaching", "reinforcement:coaching_new"),
                COACHING_LOG,
                Link("Action plans", "reinforcement:plans", ("reinforcement:plan_observe",)),
                Link("Practice", "practice:index", ("practice:scenario", "practice:attempt")),
                Link("Practice reviews", "practice:reviews"),
                KITS,
                DIVIDER,
                Link("Team enrollment", "cohorts:my_team", ("cohorts:team",)),
                ORG_CHART,
            ),
        ),
        HELP,
    ],
    Role.EXECUTIVE: [
        PROGRAMS,
        Menu("Measure", (Link("Adoption dashboard", "measurement:dashboard"), WEEKLY_REVIEW, HEALTH)),
        Menu("People & cohorts", (ORG_CHART, PLANS)),
        Menu("Reinforcement", OVERSIGHT),
        HELP,
    ],
    Role.SELLER: [
        Link("My sessions", "cohorts:my_sessions"),
        Link("My progress", "reinforcement:my_progress", ("reinforcement:leave_add",)),
        Link("Inbox", "reinforcement:inbox", ("reinforcement:answer",)),
        Menu(
            "Practice",
            (
                Link("Scenarios", "practice:index", ("practice:scenario", "practice:attempt")),
                Link("Reviews asked of me", "practice:reviews"),
                Link("Leaderboard", "practice:leaderboard"),
            ),
        ),
        Link("Action plans", "reinforcement:plans", ("reinforcement:plan_new",)),
        Link("My feedback", "reinforcement:my_feedback", ("reinforcement:feedback_form",)),
    ],
}


def menu_for(role, view_name):
    """[(entry, active)] for the role's menu; entry is a Link or a Menu."""
    return [(entry, entry.is_active(view_name)) for entry in MENUS.get(role, [])]
