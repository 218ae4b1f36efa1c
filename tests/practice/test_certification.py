"""Certification: a lead requires a manager-scored attempt at a threshold for Master."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reinforcement.evidence import Evidence, stage_for
from reinforcement.models import ReinforcementRules, Stage
from reinforcement.practice import services
from reinforcement.practice.models import Certificate, CertificationRule, ReviewerAssignment

pytestmark = pytest.mark.django_db


def master_evidence(**extra):
    return Evidence(
        attended=True,
        post_score=90,
        reviewed_cards=5,
        avg_stability=80,
        practice_ratings=[4, 4],
        application_ratings=[4],
        action_plans=1,
        observed_plans=1,
        high_ratings=3,
        signed_off=True,
        **extra,
    )


def test_master_waits_for_a_certificate_only_when_the_lead_requires_one():
    rules = ReinforcementRules()
    assert stage_for(master_evidence(), rules)[0] == Stage.MASTER
    stage, reason = stage_for(master_evidence(certification_required=True), rules, current=Stage.APPLY)
    assert stage == Stage.APPLY and "certified practice attempt" in reason
    assert stage_for(master_evidence(certification_required=True, certified=True), rules)[0] == Stage.MASTER


def test_scored_practice_counts_beside_role_plays_for_practice():
    rules = ReinforcementRules(practice_min_sessions=2, practice_min_rating=3)
    base = {"attended": True, "post_score": 90, "reviewed_cards": 3, "avg_stability": 10}
    assert stage_for(Evidence(**base, practice_ratings=[4]), rules)[0] == Stage.REMEMBER
    assert stage_for(Evidence(**base, practice_ratings=[4], practice_scores=[3]), rules)[0] == Stage.PRACTICE
    assert stage_for(Evidence(**base, practice_scores=[2, 2]), rules)[0] == Stage.REMEMBER


def test_a_lead_requires_certification_with_a_threshold_and_expiry(client, org, program_skills):
    ps = program_skills[0]
    client.force_login(org.lead)
    url = reverse("practice:program_settings", args=[ps.program_id])
    response = client.post(
        url,
        {
            "action": f"cert-{ps.pk}",
            f"cert{ps.pk}-required": "on",
            f"cert{ps.pk}-threshold": "4",
            f"cert{ps.pk}-valid_days": "365",
        },
    )
    assert response.status_code == 302
    rule = CertificationRule.objects.get(program_skill=ps)
    assert (rule.threshold, rule.valid_days) == (Decimal("4.00"), 365)
    bad = client.post(
        url, {"action": f"cert-{ps.pk}", f"cert{ps.pk}-required": "on", f"cert{ps.pk}-threshold": "7"}
    )
    assert bad.status_code == 400
    assert CertificationRule.objects.get(program_skill=ps).threshold == Decimal("4.00")


@pytest.fixture
def rule(program_skills):
    return CertificationRule.objects.create(
        program_skill=program_skills[0], threshold=Decimal("4"), valid_days=90
    )


def test_a_manager_score_at_the_threshold_certifies_and_the_progress_page_shows_it(
    client, org, enrolled, scenarios, rule
):
    seller, manager = org.people["seller"], org.people["manager"]
    low = services.attempt_write(
        person=seller, scenario=scenarios[0], text="A first try at the opening question."
    )
    services.review_submit(attempt=low, reviewer=manager, by_manager=True, scores=[4, 3])
    assert not Certificate.objects.exists()
    high = services.attempt_write(
        person=seller, scenario=scenarios[0], text="A rerun that opens with the cost."
    )
    services.review_submit(attempt=high, reviewer=manager, by_manager=True, scores=[4, 4])
    certificate = Certificate.objects.get()
    assert certificate.reviewer == manager and certificate.score == Decimal("4.00")
    assert timedelta(days=89) < certificate.expires_at - timezone.now() <= timedelta(days=90)
    client.force_login(org.seller)
    page = client.get(reverse("reinforcement:my_progress")).content.decode()
    assert "Certificates" in page and f"reviewed by {manager.full_name}" in page and "valid until" in page
    client.force_login(org.manager)
    assert manager.full_name in client.get(reverse("reinforcement:person", args=[seller.pk])).content.decode()


def test_a_peer_review_never_certifies(org, program, enrolled, scenarios, rule):
    from reinforcement.models import SkillStage

    peer = org.people["other_seller"]
    SkillStage.objects.filter(person=peer).update(stage=Stage.MASTER)
    ReviewerAssignment.objects.create(program=program, seller=org.people["seller"], reviewer=peer)
    attempt = services.attempt_write(
        person=org.people["seller"], scenario=scenarios[0], text="An answer worth five."
    )
    services.review_submit(attempt=attempt, reviewer=peer, by_manager=False, scores=[5, 5])
    assert not Certificate.objects.exists()


def test_an_expired_certificate_no_longer_counts(org, program_skills, enrolled, scenarios, rule):
    from reinforcement.practice.selectors import practice_evidence

    seller = org.people["seller"]
    attempt = services.attempt_write(
        person=seller, scenario=scenarios[0], text="An answer that meets the bar."
    )
    services.review_submit(attempt=attempt, reviewer=org.people["manager"], by_manager=True, scores=[5, 4])
    args = {
        "skill_ids": [program_skills[0].skill_id],
        "program_ids": [program_skills[0].program_id],
        "program_skill_ids": [rule.program_skill_id],
        "person_ids": [seller.pk],
    }
    assert (seller.pk, rule.program_skill_id) in practice_evidence(**args).certified
    later = timezone.now() + timedelta(days=91)
    assert (seller.pk, rule.program_skill_id) not in practice_evidence(**args, now=later).certified
