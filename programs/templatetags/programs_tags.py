from django import template

from ..changelog import readable
from ..readiness import readiness_of
from ..selectors import program_queryset

register = template.Library()


@register.filter
def readable_changes(details):
    """A change's field changes as (label, old, new) in words."""
    return readable(details)


@register.inclusion_tag("programs/_home_programs.html")
def lead_programs(limit=6):
    """The most recently changed programs with their readiness, for the lead's home page."""
    programs = list(program_queryset().exclude(status="closed")[:limit])
    return {"rows": [(p, readiness_of(p)) for p in programs]}
