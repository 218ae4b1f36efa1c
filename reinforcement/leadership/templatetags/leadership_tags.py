"""Cards and panels other apps' pages show: home cards per role, recognitions, expectations."""

from django import template

from cohorts.models import Person
from programs.models import Program

from .. import selectors

register = template.Library()


def _launched():
    return list(Program.objects.filter(status=Program.Status.LAUNCHED).order_by("-start_date", "name")[:3])


@register.inclusion_tag("leadership/_home_manager_card.html")
def leadership_manager_card(person):
    """The manager's follow-through: sessions held vs expected per launched program."""
    rows = []
    if person is not None:
        mine = Person.objects.filter(pk=person.pk)
        for program in _launched():
            data = selectors.sessions_accountability(program, mine)
            if data["rows"]:
                rows.append((program, data["rows"][0]))
    alarms = selectors.recent_alarms(person) if person is not None else []
    return {"person": person, "rows": rows, "alarms": alarms}


@register.inclusion_tag("leadership/_home_leader_card.html", takes_context=True)
def leadership_leader_card(context):
    """Lead and executive home: the follow-through of each launched program."""
    programs = _launched()
    alarms = selectors.recent_alarms()
    rows = [(p, [a for a in alarms if a.program_id == p.pk], len(selectors.review_gap(p))) for p in programs]
    return {"rows": rows, "is_lead": context.get("user_role") == "lead"}


@register.simple_tag
def digest_alarms(manager):
    """Fade alarms of a manager's teams, for the weekly digest e-mail."""
    return selectors.recent_alarms(manager)


@register.inclusion_tag("leadership/_recognitions.html")
def recognitions_card(person):
    """Recognitions addressed to a seller or their team (their progress page)."""
    return {"recognitions": list(selectors.recognitions_for(person)) if person else []}


@register.simple_tag
def digest_recognitions(manager):
    """Last week's recognitions of a manager's people, for the weekly digest e-mail."""
    return list(selectors.recognitions_for_digest(manager))


@register.inclusion_tag("leadership/_expectations_panel.html", takes_context=True)
def expectations_panel(context, program, scope, view):
    """The dashboard's "Expectations" section: each expectation against its indicator."""
    return {"rows": selectors.expectations_against(program, view, scope), "program": program}


@register.simple_tag
def team_sessions_by_manager(program, managers):
    """{manager id: (held, expected)} of team reinforcement sessions for the dashboard's
    accountability table (`managers` are its rows, with `manager_id`)."""
    return selectors.sessions_held_by_manager(program, [r.get("manager_id") for r in managers])


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
