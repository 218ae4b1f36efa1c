"""Reads reused by several views: programs with their readiness answers loaded in one go."""

from django.db.models import Prefetch

from .models import Program, ProgramChange, ProgramSkill


def program_queryset():
    """Programs with everything readiness and the recommendations read, in a fixed number of queries."""
    return Program.objects.select_related("owner", "reinforcement_plan", "buy_in").prefetch_related(
        "metrics__metric",
        Prefetch(
            "skills", queryset=ProgramSkill.objects.select_related("skill").prefetch_related("moves_metrics")
        ),
        "skill_gaps",
        "decisions",
    )


def program_changes(program, *, limit=25):
    return ProgramChange.objects.filter(program=program).select_related("user")[:limit]
