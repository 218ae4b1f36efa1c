from django import template

register = template.Library()


@register.filter
def percent(value):
    """0.734 → "73%"; empty for None."""
    if value is None or value == "":
        return ""
    return f"{round(float(value) * 100)}%"
