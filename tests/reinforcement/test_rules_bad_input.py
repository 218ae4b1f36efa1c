"""A new customer's program (nothing but a name, no rules saved yet): out-of-range rules get a
message beside the field, never a 500, and nothing is saved; the spacing actions on a program
that does not exist answer 404."""

import pytest
from django.urls import reverse

from programs.models import Program
from reinforcement.models import ProgramSpacing, ReinforcementRules, RescheduleJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def bare_program(org):
    return Program.objects.create(name="First program", owner=org.lead)


def rules_form_data(client, program):
    form = client.get(reverse("reinforcement:rules", args=[program.pk])).context["form"]
    return {name: ("on" if v is True else v) for name, v in form.initial.items() if v not in (False, None)}


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"retention_min": "0.9", "retention_max": "0.8"}, "retention_max"),
        ({"retention_min": "0", "retention_max": "0"}, "retention_min"),
        ({"retention_min": "0", "retention_max": "0.86"}, "retention_min"),
        ({"retention_min": "1.5", "retention_max": "1.5"}, "retention_max"),
        ({"retention_max": "1.5"}, "retention_max"),
        ({"retention_min": "-0.5"}, "retention_min"),
        ({"retention_min": "1e308", "retention_max": "1e309"}, "retention_min"),
        ({"retention_min": "abc"}, "retention_min"),
        ({"maximum_interval_days": "0"}, "maximum_interval_days"),
        ({"maximum_interval_days": "1"}, "maximum_interval_days"),
        ({"maximum_interval_days": "-1"}, "maximum_interval_days"),
        ({"maximum_interval_days": "99999"}, "maximum_interval_days"),
        ({"maximum_interval_days": "99999999999999999999999"}, "maximum_interval_days"),
    ],
)
def test_bad_rules_get_a_message_beside_the_field_and_nothing_is_saved(client, org, bare_program, bad, field):
    client.force_login(org.lead)
    data = {**rules_form_data(client, bare_program), **bad}
    response = client.post(reverse("reinforcement:rules", args=[bare_program.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors.get(field)
    assert f'id="id_{field}"' in response.content.decode()
    assert not ReinforcementRules.objects.filter(program=bare_program).exists()
    # the spacing card still shows the saved (default) policy, not the rejected values
    assert response.context["spacing"]["policy"].params["retention_bounds"] == [0.84, 0.86]
    assert "(allowed 84%–86%)" in response.content.decode()
    assert "At most every 180 days." in response.content.decode()


def test_an_out_of_range_lower_bound_is_not_also_blamed_on_the_upper_one(client, org, bare_program):
    client.force_login(org.lead)
    data = {**rules_form_data(client, bare_program), "retention_min": "1.5", "retention_max": "0.86"}
    response = client.post(reverse("reinforcement:rules", args=[bare_program.pk]), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["retention_min"]


def test_a_bad_whole_number_gets_one_message_not_a_second_about_another_field(client, org, bare_program):
    client.force_login(org.lead)
    data = {**rules_form_data(client, bare_program), "master_stability_days": "nan"}
    response = client.post(reverse("reinforcement:rules", args=[bare_program.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["master_stability_days"] == ["Enter a whole number."]


def test_the_widest_allowed_rules_save(client, org, bare_program):
    client.force_login(org.lead)
    data = {
        **rules_form_data(client, bare_program),
        "retention_min": "0.7",
        "retention_max": "0.97",
        "maximum_interval_days": "3650",
    }
    response = client.post(reverse("reinforcement:rules", args=[bare_program.pk]), data)
    assert response.status_code == 302
    rules = ReinforcementRules.objects.get(program=bare_program)
    assert (rules.retention_min, rules.retention_max, rules.maximum_interval_days) == (0.7, 0.97, 3650)


@pytest.mark.parametrize("name", ["spacing_defaults", "spacing_resume", "spacing_reschedule", "rules"])
def test_spacing_actions_on_a_program_that_does_not_exist_are_404(client, org, name):
    client.force_login(org.lead)
    response = client.post(reverse(f"reinforcement:{name}", args=[987654]))
    assert response.status_code == 404
    assert not ProgramSpacing.objects.exists()
    assert not RescheduleJob.objects.exists()


def test_the_first_run_pages_of_a_bare_program_answer(client, org, bare_program):
    client.force_login(org.lead)
    for url in (
        reverse("reinforcement:rules", args=[bare_program.pk]),
        reverse("measurement:dashboard") + f"?program={bare_program.pk}",
        reverse("practice:index"),
        reverse("practice:program_settings", args=[bare_program.pk]),
        reverse("reinforcement:help"),
    ):
        assert client.get(url).status_code == 200, url
