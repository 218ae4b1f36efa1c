"""The four readiness forms: good answers are saved, bad ones are answered beside the field."""

import pytest
from django.urls import reverse

from programs.models import Metric, ProgramChange, ProgramMetric, ReinforcementPlan, Skill, SkillGap

pytestmark = pytest.mark.django_db


def _metric_row(metric, baseline="20", target="25", include=True, **extra):
    p = f"m{metric.pk}_"
    row = {
        p + "baseline": baseline,
        p + "target": target,
        p + "unit": "%",
        p + "direction": "up",
        p + "horizon_months": "9",
        p + "data_source": "CRM",
        **{p + k: v for k, v in extra.items()},
    }
    if include:
        row[p + "include"] = "on"
    return row


@pytest.fixture
def lead_client(client, org):
    client.force_login(org.lead)
    return client


def test_two_metrics_are_saved_with_their_targets(lead_client, draft):
    win, margin = Metric.objects.get(name="Win rate"), Metric.objects.get(name="Margin")
    data = {**_metric_row(win), **_metric_row(margin, "30", "34")}
    response = lead_client.post(reverse("programs:readiness_metrics", args=[draft.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:readiness_skills", args=[draft.pk])
    saved = {pm.metric.name: (pm.baseline, pm.target) for pm in draft.metrics.all()}
    assert saved == {"Win rate": (20, 25), "Margin": (30, 34)}
    assert "Success metrics: added" in ProgramChange.objects.get(program=draft).summary


def test_a_third_metric_needs_a_reason_beside_the_reason_field(lead_client, draft):
    metrics = Metric.objects.filter(name__in=["Win rate", "Margin", "Revenue"])
    data = {}
    for m in metrics:
        data.update(_metric_row(m, "10", "12"))
    url = reverse("programs:readiness_metrics", args=[draft.pk])
    response = lead_client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [
        "You chose 3 metrics: say why the program needs more than two."
    ]
    assert not ProgramMetric.objects.exists()
    response = lead_client.post(url, {**data, "reason": "The board tracks all three."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.metrics.count() == 3
    assert draft.metrics_reason == "The board tracks all three."


def test_a_target_on_the_wrong_side_and_a_missing_source_are_flagged_per_field(lead_client, draft):
    win = Metric.objects.get(name="Win rate")
    data = _metric_row(win, "20", "18", data_source="")
    response = lead_client.post(reverse("programs:readiness_metrics", args=[draft.pk]), data)
    errors = response.context["form"].errors
    assert errors[f"m{win.pk}_target"] == ["Higher is better: the target must be above the baseline."]
    assert errors[f"m{win.pk}_data_source"] == ["Needed for a chosen metric."]
    assert not ProgramMetric.objects.exists()


def test_choosing_no_metric_is_refused(lead_client, draft):
    response = lead_client.post(reverse("programs:readiness_metrics", args=[draft.pk]), {})
    assert "Choose at least one success metric." in response.content.decode()


def test_unticking_a_metric_removes_it(lead_client, ready):
    win = Metric.objects.get(name="Win rate")
    lead_client.post(reverse("programs:readiness_metrics", args=[ready.pk]), _metric_row(win))
    assert [pm.metric.name for pm in ready.metrics.all()] == ["Win rate"]


def test_skills_are_saved_linked_to_the_metrics_they_move(lead_client, ready):
    win = ready.metrics.get(metric__name="Win rate")
    qualifying, presenting = Skill.objects.get(name="Qualifying"), Skill.objects.get(name="Presenting")
    data = {
        f"s{qualifying.pk}_include": "on",
        f"s{qualifying.pk}_moves": [str(win.pk)],
        f"s{presenting.pk}_include": "on",
        f"s{presenting.pk}_moves": [str(win.pk)],
        f"s{presenting.pk}_why": "Final presentations decide deals",
    }
    response = lead_client.post(reverse("programs:readiness_skills", args=[ready.pk]), data)
    assert response.status_code == 302
    assert sorted(ps.skill.name for ps in ready.skills.all()) == ["Presenting", "Qualifying"]
    assert ready.skills.get(skill=presenting).why_it_matters == "Final presentations decide deals"


def test_a_skill_without_a_metric_is_refused_beside_it(lead_client, ready):
    presenting = Skill.objects.get(name="Presenting")
    data = {f"s{presenting.pk}_include": "on"}
    response = lead_client.post(reverse("programs:readiness_skills", args=[ready.pk]), data)
    assert response.context["form"].errors[f"s{presenting.pk}_moves"] == [
        "Link the skill to at least one metric it moves."
    ]
    assert not ready.skills.filter(skill=presenting).exists()


def test_more_than_five_skills_are_saved_with_a_warning(lead_client, ready):
    win = ready.metrics.first()
    data = {}
    for skill in Skill.objects.all()[:6]:
        data[f"s{skill.pk}_include"] = "on"
        data[f"s{skill.pk}_moves"] = [str(win.pk)]
    response = lead_client.post(reverse("programs:readiness_skills", args=[ready.pk]), data, follow=True)
    assert ready.skills.count() == 6
    assert "More than five skills" in response.content.decode()


def test_the_skills_page_asks_for_metrics_first(lead_client, draft):
    page = lead_client.get(reverse("programs:readiness_skills", args=[draft.pk])).content.decode()
    assert "Choose the" in page and "success metrics" in page


def _gap_data(rows, total=None):
    data = {
        "gaps-TOTAL_FORMS": str(total or len(rows)),
        "gaps-INITIAL_FORMS": "0",
        "gaps-MIN_NUM_FORMS": "0",
        "gaps-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"gaps-{i}-{k}": v for k, v in row.items()})
    return data


def test_skill_gaps_replace_the_previous_entries_and_blank_rows_are_ignored(lead_client, ready):
    qualifying = ready.skills.get(skill__name="Qualifying")
    negotiating = ready.skills.get(skill__name="Negotiating")
    rows = [
        {
            "program_skill": qualifying.pk,
            "segment": "EMEA",
            "limiters": "Skip budget",
            "baseline_proficiency": "2",
        },
        {
            "program_skill": qualifying.pk,
            "segment": "APAC",
            "strengths": "Thorough",
            "baseline_proficiency": "4",
        },
        {
            "program_skill": negotiating.pk,
            "segment": "All",
            "limiters": "Discount early",
            "baseline_proficiency": "2",
        },
        {"program_skill": "", "segment": "", "source": "typed"},
    ]
    response = lead_client.post(reverse("programs:readiness_gaps", args=[ready.pk]), _gap_data(rows))
    assert response.status_code == 302
    assert sorted(ready.skill_gaps.values_list("segment", "baseline_proficiency")) == [
        ("APAC", 4),
        ("All", 2),
        ("EMEA", 2),
    ]


def test_a_gap_row_without_a_baseline_or_twice_the_same_segment_is_refused(lead_client, ready):
    qualifying = ready.skills.get(skill__name="Qualifying")
    rows = [
        {"program_skill": qualifying.pk, "segment": "EMEA", "limiters": "x", "baseline_proficiency": ""},
        {"program_skill": qualifying.pk, "segment": "emea", "limiters": "y", "baseline_proficiency": "3"},
    ]
    before = list(SkillGap.objects.values_list("pk", flat=True))
    response = lead_client.post(reverse("programs:readiness_gaps", args=[ready.pk]), _gap_data(rows))
    formset = response.context["formset"]
    assert formset.forms[0].errors["baseline_proficiency"] == ["This field is required."]
    assert list(SkillGap.objects.values_list("pk", flat=True)) == before


def test_duplicate_segments_are_flagged_on_the_row(lead_client, ready):
    qualifying = ready.skills.get(skill__name="Qualifying")
    rows = [
        {"program_skill": qualifying.pk, "segment": "EMEA", "limiters": "x", "baseline_proficiency": "2"},
        {"program_skill": qualifying.pk, "segment": "emea", "limiters": "y", "baseline_proficiency": "3"},
    ]
    response = lead_client.post(reverse("programs:readiness_gaps", args=[ready.pk]), _gap_data(rows))
    assert response.context["formset"].forms[1].errors["segment"] == [
        "This skill already has an entry for this segment."
    ]


def test_the_reinforcement_plan_is_saved_and_audited(lead_client, draft):
    data = {
        "methods": ["manager_coaching", "role_play"],
        "coaching_cadence": "weekly",
        "coaching_sessions_per_rep": "2",
        "owner": "Sales directors",
        "leading_indicators": "Role plays done",
        "lagging_indicators": "Win rate",
    }
    response = lead_client.post(reverse("programs:readiness_reinforcement", args=[draft.pk]), data)
    assert response.status_code == 302
    plan = ReinforcementPlan.objects.get(program=draft)
    assert plan.methods == ["manager_coaching", "role_play"]
    assert plan.method_labels() == ["Manager coaching", "Role-play practice"]
    assert ProgramChange.objects.filter(program=draft, summary="Reinforcement plan written").exists()


def test_an_impossible_coaching_count_is_refused(lead_client, draft):
    data = {"methods": ["gamification"], "coaching_cadence": "weekly", "coaching_sessions_per_rep": "50"}
    response = lead_client.post(reverse("programs:readiness_reinforcement", args=[draft.pk]), data)
    assert response.context["form"].errors["coaching_sessions_per_rep"] == ["Between 1 and 20 conversations."]
    assert not ReinforcementPlan.objects.exists()


def test_a_skill_with_seller_progress_elsewhere_cannot_be_unticked(lead_client, org, ready):
    from django.apps import apps

    SkillStage = apps.get_model("reinforcement", "SkillStage")
    qualifying = ready.skills.get(skill__name="Qualifying")
    SkillStage.objects.create(person=org.people["seller"], program_skill=qualifying)
    negotiating = ready.skills.get(skill__name="Negotiating")
    size = ready.metrics.get(metric__name="Deal size")
    data = {f"s{negotiating.skill_id}_include": "on", f"s{negotiating.skill_id}_moves": [str(size.pk)]}
    response = lead_client.post(reverse("programs:readiness_skills", args=[ready.pk]), data)
    assert response.status_code == 200
    assert "Qualifying already has 1 record(s) of progress elsewhere" in response.content.decode()
    assert ready.skills.filter(pk=qualifying.pk).exists()
    assert SkillStage.objects.filter(program_skill=qualifying).exists()
