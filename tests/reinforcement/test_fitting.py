"""Per-program fitting: the nightly task fits a program's weights from its own review logs,
reschedules its cards, shows the fit and calibration on the rules page; only leads change it."""

from datetime import timedelta

import fsrs
import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Program
from reinforcement import tasks
from reinforcement.models import Card, ProgramSpacing, RescheduleJob, ReviewLog
from reinforcement.scheduling import memory_of, policy_for
from reinforcement.services import fitting
from reinforcement.spacing import Spacing

pytestmark = pytest.mark.django_db


def test_the_nightly_task_fits_the_program_and_reschedules_its_cards(answered, run_jobs):
    def schedule():  # when each card is asked next, or when it retired
        return {
            pk: (due, retired) for pk, due, retired in Card.objects.values_list("id", "due_at", "retired_at")
        }

    before = schedule()
    with run_jobs():
        assert tasks.fit_spacing_policies() == {"fitted": 1, "failed": 0}
    row = ProgramSpacing.objects.get(program=answered)
    assert row.fitted_at is not None and row.review_count == ReviewLog.objects.count()
    assert row.params["weights"] != list(fsrs.scheduler.DEFAULT_PARAMETERS)
    fit = row.params["fit"]
    assert fit["log_loss"] < fit["baseline_log_loss"]
    after = schedule()
    moved = [pk for pk in before if before[pk] != after[pk]]
    assert len(moved) > len(before) / 2
    policy = policy_for(Program.objects.get(pk=answered.pk))
    for card in Card.objects.filter(pk__in=moved[:20]):
        assert card.memory["reviews"] == card.review_logs.count()  # replayed from its history
        assert policy.next_due(memory_of(card)) == (None if card.retired_at else card.due_at)


def test_fitting_again_without_new_reviews_changes_nothing(answered, run_jobs):
    with run_jobs():
        fitting.program_spacing_fit(program=answered)
    row = ProgramSpacing.objects.get(program=answered)
    dues = list(Card.objects.order_by("id").values_list("due_at", flat=True))
    with run_jobs():
        fitting.program_spacing_fit(program=answered, now=timezone.now() + timedelta(days=1))
    assert RescheduleJob.objects.count() == 1
    again = ProgramSpacing.objects.get(program=answered)
    assert (again.fitted_at, again.params) == (row.fitted_at, row.params)
    assert list(Card.objects.order_by("id").values_list("due_at", flat=True)) == dues


def test_too_few_reviews_keep_the_defaults(org, program, learned):
    assert fitting.program_spacing_fit(program=program) is None
    # A new program ships exactly the module's default policy, the one `make simulate` measures.
    assert policy_for(program) == Spacing()


def test_the_rules_page_shows_the_fit_and_the_calibration(
    client, org, answered, django_assert_max_num_queries, run_jobs
):
    with run_jobs():
        fitting.program_spacing_fit(program=answered)
    client.force_login(org.lead)
    with django_assert_max_num_queries(13):
        body = client.get(reverse("reinforcement:rules", args=[answered.pk])).content.decode()
    row = ProgramSpacing.objects.get(program=answered)
    assert f"from <strong>{row.params['fit']['reviews']}</strong> reviews" in body
    assert 'id="fit-scores"' in body and "Log loss" in body and "RMSE" in body
    assert f"{round(row.params['weights'][0], 4)}" in body
    assert 'id="reliability"' in body and "<circle" in body
    assert "Go back to the default weights" in body
    assert "180 answered questions rescheduled under this policy" in body


def test_a_lead_goes_back_to_the_defaults_and_the_task_leaves_them(client, org, answered, run_jobs):
    with run_jobs():
        fitting.program_spacing_fit(program=answered)
    client.force_login(org.lead)
    with run_jobs():
        response = client.post(reverse("reinforcement:spacing_defaults", args=[answered.pk]))
    assert response.status_code == 302
    row = ProgramSpacing.objects.get(program=answered)
    assert (row.params, row.fitting_enabled) == ({}, False)
    fresh = Program.objects.get(pk=answered.pk)
    assert policy_for(fresh).params["weights"] == list(fsrs.scheduler.DEFAULT_PARAMETERS)
    assert tasks.fit_spacing_policies() == {"fitted": 0, "failed": 0}
    body = client.get(reverse("reinforcement:rules", args=[answered.pk])).content.decode()
    assert "default FSRS-6 weights are in use, as chosen by the lead" in body
    client.post(reverse("reinforcement:spacing_resume", args=[answered.pk]))
    assert tasks.fit_spacing_policies() == {"fitted": 1, "failed": 0}


