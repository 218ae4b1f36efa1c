"""Weekly leadership review meetings and their follow-ups."""

from django.db import transaction

from ..models import FollowUp, ReviewMeeting


@transaction.atomic
def review_meeting_record(*, program, held_on, attendees, decisions, follow_ups, user):
    """Save a meeting with its follow-ups (dicts with action, owner, due_on)."""
    meeting = ReviewMeeting.objects.create(
        program=program, held_on=held_on, attendees=attendees, decisions=decisions, recorded_by=user
    )
    FollowUp.objects.bulk_create(
        FollowUp(meeting=meeting, action=f["action"], owner=f["owner"], due_on=f["due_on"])
        for f in follow_ups
    )
    return meeting


def follow_up_done(*, follow_up):
    follow_up.done = True
    follow_up.save(update_fields=["done"])
    return follow_up
