"""Recognitions (given from the dashboard, seen by the seller and in the digest) and each
expectation of the buy-in plan against its indicator on the dashboard."""

import pytest
from django.core import mail
from django.urls import reverse

from programs.models import Expectation
from reinforcement.leadership.models import Recognition
from reinforcement.leadership.selectors import expectations_against
from reinforcement.measurement.figures import present
from reinforcement.measurement.selectors import Scope, live_data
from reinforcement.services import nudges

from . import handbuilt

pytestmark = pytest.mark.django_db


def recognise(client, **target):
    url = reverse("leadership:recognise")
    return client.post(url, {**target, "message": "Two discovery calls that changed the deal."})


def test_a_manager_recognises_their_seller_who_sees_it_on_their_progress_page(client, org, launched):
    client.force_login(org.manager)
    seller = org.people["seller"]
    response = recognise(client, person=seller.pk, program=launched.pk)
    assert response.url == reverse("reinforcement:person", args=[seller.pk])
    client.force_login(org.seller)
    page = client.get(reverse("reinforcement:my_progress")).content.decode()
    assert "Two discovery calls that changed the deal." in page
    client.force_login(org.other_seller)
    assert "Two discovery calls" not in client.get(reverse("reinforcement:my_progress")).content.decode()


def test_a_team_recognition_reaches_every_member_and_the_managers_digest(client, org, launched):
    client.force_login(org.executive)
    recognise(client, team=org.teams["a"].pk)
    client.force_login(org.seller)
    assert "to team Team A" in client.get(reverse("reinforcement:my_progress")).content.decode()
    nudges.digests_plan()
    token, ids = nudges.nudges_claim()
    nudges.nudges_deliver(nudge_ids=ids, lease_token=token)
    digest = next(m for m in mail.outbox if m.to == [org.people["manager"].email])
    assert "Recognised this week (1)" in digest.body and "Two discovery calls" in digest.alternatives[0][0]
    other = next(m for m in mail.outbox if m.to == [org.people["other_manager"].email])
    assert "Recognised this week" not in other.body


def test_recognition_is_refused_outside_ones_reach(client, org, launched):
    client.force_login(org.other_manager)
    assert recognise(client, person=org.people["seller"].pk).status_code == 404
    assert recognise(client, team=org.teams["a"].pk).status_code == 404
    client.force_login(org.seller)
    assert recognise(client, person=org.people["seller_b"].pk).status_code == 403
    assert client.post(reverse("leadership:recognise"), {"message": "x"}).status_code == 403
    client.force_login(org.manager)
    assert client.post(reverse("leadership:recognise"), {"message": "x"}).status_code == 404
    assert recognise(client, person=org.people["seller"].pk, next="https://evil.example/").url.startswith(
        "/reinforcement/people/"
    )
    assert recognise(client, person="abc").status_code == 404
    assert Recognition.objects.count() == 1


def test_expectations_are_shown_against_their_indicators(client, org, launched):
    handbuilt.build(org, launched)
    for audience, indicator, target in (
        ("sellers", "questions_answered", 50),
        ("sellers", "stage_reached", 75),
        ("managers", "team_sessions", 80),
        ("leadership", "weekly_reviews", 100),
        ("sellers", "practice_attempts", 80),
    ):
        Expectation.objects.create(
            program=launched, audience=audience, expected="x", indicator=indicator, target_percent=target
        )
    view = present(live_data(Scope(launched)))
    rows = {r["expectation"].indicator: r for r in expectations_against(launched, view)}
    assert (rows["questions_answered"]["value"], rows["questions_answered"]["met"]) == (0.5, True)
    assert (rows["stage_reached"]["value"], rows["stage_reached"]["met"]) == (0.5, False)
    assert (rows["team_sessions"]["value"], rows["team_sessions"]["met"]) == (0.0, False)  # 0 of 4
    assert rows["weekly_reviews"]["value"] == pytest.approx(1 / 4)  # one of four weeks reviewed
    assert rows["practice_attempts"]["value"] is None and rows["practice_attempts"]["met"] is None
    client.force_login(org.executive)
    page = client.get(reverse("measurement:dashboard"), {"program": launched.pk}).content.decode()
    assert "Expectations after launch" in page and "not measured yet" in page
    assert reverse("leadership:recognise") in page
