"""A launched program (four weeks ago) whose audience is Team A of the `org` personas."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cohorts.models import CohortMember
from programs.models import Program
from tests.factories import QuestionFactory, make_ready_program


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def launched(org):
    program = make_ready_program(
        owner=org.lead,
        name="Discovery 2026",
        status=Program.Status.LAUNCHED,
        start_date=timezone.localdate() - timedelta(days=28),
    )
    for key in ("seller", "seller_b"):
        CohortMember.objects.create(program=program, person=org.people[key])
    qualifying = program.skills.get(skill__name="Qualifying")
    qualifying.why_it_matters = "Sellers chase dead deals; qualifying early frees time for real ones"
    qualifying.save()
    QuestionFactory(skill=qualifying.skill, prompt="What tells you a deal has no budget behind it?")
    return program


@pytest.fixture
def qualifying(launched):
    return launched.skills.select_related("skill", "program").get(skill__name="Qualifying")
