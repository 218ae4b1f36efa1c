"""Creating, editing, listing and showing programs; status changes; the change log."""

import pytest
from django.urls import reverse

from programs.models import Program, ProgramChange
from tests.factories import ProgramFactory, make_ready_program

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Negotiation for renewals",
    "audience_description": "Account managers",
    "start_date": "2027-03-01",
    "end_date": "2027-04-30",
    "culture_autonomy": "3",
    "learning_maturity": "3",
    "urgency": "medium",
    "manager_coaching_capacity": "3",
    "audience_size": "80",
    "location_count": "4",
    "budget_per_head": "750",
}


def test_a_lead_creates_a_program_and_lands_on_it(client, org):
    client.force_login(org.lead)
    response = client.post(reverse("programs:create"), VALID)
    program = Program.objects.get(name="Negotiation for renewals")
    assert response.status_code == 302
    assert response["Location"] == program.get_absolute_url()
    assert program.owner == org.lead
    assert program.status == Program.Status.DRAFT
    change = ProgramChange.objects.get(program=program)
    assert change.user == org.lead
    assert "Created" in change.summary


def test_bad_input_is_answered_beside_the_field_and_nothing_is_saved(client, org):
    client.force_login(org.lead)
    data = {**VALID, "name": "", "end_date": "2027-01-01", "culture_autonomy": "9", "budget_per_head": "-5"}
    response = client.post(reverse("programs:create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "name" in form.errors
    assert form.errors["end_date"] == ["The window cannot end before it starts."]
    assert "culture_autonomy" in form.errors
    assert form.errors["budget_per_head"] == ["A budget cannot be negative."]
    assert not Program.objects.exists()
    assert "is-invalid" in response.content.decode()


def test_editing_the_context_records_who_changed_which_field(client, org, draft):
    client.force_login(org.lead)
    response = client.post(reverse("programs:edit", args=[draft.pk]), {**VALID, "name": draft.name})
    assert response.status_code == 302
    change = ProgramChange.objects.filter(program=draft).latest("at")
    assert change.user == org.lead
    fields = {d["field"]: (d["old"], d["new"]) for d in change.details}
    assert fields["audience_size"] == (60, 80)
    assert fields["start_date"] == (None, "2027-03-01")
    assert "name" not in fields
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Edited the context" in page
    assert "Audience size: 60 → 80" in page and "audience_size" not in page


def test_saving_without_changes_writes_no_audit_row(client, org, draft):
    client.force_login(org.lead)
    client.post(reverse("programs:edit", args=[draft.pk]), {**VALID, "name": draft.name})
    count = ProgramChange.objects.count()
    client.post(reverse("programs:edit", args=[draft.pk]), {**VALID, "name": draft.name})
    assert ProgramChange.objects.count() == count


def test_the_detail_page_shows_the_readiness_checklist(client, org, draft):
    client.force_login(org.lead)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Gate closed: 0 of 4 answered" in page
    assert "Pick the one or two metrics to move." in page
    assert reverse("programs:readiness_metrics", args=[draft.pk]) in page


def test_a_program_becomes_ready_only_when_readiness_and_design_are_done(client, org, ready):
    client.force_login(org.lead)
    url = reverse("programs:status", args=[ready.pk])
    response = client.post(url, {"status": "ready"}, follow=True)
    assert "Decide the rollout design first" in response.content.decode()
    Program.objects.filter(pk=ready.pk).update(
        participation="mandatory", rollout="top_down", participant_mix="intact_teams"
    )
    client.post(url, {"status": "ready"})
    ready.refresh_from_db()
    assert ready.status == Program.Status.READY
    assert ProgramChange.objects.filter(program=ready, summary="Status: Draft → Ready").exists()


def test_a_draft_with_open_readiness_cannot_be_marked_ready(client, org, draft):
    client.force_login(org.lead)
    response = client.post(reverse("programs:status", args=[draft.pk]), {"status": "ready"}, follow=True)
    assert "Answer the four readiness questions" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Program.Status.DRAFT


def test_a_draft_cannot_jump_to_launched(client, org, draft):
    client.force_login(org.lead)
    response = client.post(reverse("programs:status", args=[draft.pk]), {"status": "launched"}, follow=True)
    assert "cannot become launched" in response.content.decode()


def test_the_status_change_needs_post(client, org, draft):
    client.force_login(org.lead)
    assert client.get(reverse("programs:status", args=[draft.pk])).status_code == 405


def test_the_list_shows_each_program_with_its_readiness(client, org, draft, ready):
    client.force_login(org.manager)
    page = client.get(reverse("programs:list")).content.decode()
    assert "Draft program" in page and "Ready program" in page
    assert "Gate open" in page and "Gate closed" in page


def test_list_query_count_does_not_grow_with_programs(client, org, django_assert_max_num_queries):
    for _ in range(3):
        make_ready_program(owner=org.lead)
    ProgramFactory.create_batch(5, owner=org.lead)
    client.force_login(org.lead)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("programs:list"))
    assert len(response.context["rows"]) == 8


def test_detail_query_count_is_fixed(client, org, ready, django_assert_max_num_queries):
    client.force_login(org.lead)
    for _ in range(20):
        client.post(reverse("programs:edit", args=[ready.pk]), {**VALID, "name": f"Name {_}"})
    with django_assert_max_num_queries(16):
        response = client.get(ready.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["changes"]) == 20


def test_the_lead_home_lists_programs_with_their_next_step(client, org, draft, ready):
    client.force_login(org.lead)
    page = client.get(reverse("home")).content.decode()
    assert "Draft program" in page
    assert "next: success metrics" in page
    assert reverse("programs:design", args=[ready.pk]) in page


def test_lead_home_query_count_does_not_grow_with_programs(client, org, django_assert_max_num_queries):
    for _ in range(3):
        make_ready_program(owner=org.lead)
    ProgramFactory.create_batch(6, owner=org.lead)
    client.force_login(org.lead)
    with django_assert_max_num_queries(22):  # includes the getting-started steps (constant)
        page = client.get(reverse("home")).content.decode()
    assert page.count("Continue readiness") + page.count(">Rollout design</a>") == 6


def test_the_change_log_speaks_in_words_not_code_values(client, org, ready):
    from programs import services
    from programs.models import Program

    services.design_decision_record(
        program=ready,
        user=org.lead,
        kind="participation",
        values={"participation": "suggested", "participation_criteria": {"levels": ["individual"]}},
        rationale="Only reps this year",
    )
    services.design_decision_record(
        program=ready,
        user=org.lead,
        kind="rollout",
        values={"rollout": "as_available"},
        rationale="Calendars",
    )
    services.design_decision_record(
        program=ready,
        user=org.lead,
        kind="participant_mix",
        values={"participant_mix": "intact_teams"},
        rationale="Teams",
    )
    services.program_set_status(program=ready, user=org.lead, status=Program.Status.READY)
    client.force_login(org.lead)
    page = client.get(f"/programs/{ready.pk}/").content.decode()
    log = page[page.index('id="change-log"') :]
    assert "Who qualifies: (empty) → Levels: individual" in log
    assert "Participation: (empty) → Suggested" in log
    assert "Status: Draft → Ready" in log
    for code in ("participation_criteria", "{&#x27;levels&#x27;", "draft → ready", "as_available"):
        assert code not in log
