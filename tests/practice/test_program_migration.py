"""Existing attempts get the program the seller trained the skill in on the attempt's day;
what they earned in other programs is taken back; unplaceable attempts keep no program."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE_APP = ("practice", "0003_attempt_program")
AFTER = ("practice", "0004_practice_evidence_per_program")


def _at(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


@pytest.mark.django_db(transaction=True)
def test_legacy_attempts_go_to_the_program_running_on_their_day_and_lose_other_programs_earnings():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    before = [n for n in leaves if n[0] != "practice"] + [BEFORE_APP]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    User = old.get_model("auth", "User")
    Person = old.get_model("cohorts", "Person")
    Program = old.get_model("programs", "Program")
    Skill = old.get_model("programs", "Skill")
    ProgramSkill = old.get_model("programs", "ProgramSkill")
    SkillStage = old.get_model("reinforcement", "SkillStage")
    Scenario = old.get_model("practice", "Scenario")
    Attempt = old.get_model("practice", "Attempt")
    Review = old.get_model("practice", "Review")
    Certificate = old.get_model("practice", "Certificate")
    PointEntry = old.get_model("practice", "PointEntry")

    owner = User.objects.create(username="owner")
    spring = Program.objects.create(name="Spring", owner=owner, start_date=date(2026, 1, 1))
    summer = Program.objects.create(name="Summer", owner=owner, start_date=date(2026, 6, 1))
    unscheduled = Program.objects.create(name="Unscheduled", owner=owner)
    skill = Skill.objects.create(name="Haggling")
    spring_ps, summer_ps, unscheduled_ps = (
        ProgramSkill.objects.create(program=p, skill=skill) for p in (spring, summer, unscheduled)
    )
    both = Person.objects.create(first_name="Both", last_name="Programs", email="both@example.com")
    later = Person.objects.create(first_name="Later", last_name="Only", email="later@example.com")
    nowhere = Person.objects.create(first_name="No", last_name="Program", email="no@example.com")
    reviewer = Person.objects.create(first_name="The", last_name="Manager", email="boss@example.com")
    for ps in (spring_ps, summer_ps):
        SkillStage.objects.create(person=both, program_skill=ps)
    SkillStage.objects.create(person=later, program_skill=unscheduled_ps)
    scenario = Scenario.objects.create(
        skill=skill, title="Price pushback", situation="s", buyer_role="b", what_good_looks_like="w"
    )

    def attempt(person, day, number=1):
        return Attempt.objects.create(
            scenario=scenario,
            person=person,
            number=number,
            kind="written",
            text="An answer.",
            status="reviewed",
            created_at=_at(day),
            submitted_at=_at(day),
        )

    in_spring = attempt(both, date(2026, 3, 1))
    in_summer = attempt(both, date(2026, 7, 1), number=2)
    before_any = attempt(later, date(2025, 12, 1))  # no program started yet: the earliest one
    unplaceable = attempt(nowhere, date(2026, 3, 1))
    review = Review.objects.create(
        attempt=in_spring, reviewer=reviewer, scores=[5], score=Decimal("5"), created_at=_at(date(2026, 3, 2))
    )
    kept_certificate = Certificate.objects.create(
        person=both,
        program_skill=spring_ps,
        review=review,
        reviewer=reviewer,
        score=5,
        issued_at=_at(date(2026, 3, 2)),
    )
    foreign_certificate = Certificate.objects.create(
        person=both,
        program_skill=summer_ps,
        review=review,
        reviewer=reviewer,
        score=5,
        issued_at=_at(date(2026, 3, 2)),
    )
    for program, key, kind in (
        (spring, f"practice:{in_spring.pk}", "practice"),
        (summer, f"practice:{in_spring.pk}", "practice"),  # A's attempt earned in B: taken back
        (summer, f"practice:{in_summer.pk}", "practice"),
        (spring, f"certificate:{kept_certificate.pk}", "certificate"),
        (summer, f"certificate:{foreign_certificate.pk}", "certificate"),
        (summer, f"practice:{unplaceable.pk}", "practice"),
    ):
        PointEntry.objects.create(
            program=program, person=both, kind=kind, points=5, source_key=key, earned_at=_at(date(2026, 3, 2))
        )

    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])
    new = executor.loader.project_state([AFTER]).apps
    Attempt = new.get_model("practice", "Attempt")
    Certificate = new.get_model("practice", "Certificate")
    PointEntry = new.get_model("practice", "PointEntry")
    programs = dict(Attempt.objects.values_list("id", "program_id"))
    assert programs == {
        in_spring.pk: spring.pk,
        in_summer.pk: summer.pk,
        before_any.pk: unscheduled.pk,
        unplaceable.pk: None,
    }
    assert list(Certificate.objects.values_list("id", flat=True)) == [kept_certificate.pk]
    assert set(PointEntry.objects.values_list("program_id", "source_key")) == {
        (spring.pk, f"practice:{in_spring.pk}"),
        (summer.pk, f"practice:{in_summer.pk}"),
        (spring.pk, f"certificate:{kept_certificate.pk}"),
    }
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
