"""The stage rules: from a seller's evidence on one skill to a stage, with the reason.

Pure functions over plain values, so the bulk recompute, the single recompute and the
help page all use the same rules. A seller holds the highest stage whose check passes
together with every check below it; when evidence stops holding (a lapse in recall), the
stage falls back to the last check that still passes.
"""

from dataclasses import dataclass

from .models import Stage


@dataclass
class Evidence:
    attended: bool = False
    post_score: int | None = None
    reviewed_cards: int = 0
    avg_stability: float | None = None
    relearning_cards: int = 0
    practice_ratings: list[int] | None = None  # ratings from role plays, 1:1s and team meetings
    application_ratings: list[int] | None = None  # ratings from ride-alongs and call reviews
    action_plans: int = 0
    observed_plans: int = 0
    high_ratings: int = 0
    signed_off: bool = False
    practice_scores: list[int] | None = None  # reviewed practice attempts (best rubric score, rounded)
    certification_required: bool = False  # the lead requires a certified attempt for Master
    certified: bool = False

    def as_json(self):
        data = dict(self.__dict__)
        if self.avg_stability is not None:
            data["avg_stability"] = round(self.avg_stability, 1)
        return data


def _learn(ev, rules):
    if ev.post_score is None:
        return False, "No post-training assessment recorded yet."
    if ev.post_score < rules.pass_score:
        return False, f"Post-assessment score {ev.post_score} is below the pass mark of {rules.pass_score}."
    if rules.require_attendance and not ev.attended:
        return False, "Passed the assessment but no attended training session is recorded."
    why = f"Passed the post-assessment ({ev.post_score} ≥ {rules.pass_score})"
    return True, why + (" and attended training." if rules.require_attendance else ".")


def _remember(ev, rules):
    if not ev.reviewed_cards:
        return False, "No review questions answered yet."
    if ev.relearning_cards:
        return False, f"Recall lapsed: {ev.relearning_cards} question(s) answered wrong and being relearned."
    if ev.avg_stability < rules.remember_stability_days:
        return False, (
            f"Recall is building: stability {ev.avg_stability:.1f} days, "
            f"{rules.remember_stability_days} needed."
        )
    return (
        True,
        f"Recall is holding: average stability {ev.avg_stability:.1f} days"
        f" over {ev.reviewed_cards} questions.",
    )


def _practice(ev, rules):
    # Scored practice attempts count beside role plays and 1:1s.
    scored = (ev.practice_ratings or []) + (ev.practice_scores or [])
    good = [r for r in scored if r >= rules.practice_min_rating]
    if len(good) < rules.practice_min_sessions:
        return False, (
            f"{len(good)} of {rules.practice_min_sessions} practice sessions or scored attempts rated "
            f"{rules.practice_min_rating}/5 or better."
        )
    return (
        True,
        f"{len(good)} practice sessions or scored attempts rated {rules.practice_min_rating}/5 or better.",
    )


def _apply(ev, rules):
    observed_in_field = [r for r in ev.application_ratings or [] if r >= 3]
    if not ev.action_plans:
        return False, "No action plan recorded for this skill."
    if not ev.observed_plans and not observed_in_field:
        return False, "Action plan recorded; application not yet observed by the manager."
    return True, "Action plan in place and application observed by the manager."


def _master(ev, rules):
    if ev.avg_stability is None or ev.avg_stability < rules.master_stability_days:
        return False, f"Long-term recall below {rules.master_stability_days} days of stability."
    if ev.high_ratings < rules.master_min_high_ratings:
        return False, f"{ev.high_ratings} of {rules.master_min_high_ratings} coaching ratings of 4 or 5."
    if not ev.signed_off:
        return False, "Waiting for the manager's sign-off."
    if ev.certification_required and not ev.certified:
        return False, "Waiting for a certified practice attempt (scored by a manager at the threshold)."
    return True, "Sustained recall, repeated high ratings and the manager's sign-off."


CHECKS = [
    (Stage.LEARN, _learn),
    (Stage.REMEMBER, _remember),
    (Stage.PRACTICE, _practice),
    (Stage.APPLY, _apply),
    (Stage.MASTER, _master),
]


def stage_for(evidence, rules, current=Stage.NOT_STARTED):
    """Return (stage, reason) for `evidence` under `rules`.

    The reason explains the move from `current`: the passing check when moving up, the
    first failing check when falling back, the next missing evidence when unchanged.
    """
    stage, passed_reason, failed_reason = Stage.NOT_STARTED, "", ""
    for candidate, check in CHECKS:
        ok, why = check(evidence, rules)
        if not ok:
            failed_reason = why
            break
        stage, passed_reason = candidate, why
    if Stage.rank(stage) > Stage.rank(current):
        return stage, passed_reason
    return stage, failed_reason or passed_reason
