"""Saving a program's rules recomputes its stages in the background, after the request answers
(in-process when no broker is set up, in a background thread when the broker is down), and the
rules page says where that recompute stands."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from reinforcement import tasks
from reinforcement.models import ReinforcementRules, SkillStage, Stage, StageEvent
from reinforcement.services.stages import stages_recompute

pytestmark = pytest.mark.django_db


@pytest.fixture
def qualified(learned, program):
    """`learned` with its stages recomputed: the seller has reached Learn on both skills."""
    stages_recompute(program_ids=[program.pk])
    assert set(SkillStage.objects.filter(person=learned).values_list("stage", flat=True)) == {Stage.LEARN}
    return learned


def stages(person):
    return sorted(SkillStage.objects.filter(person=person).values_list("stage", flat=True))


def stricter_rules(client, program):
    """The rules form's current values with a pass score the seller's 85 no longer meets."""
    form = client.get(reverse("reinforcement:rules", args=[program.pk])).context["form"]
    data = {name: ("on" if v is True else v) for name, v in form.initial.items() if v not in (False, None)}
    return {**data, "pass_score": 95}


def rules_page(client, program):
    return client.get(reverse("reinforcement:rules", args=[program.pk])).content.decode()


def test_saving_the_rules_answers_at_once_and_the_stages_are_recomputed_after(
    client, org, program, qualified, eager_celery, django_capture_on_commit_callbacks
):
    client.force_login(org.lead)
    data = stricter_rules(client, program)
    events = StageEvent.objects.count()
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("reinforcement:rules", args=[program.pk]), data)
    assert response.status_code == 302
    assert stages(qualified) == [Stage.LEARN, Stage.LEARN]  # the request recomputed nothing
    assert StageEvent.objects.count() == events
    assert ReinforcementRules.objects.get(program=program).pass_score == 95
    assert "Recomputing the stages with the rules saved" in rules_page(client, program)

    assert len(queued) == 1
    queued[0]()  # the worker picks the task up
    assert stages(qualified) == [Stage.NOT_STARTED, Stage.NOT_STARTED]
    moves = StageEvent.objects.filter(reason__startswith="Program rules changed")
    assert moves.count() == 2
    rules = ReinforcementRules.objects.get(program=program)
    assert rules.stages_recomputed_at >= rules.stages_queued_at
    page = rules_page(client, program)
    assert "Stages last recomputed" in page and "Recomputing the stages" not in page

    # A second delivery of the same task does nothing: no duplicate events, same time.
    assert tasks.recompute_stages(program.pk) is None
    assert moves.count() == 2
    assert ReinforcementRules.objects.get(program=program).stages_recomputed_at == rules.stages_recomputed_at


def test_without_a_broker_the_recompute_runs_in_process_on_commit(
    client, org, program, qualified, eager_celery, django_capture_on_commit_callbacks
):
    client.force_login(org.lead)
    data = stricter_rules(client, program)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("reinforcement:rules", args=[program.pk]), data).status_code == 302
    assert stages(qualified) == [Stage.NOT_STARTED, Stage.NOT_STARTED]


def test_with_the_broker_down_a_background_thread_recomputes(
    client, org, program, qualified, monkeypatch, django_capture_on_commit_callbacks
):
    from rolloutplanner.background import runner

    def broker_down(*args, **kwargs):
        raise OperationalError("connection refused")

    ran = []
    monkeypatch.setattr(tasks.recompute_stages, "delay", broker_down)
    # The test's transaction is not visible to another thread's connection: run it here instead.
    monkeypatch.setattr(runner(), "submit", lambda func, *args: ran.append(func(*args)) or True)
    client.force_login(org.lead)
    data = stricter_rules(client, program)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("reinforcement:rules", args=[program.pk]), data).status_code == 302
    assert ran == [2]
    assert stages(qualified) == [Stage.NOT_STARTED, Stage.NOT_STARTED]


def test_with_the_broker_down_and_the_pool_full_the_page_says_why(
    client, org, program, qualified, monkeypatch, django_capture_on_commit_callbacks
):
    from rolloutplanner import background

    def broker_down(*args, **kwargs):
        raise OperationalError("connection refused")

    class Full:
        def submit(self, *args):
            return False

    monkeypatch.setattr(tasks.recompute_stages, "delay", broker_down)
    monkeypatch.setattr(background, "runner", lambda: Full())
    client.force_login(org.lead)
    data = stricter_rules(client, program)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("reinforcement:rules", args=[program.pk]), data).status_code == 302
    assert stages(qualified) == [Stage.LEARN, Stage.LEARN]
    page = rules_page(client, program)
    assert "The stages were not recomputed with the latest rules" in page
    assert "the nightly recompute applies the new rules" in page

    # The nightly recompute applies them and the page says so.
    tasks.recompute_stages()
    assert stages(qualified) == [Stage.NOT_STARTED, Stage.NOT_STARTED]
    page = rules_page(client, program)
    assert "Stages last recomputed" in page and "not recomputed" not in page


def test_a_failing_recompute_keeps_its_reason_for_the_page(client, org, program, qualified, monkeypatch):
    from reinforcement.services import stages as stage_services

    def broken(**kwargs):
        raise RuntimeError("disk full")

    client.force_login(org.lead)
    client.post(reverse("reinforcement:rules", args=[program.pk]), stricter_rules(client, program))
    monkeypatch.setattr(stage_services, "stages_recompute", broken)
    assert tasks.recompute_stages(program.pk) is None
    rules = ReinforcementRules.objects.get(program=program)
    assert rules.stages_note.startswith("Stopped: disk full") and rules.stages_recomputed_at is None
    assert "Stopped: disk full" in rules_page(client, program)


def test_a_recompute_that_never_ran_is_shown_as_lost_after_the_job_timeout(
    client, org, program, qualified, settings
):
    settings.JOB_TIMEOUT_SECONDS = 30 * 60
    client.force_login(org.lead)
    client.post(reverse("reinforcement:rules", args=[program.pk]), stricter_rules(client, program))
    ReinforcementRules.objects.filter(program=program).update(
        stages_queued_at=timezone.now() - timedelta(minutes=45)
    )
    assert "did not finish; the nightly recompute applies them" in rules_page(client, program)


@pytest.mark.parametrize("who", ["seller", "manager", "executive"])
def test_only_leads_save_rules_and_nothing_is_queued_otherwise(
    client, org, program, qualified, who, django_capture_on_commit_callbacks
):
    client.force_login(org.lead)
    data = stricter_rules(client, program)
    client.force_login(getattr(org, who))
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("reinforcement:rules", args=[program.pk]), data)
    assert response.status_code == 403
    assert queued == []
    rules = ReinforcementRules.objects.get(program=program)
    assert rules.pass_score != 95 and rules.stages_queued_at is None
    assert stages(qualified) == [Stage.LEARN, Stage.LEARN]


def test_the_status_fields_are_not_part_of_the_rules_form(client, org, program, qualified):
    client.force_login(org.lead)
    form = client.get(reverse("reinforcement:rules", args=[program.pk])).context["form"]
    assert not {"stages_queued_at", "stages_recomputed_at", "stages_note"} & set(form.fields)
    data = {
        **stricter_rules(client, program),
        "stages_note": "<b>hi</b>",
        "stages_recomputed_at": "2020-01-01",
    }
    client.post(reverse("reinforcement:rules", args=[program.pk]), data)
    rules = ReinforcementRules.objects.get(program=program)
    assert rules.stages_note == "" and rules.stages_recomputed_at is None


def test_a_failure_reason_with_a_nul_character_is_still_kept(client, org, program, qualified, monkeypatch):
    from reinforcement.services import stages as stage_services

    def broken(**kwargs):
        raise RuntimeError("bad\x00value")

    client.force_login(org.lead)
    client.post(reverse("reinforcement:rules", args=[program.pk]), stricter_rules(client, program))
    monkeypatch.setattr(stage_services, "stages_recompute", broken)
    assert tasks.recompute_stages(program.pk) is None
    rules = ReinforcementRules.objects.get(program=program)
    assert rules.stages_note.startswith("Stopped: badvalue") and rules.stages_recomputed_at is None
