"""A program's dashboard counts only that program's evidence."""

from datetime import timedelta

import pytest
from django.urls import reverse

from cohorts.models import CohortMember
from programs.models import Program
from reinforcement.models import CoachingSession
from tests.factories import make_ready_program

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_a_new_program_on_the_same_skills_shows_no_evidence_from_another(client, org, measured):
    new = make_ready_program(owner=org.lead, name="Second wave", status=Program.Status.READY)
    shared = set(new.skills.values_list("skill_id", flat=True))
    assert shared & set(measured["program"].skills.values_list("skill_id", flat=True))
    for key in ("seller", "seller_b", "other_seller"):
        CohortMember.objects.create(program=new, person=org.people[key], status=CohortMember.Status.CONFIRMED)
    legacy = CoachingSession.objects.create(
        manager=org.people["manager"], kind="one_on_one", occurred_on=TODAY - timedelta(days=1)
    )
    legacy.sellers.set([org.people["seller"]])
    client.force_login(org.executive)
    view = client.get(reverse("measurement:dashboard"), {"program": new.pk}).context["view"]
    assert view["people"] == 3
    assert view["adoption"] == 0
    assert all(s["counts"][0] == 3 for s in view["skills"])  # everyone Not started
    assert (view["leading"]["coaching_logged"], view["leading"]["reviews"]) == (0, 0)
    measured_view = client.get(reverse("measurement:dashboard"), {"program": measured["program"].pk})
    assert measured_view.context["view"]["leading"]["coaching_logged"] == 3  # the legacy session is nobody's
