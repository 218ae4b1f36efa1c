import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_admin_requires_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302


def test_health_check_needs_no_login(client):
    assert client.get(reverse("healthz")).json() == {"status": "ok"}


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("lead", "Rollout design"),
        ("manager", "Your direct reports"),
        ("executive", "Adoption"),
        ("seller", "Your sessions"),
        ("no_role", "No role assigned yet"),
    ],
)
def test_each_role_sees_its_own_home(client, org, persona, heading):
    client.force_login(getattr(org, persona))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert heading in response.content.decode()


def test_manager_home_lists_only_their_direct_reports(client, org):
    client.force_login(org.manager)
    page = client.get(reverse("home")).content.decode()
    assert org.people["seller"].full_name in page
    assert org.people["seller_b"].full_name in page
    assert org.people["other_seller"].full_name not in page


def test_home_query_count_does_not_grow_with_the_team(client, org, django_assert_max_num_queries):
    from tests.factories import PersonFactory

    client.force_login(org.manager)
    PersonFactory.create_batch(30, manager=org.people["manager"], team=org.teams["a"])
    # 10: one for the follow-through card's launched programs and fade alarms, one for the
    # practice card's reviews waiting.
    with django_assert_max_num_queries(10):
        assert client.get(reverse("home")).status_code == 200


def test_logout_needs_post_and_ends_the_session(client, org):
    client.force_login(org.seller)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change_page_is_styled_like_the_app(client, org):
    client.force_login(org.seller)
    page = client.get(reverse("password_change")).content.decode()
    assert "Change your password" in page
    assert "bootstrap.min.css" in page


def test_a_lead_on_an_empty_organisation_is_told_to_import_the_org_chart_first(client, roles):
    from rolloutplanner.roles import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="newlead", role=Role.LEAD))
    page = client.get(reverse("home")).content.decode()
    steps = page[page.index('id="first-steps"') :]
    order = [
        "Import the org chart",
        "Create a program",
        "Answer the four readiness questions",
        "Decide the rollout design",
        "Generate cohorts",
    ]
    assert [steps.index(title) for title in order] == sorted(steps.index(title) for title in order)
    assert f'class="btn btn-sm btn-brand" href="{reverse("cohorts:import")}"' in steps


def test_the_first_steps_follow_the_lead_and_leave_once_cohorts_exist(client, org):
    from cohorts.services.planning import plan_build, plan_save
    from tests.factories import make_ready_program

    client.force_login(org.lead)
    program = make_ready_program(owner=org.lead, name="Value selling")
    page = client.get(reverse("home")).content.decode()
    assert f'btn-brand" href="{reverse("programs:design", args=[program.pk])}"' in page  # next: design
    choices = {"participation": "mandatory", "rollout": "pilot", "participant_mix": "intact_teams"}
    for kind, value in choices.items():
        setattr(program, kind, value)
        program.decisions.create(kind=kind, chosen=value, recommended=value, decided_at=program.created_at)
    program.pilot_scope = {"teams": ["Team A"]}
    program.save()
    page = client.get(reverse("home")).content.decode()
    assert f'btn-brand" href="{reverse("cohorts:plan_generate", args=[program.pk])}"' in page
    plan_save(program=program, plan=plan_build(program))
    assert 'id="first-steps"' not in client.get(reverse("home")).content.decode()
