"""The readiness gate: can the four questions be answered well enough to design a rollout?

Each question is scored as the share of its checks that pass; the gate opens only when every
check of every question passes. Warnings never block, they advise. Works on prefetched
relations (see `selectors.programs_for_list`), so a list of programs costs no extra queries.

Once the gate has opened and the lead has decided (a design decision recorded, or the
program is past draft), it stays open: data arriving later, such as a pre-assessment import,
never silently re-locks the design. The pages then show what readiness now lacks instead.
"""

from dataclasses import dataclass, field

from .models import Metric, Program, ReinforcementPlan, SkillGap


@dataclass
class Check:
    label: str
    done: bool
    todo: str = ""  # what to do when the check fails


@dataclass
class Question:
    key: str
    title: str
    url_name: str
    checks: list[Check]
    warnings: list[str] = field(default_factory=list)

    @property
    def score(self):
        return round(100 * sum(c.done for c in self.checks) / len(self.checks))

    @property
    def complete(self):
        return all(c.done for c in self.checks)

    @property
    def missing(self):
        return [c.todo or c.label for c in self.checks if not c.done]


@dataclass
class Readiness:
    questions: list[Question]
    decided: bool = False  # a design decision exists or the program is past draft

    @property
    def complete(self):
        return all(q.complete for q in self.questions)

    @property
    def gate_open(self):
        """Design and buy-in are open: readiness is complete, or decisions were already made."""
        return self.complete or self.decided

    @property
    def reopened(self):
        """Decisions stand but readiness has since lost an answer: warn, do not lock."""
        return self.decided and not self.complete

    @property
    def score(self):
        return round(sum(q.score for q in self.questions) / len(self.questions))

    @property
    def answered(self):
        return sum(q.complete for q in self.questions)

    @property
    def next_question(self):
        """The first question still to finish, or None when the gate is open."""
        return next((q for q in self.questions if not q.complete), None)

    def __iter__(self):
        return iter(self.questions)


def _names(items):
    return ", ".join(str(i) for i in items)


def _reinforcement_plan(program):
    try:
        return program.reinforcement_plan
    except ReinforcementPlan.DoesNotExist:
        return None


def metrics_question(program):
    metrics = list(program.metrics.all())
    wrong_way = [
        pm
        for pm in metrics
        if (pm.direction == Metric.Direction.UP and pm.target <= pm.baseline)
        or (pm.direction == Metric.Direction.DOWN and pm.target >= pm.baseline)
    ]
    return Question(
        "metrics",
        "Success metrics",
        "programs:readiness_metrics",
        [
            Check("At least one success metric", bool(metrics), "Pick the one or two metrics to move."),
            Check(
                "The critical few: two metrics at most, or a reason for more",
                bool(metrics) and (len(metrics) <= 2 or bool(program.metrics_reason.strip())),
                "Drop to two metrics or say why more are needed.",
            ),
            Check(
                "Every target moves its metric the right way",
                bool(metrics) and not wrong_way,
                f"Fix the target of {_names(pm.metric for pm in wrong_way)}."
                if wrong_way
                else "Set a baseline and a target for each metric.",
            ),
        ],
    )


def skills_question(program):
    skills = list(program.skills.all())
    unlinked = [ps for ps in skills if not ps.moves_metrics.all()]
    warnings = []
    if len(skills) > 5:
        warnings.append(f"{len(skills)} skills chosen: more than five dilutes practice and coaching.")
    return Question(
        "skills",
        "Money-making skills",
        "programs:readiness_skills",
        [
            Check("At least one money-making skill", bool(skills), "Pick the critical few skills."),
            Check(
                "Every skill is linked to a metric it moves",
                bool(skills) and not unlinked,
                f"Link {_names(unlinked)} to a metric."
                if unlinked
                else "Pick skills and link them to metrics.",
            ),
        ],
        warnings,
    )


def gaps_question(program):
    skills = list(program.skills.all())
    gaps = list(program.skill_gaps.all())
    covered = {g.program_skill_id for g in gaps}
    uncovered = [ps for ps in skills if ps.pk not in covered]
    # A measured baseline (pre-assessment) answers the question as well as typed words do.
    blank = [
        g
        for g in gaps
        if not (g.strengths.strip() or g.limiters.strip() or g.source == SkillGap.Source.PRE_ASSESSMENT)
    ]
    return Question(
        "gaps",
        "Skill gaps",
        "programs:readiness_gaps",
        [
            Check(
                "Every skill has a gap entry for at least one segment",
                bool(skills) and not uncovered,
                f"Describe the gap for {_names(uncovered)}." if uncovered else "Pick the skills first.",
            ),
            Check(
                "Every entry names a strength or a limiter, or has a measured baseline",
                bool(gaps) and not blank,
                "Say what the audience does well or what holds it back.",
            ),
        ],
    )


def reinforcement_question(program):
    plan = _reinforcement_plan(program)
    warnings = []
    if plan and plan.methods and ReinforcementPlan.Method.MANAGER_COACHING not in plan.methods:
        warnings.append("Manager coaching is not among the methods: it is the strongest lever for adoption.")
    return Question(
        "reinforcement",
        "Reinforcement plan",
        "programs:readiness_reinforcement",
        [
            Check("At least one reinforcement method", bool(plan and plan.methods), "Choose the methods."),
            Check(
                "A coaching cadence per manager",
                bool(plan and plan.coaching_cadence),
                "Set how often managers coach each rep.",
            ),
            Check("An owner", bool(plan and plan.owner.strip()), "Name who owns reinforcement."),
            Check(
                "Leading indicators (behaviour)",
                bool(plan and plan.leading_indicators.strip()),
                "Say how behaviour change will be measured.",
            ),
            Check(
                "Lagging indicators (results)",
                bool(plan and plan.lagging_indicators.strip()),
                "Say how the results will be measured.",
            ),
        ],
        warnings,
    )


def readiness_of(program):
    return Readiness(
        [
            metrics_question(program),
            skills_question(program),
            gaps_question(program),
            reinforcement_question(program),
        ],
        decided=program.status != Program.Status.DRAFT or bool(program.decisions.all()),
    )
