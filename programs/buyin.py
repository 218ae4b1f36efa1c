"""Checks on the buy-in plan: is the 'why' repeated early and often, and are managers on board?

The rules: at least three touchpoints before launch, in at least two different channels,
not bunched into the final week; managers help tailor the program and are trained before
their reps. A check that fails becomes a warning on the buy-in page and the plan summary.
"""

from dataclasses import dataclass
from datetime import timedelta

MIN_TOUCHPOINTS = 3
MIN_CHANNELS = 2
FINAL_DAYS = 7


@dataclass
class BuyInStatus:
    warnings: list[str]
    before_launch: int

    @property
    def ok(self):
        return not self.warnings


def buy_in_status(program, touchpoints=None, managers=None, plan=None):
    """Warnings for the program's buy-in plan. Pass unsaved rows to check a form before saving."""
    touchpoints = list(program.touchpoints.all()) if touchpoints is None else touchpoints
    managers = list(program.manager_engagements.all()) if managers is None else managers
    if plan is None:
        plan = getattr(program, "buy_in", None) if program.pk else None
    warnings = []
    if not plan or not plan.why_message.strip():
        warnings.append("The 'why' message is not written yet: say what changed in the market.")
    if plan and not plan.leadership_actions.strip():
        warnings.append("Leadership's own commitments are missing: what will leaders do differently?")
    launch = program.start_date
    if launch is None:
        before = touchpoints
        warnings.append("No start date: the schedule cannot be checked against the launch.")
    else:
        before = [t for t in touchpoints if t.date < launch]
    if len(before) < MIN_TOUCHPOINTS:
        warnings.append(
            f"Only {len(before)} touchpoint(s) before launch: plan at least {MIN_TOUCHPOINTS}, "
            "repeated in different forums."
        )
    if before and len({t.channel for t in before}) < MIN_CHANNELS:
        warnings.append("Every touchpoint uses the same channel: vary the forum so the message lands.")
    if launch and len(before) >= 2:
        final = [t for t in before if t.date >= launch - timedelta(days=FINAL_DAYS)]
        if len(final) * 2 > len(before):
            warnings.append(
                f"Most touchpoints fall in the last {FINAL_DAYS} days before launch: "
                "start the message earlier."
            )
    if not managers:
        warnings.append("No front-line managers are engaged yet.")
    else:
        if not any(m.helps_tailor for m in managers):
            warnings.append("No manager helps tailor the program to the field.")
        late = [m.manager_name for m in managers if not m.trained_before_reps]
        if late:
            warnings.append(f"Not trained before their reps: {', '.join(late)}.")
    return BuyInStatus(warnings, len(before))
