import pytest

from programs.models import Program
from reinforcement.measurement.models import DashboardSnapshot
from reinforcement.measurement.tasks import refresh_snapshots

pytestmark = pytest.mark.django_db


def test_the_periodic_job_refreshes_launched_programs_only(measured, org):
    from tests.factories import make_ready_program

    draft = make_ready_program(owner=org.lead, name="Draft", status=Program.Status.DRAFT)
    count = refresh_snapshots.apply().get()
    assert count >= 1
    assert DashboardSnapshot.objects.filter(program=measured["program"], region_key=0).exists()
    assert not DashboardSnapshot.objects.filter(program=draft).exists()
