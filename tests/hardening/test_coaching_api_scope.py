"""Issue 11.1: a seller reads only their own coaching ratings through the API, as on the pages."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from programs.models import Skill
from reinforcement.models import CoachingRating, CoachingSession

pytestmark = pytest.mark.django_db


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


@pytest.fixture
def team_meeting(org):
    """The manager logs one team meeting for seller and seller_b, with a rating each."""
    skill = Skill.objects.create(name="Discovery")
    session = CoachingSession.objects.create(
        manager=org.people["manager"], kind="team_meeting", occurred_on="2026-11-20"
    )
    session.sellers.set([org.people["seller"], org.people["seller_b"]])
    CoachingRating.objects.create(session=session, seller=org.people["seller"], skill=skill, rating=4)
    CoachingRating.objects.create(session=session, seller=org.people["seller_b"], skill=skill, rating=2)
    return session


def test_a_seller_sees_only_their_own_rating_of_a_shared_session(client, org, team_meeting):
    body = client.get(reverse("api-coaching-sessions"), **auth(org.seller)).json()
    (session,) = body["results"]
    me = org.people["seller"].pk
    assert [r["seller"] for r in session["ratings"]] == [me]
    assert session["ratings"][0]["rating"] == 4
    assert session["sellers"] == [me]


def test_the_manager_still_sees_every_rating_of_the_session(client, org, team_meeting):
    body = client.get(reverse("api-coaching-sessions"), **auth(org.manager)).json()
    (session,) = body["results"]
    assert sorted(r["rating"] for r in session["ratings"]) == [2, 4]
    assert len(session["sellers"]) == 2
