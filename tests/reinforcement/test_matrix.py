"""The team matrix: seller × skill → stage, scoped to the manager, with a pinned query count."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from cohorts.services import org_paths_rebuild
from reinforcement.services.coaching import coaching_session_log
from reinforcement.services.stages import cards_ensure, stages_ensure
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_manager_sees_their_sellers_with_stage_recall_and_last_coaching(client, org, program, learned):
    client.force_login(org.manager)
    response = client.get(reverse("reinforcement:matrix"))
    body = response.content.decode()
    assert response.status_code == 200
    assert escape(org.people["seller"].full_name) in body and escape(org.people["seller_b"].full_name) in body
    assert escape(org.people["other_seller"].full_name) not in body
    assert 'data-stage="learn"' in body
    assert "Log coaching for" in body


def test_a_lead_picks_a_manager_and_sees_that_team_without_log_links(client, org, program, learned):
    client.force_login(org.lead)
    url = reverse("reinforcement:matrix") + f"?manager={org.people['other_manager'].pk}"
    body = client.get(url).content.decode()
    assert escape(org.people["other_seller"].full_name) in body
    assert escape(org.people["seller"].full_name) not in body
    assert "Log coaching for" not in body


def test_sellers_cannot_open_the_matrix(client, org, program):
    client.force_login(org.seller)
    assert client.get(reverse("reinforcement:matrix")).status_code == 403


def test_an_unknown_program_is_a_404(client, org, learned):
    client.force_login(org.manager)
    assert client.get(reverse("reinforcement:matrix") + "?program=999999").status_code == 404


def test_the_query_count_does_not_grow_with_the_team(
    client, org, program, skills, learned, django_assert_max_num_queries
):
    manager = org.people["manager"]
    extra = [PersonFactory(manager=manager, team=org.teams["a"]) for _ in range(25)]
    org_paths_rebuild()
    stages_ensure(program=program, person_ids=[p.pk for p in extra])
    cards_ensure(pairs=[(p.pk, program.pk, s.pk) for p in extra for s in skills])
    coaching_session_log(
        manager=manager,
        kind="role_play",
        occurred_on=date.today(),
        sellers=extra[:10],
        ratings={skills[0]: (3, False)},
    )
    client.force_login(org.manager)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("reinforcement:matrix"))
    assert response.content.decode().count("<tr>") >= 28


def test_the_overdue_and_progress_pages_keep_a_fixed_query_count(
    client, org, program, skills, learned, django_assert_max_num_queries
):
    from reinforcement.services.coaching import action_plan_create

    manager = org.people["manager"]
    extra = [PersonFactory(manager=manager, team=org.teams["a"]) for _ in range(20)]
    org_paths_rebuild()
    for person in extra:
        action_plan_create(
            person=person, skill=skills[0], customer="Acme", commitment="Try it", due_on=date(2026, 1, 5)
        )
    coaching_session_log(
        manager=manager,
        kind="one_on_one",
        occurred_on=date(2026, 1, 1),
        sellers=extra,
        ratings={skills[0]: (2, False)},
        next_step="Shadow a call",
        next_step_due=date(2026, 1, 8),
    )
    client.force_login(org.manager)
    with django_assert_max_num_queries(13):  # + practice waiting for review
        body = client.get(reverse("reinforcement:overdue")).content.decode()
    assert body.count("Try it") == 0 and body.count("Acme") == 20
    client.force_login(org.seller)
    with django_assert_max_num_queries(17):  # + program scoping, practice certificates, recognitions
        assert client.get(reverse("reinforcement:my_progress")).status_code == 200
