from django import template

register = template.Library()


@register.filter
def percent(value):
    """0.734 → "73%"; empty for None."""
    if value is None or value == "":
        return ""
    return f"{round(float(value) * 100)}%"


@register.inclusion_tag("reinforcement/_home_manager_card.html")
def coaching_card(person):
    """The manager home card. Its overdue counts load separately, so the home page itself runs
    no reinforcement queries (`reinforcement:home_coaching_counts`)."""
    return {"person": person}


@register.inclusion_tag("reinforcement/_home_seller_card.html")
def progress_card(person):
    """The seller home card: questions waiting, stages per skill, open action plans."""
    from reinforcement.models import ActionPlan, SkillStage
    from reinforcement.selectors import PROGRESS_SHOWN, STAGE_COLOURS, seller_questions

    if person is None:
        return {"person": None}
    stages = list(
        SkillStage.objects.filter(person=person, program_skill__program__status__in=PROGRESS_SHOWN)
        .select_related("program_skill__skill", "program_skill__program")
        .order_by("program_skill_id")
    )
    for stage in stages:
        stage.colour = STAGE_COLOURS[stage.stage]
    return {
        "person": person,
        "questions": seller_questions(person),
        "stages": stages,
        "open_plans": ActionPlan.objects.filter(person=person, status=ActionPlan.Status.OPEN).count(),
    }
