from django import template

register = template.Library()


@register.filter
def pct(value, digits=0):
    """0.753 -> '75%' (or '75.3%' with digits=1); '–' when there is nothing to count."""
    if value is None or value == "":
        return "–"
    return f"{100 * float(value):.{int(digits)}f}%"


@register.filter
def num(value, digits=2):
    if value is None or value == "":
        return "–"
    return f"{float(value):,.{int(digits)}f}"


@register.filter
def signed(value, digits=2):
    if value is None or value == "":
        return "–"
    return f"{float(value):+,.{int(digits)}f}"


@register.filter
def goal_class(value, goal):
    """Bootstrap text class for a share against its goal."""
    if value is None:
        return "text-secondary"
    return (
        "text-success"
        if value >= goal
        else ("text-warning-emphasis" if value >= goal * 0.6 else "text-danger")
    )


@register.inclusion_tag("measurement/_headline.html")
def adoption_headline():
    """Headline figures of the program the dashboard opens on, from its stored snapshot; before
    launch the sentence saying when figures start instead (a snapshot left from an earlier
    launch is never read)."""
    from reinforcement.selectors import shows_progress

    from ..figures import present
    from ..models import DashboardSnapshot
    from ..selectors import dashboard_programs, default_program, not_launched_note

    program = default_program(dashboard_programs())
    if program is not None and not shows_progress(program):
        return {"program": program, "not_launched": not_launched_note(program)}
    snapshot = DashboardSnapshot.objects.filter(program=program, region_key=0).first() if program else None
    view = present(snapshot.data) if snapshot else None
    return {"program": program, "snapshot": snapshot, "view": view}
