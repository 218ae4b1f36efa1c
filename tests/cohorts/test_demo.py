from io import StringIO

import pytest
from django.core.management import call_command

from cohorts.demo import DEMO_PROGRAM, demo_org_csv, seed_cohorts
from cohorts.models import Cohort, CohortMember, Enrollment, ImportJob, Session
from cohorts.selectors import plan_violations
from cohorts.services.org_import import org_import_run
from cohorts.services.planning import plan_build, plan_save
from programs.models import Program

pytestmark = pytest.mark.django_db


def test_the_demo_program_gets_a_scheduled_plan_once(demo_data):
    program = Program.objects.get(name=DEMO_PROGRAM)
    counts = (
        Cohort.objects.filter(program=program).count(),
        Session.objects.filter(cohort__program=program).count(),
        Enrollment.objects.filter(session__cohort__program=program).count(),
    )
    assert counts[0] > 10 and counts[1] > 10 and counts[2] > 100
    assert plan_violations(program) == []
    assert seed_cohorts() is None
    call_command("seed_demo", stdout=StringIO())
    assert counts == (
        Cohort.objects.filter(program=program).count(),
        Session.objects.filter(cohort__program=program).count(),
        Enrollment.objects.filter(session__cohort__program=program).count(),
    )


def test_the_demo_file_adds_three_new_hires_and_one_of_them_breaks_the_manager_order(demo_data):
    job = ImportJob.objects.create(file_name="demo.csv", content=demo_org_csv().encode())
    job = org_import_run(job_id=job.pk)
    assert (job.status, job.created_count, job.updated_count) == (ImportJob.Status.SUCCEEDED, 3, 0)
    program = Program.objects.get(name=DEMO_PROGRAM)
    plan_save(program=program, plan=plan_build(program))
    [violation] = plan_violations(program)
    assert violation["report"].email.startswith("noor.lindqvist")
    assert violation["manager_cohort"].wave.kind == "holdout"
    new_hires = CohortMember.objects.filter(program=program, person__hire_date__gte="2026-11-16")
    assert sorted(new_hires.values_list("person__last_name", flat=True)) == [
        "Achterberg",
        "Lindqvist",
        "Marchetti",
    ]
