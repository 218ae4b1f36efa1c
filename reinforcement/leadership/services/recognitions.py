"""Recognitions: a note from a leader to a seller or a team."""

from django.utils import timezone

from ..models import Recognition


def recognition_give(*, giver, message, person=None, team=None, program=None):
    if (person is None) == (team is None):
        raise ValueError("Recognise either one seller or one team.")
    return Recognition.objects.create(
        giver=giver, person=person, team=team, program=program, message=message, created_at=timezone.now()
    )
