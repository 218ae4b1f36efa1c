"""The plan summary: what a VP of Sales needs on one page, and the risks still open."""

from .buyin import buy_in_status
from .models import DesignDecision
from .readiness import readiness_of
from .recommendations import recommend
from .services import DECISION_FIELDS


def _sentence(text):
    return f"{text[:1].upper()}{text[1:]}."


def plan_brief(program):
    """Readiness, each decision with its reasons, the buy-in status and the open risks.

    Open risks are: readiness items still missing, decisions not made, what counts against
    each chosen option in this context plus its main generic risk, and buy-in warnings.
    """
    readiness = readiness_of(program)
    recommendations = recommend(program)
    decisions = {d.kind: d for d in program.decisions.all()}
    rows = []
    risks = [f"Readiness: {item}" for q in readiness for item in q.missing]
    for kind in DesignDecision.Kind:
        value = getattr(program, DECISION_FIELDS[kind][0])
        rec = recommendations[kind]
        chosen = next((r for r in rec.ranked if r.option == value), None)
        rows.append({"kind": kind, "decision": decisions.get(kind), "chosen": chosen, "recommendation": rec})
        if chosen is None:
            risks.append(f"{kind.label} is not decided yet.")
            continue
        decision = decisions.get(kind)
        if decision and decision.recommended != rec.top.option:
            risks.append(f"{kind.label}: the recommendation changed to {rec.top.label} after the decision.")
        risks += [f"{chosen.label}: {_sentence(r.text)}" for r in chosen.cons]
        risks.append(f"{chosen.label}: {_sentence(chosen.risks[0])}")
    status = buy_in_status(program)
    risks += [f"Buy-in: {w}" for w in status.warnings]
    return {
        "readiness": readiness,
        "rows": rows,
        "buy_in": status,
        "risks": risks,
        "scope": scope_lines(program.participation_criteria or {}),
    }


SCOPE_LABELS = {
    "regions": "Regions",
    "locations": "Locations",
    "teams": "Teams",
    "account_groups": "Account groups",
    "levels": "Levels",
    "functions": "Functions",
}


def scope_lines(criteria):
    """'Teams: DACH, ANZ' lines for the audience in scope (empty when everyone is)."""
    return [
        f"{label}: {', '.join(str(v).replace('_', ' ') for v in criteria[key])}"
        for key, label in SCOPE_LABELS.items()
        if criteria.get(key)
    ]