def test_the_lead_sets_retention_bounds_and_a_wrong_pair_is_refused(client, org, program, learned):
    from reinforcement.forms import RulesForm
    from reinforcement.models import ReinforcementRules

    rules = ReinforcementRules.objects.get(program=program)
    data = {k: v for k, v in RulesForm(instance=rules).initial.items() if v is not None}
    client.force_login(org.lead)
    url = reverse("reinforcement:rules", args=[program.pk])
    refused = client.post(url, {**data, "retention_min": 0.9, "retention_max": 0.8})
    assert "The upper bound must be at least the lower bound." in refused.content.decode()
    assert client.post(url, {**data, "retention_min": 0.82, "retention_max": 0.84}).status_code == 302
    assert policy_for(program).params["desired_retention"] == pytest.approx(0.84)


@pytest.mark.parametrize("who", ["executive", "manager", "seller"])
def test_only_leads_change_the_spacing_policy(client, org, answered, who):
    fitting.program_spacing_fit(program=answered)
    client.force_login(getattr(org, who))
    for name in ("spacing_defaults", "spacing_resume", "spacing_reschedule"):
        assert client.post(reverse(f"reinforcement:{name}", args=[answered.pk])).status_code == 403
    rules_page = client.get(reverse("reinforcement:rules", args=[answered.pk]))
    if who == "executive":
        assert rules_page.status_code == 200
        assert "Go back to the default weights" not in rules_page.content.decode()
        assert client.post(reverse("reinforcement:rules", args=[answered.pk]), {}).status_code == 403
    else:
        assert rules_page.status_code == 403
    progress = client.get(reverse("reinforcement:spacing_reschedule_progress", args=[answered.pk]))
    assert progress.status_code == (200 if who == "executive" else 403)
    assert ProgramSpacing.objects.get(program=answered).fitted_at is not None
    assert not RescheduleJob.objects.exclude(trigger=RescheduleJob.Trigger.FIT).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_lead_reads_the_fit_and_the_calibration_at_two_widths(
    org, answered, live_server, page, eager_celery
):
    from playwright.sync_api import expect

    from tests.browser.axe import serious_violations
    from tests.factories import PASSWORD

    fitting.program_spacing_fit(program=answered)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    for width in (1366, 768):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}{reverse('reinforcement:rules', args=[answered.pk])}")
        expect(page.locator("#fit-scores")).to_contain_text("Log loss")
        expect(page.locator("#reliability tbody tr").first).to_be_visible()
        expect(page.locator("#reschedule-job")).to_contain_text("180 answered questions rescheduled")
        page.screenshot(path=f"var/screenshots/reinforcement-rules-spacing-{width}.png", full_page=False)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_violations(page) == []


def test_scores_compare_predictions_with_the_constant_share_of_right_answers():
    from reinforcement.spacing import scores

    sharp = scores([(0.95, 1), (0.95, 1), (0.05, 0), (0.05, 0)])
    assert sharp["observed"] == 0.5 and sharp["baseline_rmse"] == pytest.approx(0.5)
    assert sharp["log_loss"] < sharp["baseline_log_loss"] and sharp["rmse"] < sharp["baseline_rmse"]
    wrong = scores([(0.05, 1), (0.95, 0)])
    assert wrong["log_loss"] > wrong["baseline_log_loss"]
    assert scores([]) is None


def test_the_help_page_states_the_retirement_and_pause_rules(client, org):
    client.force_login(org.seller)
    body = client.get(reverse("reinforcement:help")).content.decode()
    right = Spacing().params["retire_after_right"]
    assert f"reached 90 days <em>and</em> the seller's last {right} answers to it were right" in body
    assert "rests for 7 days and is then asked again" in body


def test_rules_still_at_the_previous_default_bounds_take_the_new_ones(program):
    from importlib import import_module

    from django.apps import apps

    from reinforcement.models import ReinforcementRules
    from tests.factories import ProgramFactory

    migration = import_module("reinforcement.migrations.0008_retention_bounds_for_a_ten_day_memory")
    untouched = ReinforcementRules.objects.create(program=program, retention_min=0.85, retention_max=0.9)
    chosen = ReinforcementRules.objects.create(program=ProgramFactory(), retention_min=0.8, retention_max=0.9)
    migration.untouched_bounds_follow_the_module(apps, None)
    untouched.refresh_from_db()
    chosen.refresh_from_db()
    assert (untouched.retention_min, untouched.retention_max) == (0.84, 0.86)
    assert (chosen.retention_min, chosen.retention_max) == (0.8, 0.9)
    assert (
        Spacing.DEFAULTS["retention_bounds"]
        == [0.84, 0.86]
        == [ReinforcementRules().retention_min, ReinforcementRules().retention_max]
    )
