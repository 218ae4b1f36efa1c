from datetime import timedelta

import pytest
from django.utils import timezone

from cohorts.models import Cohort, CohortMember, Enrollment, Session
from cohorts.selectors import attendance_for, holdout_people, people_in_scope, trained_people
from cohorts.services.sessions import cohort_enroll

pytestmark = pytest.mark.django_db


def test_scope_is_the_confirmed_members_holdout_included(planned, org):
    assert set(people_in_scope(planned)) == {
        org.people[name] for name in ("vp", "manager", "seller", "seller_b", "other_manager", "other_seller")
    }
    assert set(holdout_people(planned)) == {org.people["other_manager"], org.people["other_seller"]}
    CohortMember.objects.filter(program=planned, person=org.people["seller_b"]).update(status="declined")
    assert org.people["seller_b"] not in people_in_scope(planned)


def test_trained_people_and_attendance_come_from_marked_enrollments(planned, org):
    start = timezone.now() - timedelta(days=2)
    session = Session.objects.create(
        cohort=Cohort.objects.get(program=planned, name="Pilot · Team A"),
        title="Day one",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        meeting_url="https://meet.example.com/d",
    )
    cohort_enroll(session=session)
    session.enrollments.filter(person=org.people["seller"]).update(attendance=Enrollment.Attendance.ATTENDED)
    session.enrollments.filter(person=org.people["seller_b"]).update(attendance=Enrollment.Attendance.NO_SHOW)
    assert list(trained_people(planned)) == [org.people["seller"]]
    rows = {row["person_id"]: row["attendance"] for row in attendance_for(planned)}
    assert rows == {org.people["seller"].pk: "attended", org.people["seller_b"].pk: "no_show"}
