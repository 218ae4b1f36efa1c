from django import template

register = template.Library()


@register.filter
def mmss(seconds):
    """75 -> '1:15'."""
    seconds = int(seconds or 0)
    return f"{seconds // 60}:{seconds % 60:02d}"


@register.inclusion_tag("practice/_home_card.html", takes_context=True)
def practice_card(context, person):
    """Home card: scenarios to practise (sellers) and practice waiting for review (reviewers)."""
    from rolloutplanner.roles import Role

    from ..selectors import review_requests, scenarios_for_person

    role = context.get("user_role")
    if person is None:
        return {"person": None}
    requests = review_requests(person)
    return {
        "person": person,
        "is_seller": role == Role.SELLER,
        "scenario_count": len(scenarios_for_person(person)) if role == Role.SELLER else 0,
        "requests": requests[:5],
        "request_count": len(requests),
        "overdue": sum(1 for a in requests if a.overdue),
    }


@register.inclusion_tag("practice/_certificates.html")
def practice_certificates(person):
    """Certificates on the progress page, with date, reviewer and expiry."""
    from ..selectors import certificates_of

    return {"certificates": certificates_of(person)}
