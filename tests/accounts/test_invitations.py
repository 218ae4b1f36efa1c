"""Invitations: a background job with progress; a single-use, expiring set-password link."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from cohorts.accounts.invitations import invitation_job_run, invitation_revoke, invitation_send
from cohorts.accounts.models import Account, InvitationJob
from cohorts.accounts.services import person_deactivate
from cohorts.models import Cohort, CohortMember, Wave
from programs.models import Program
from rolloutplanner.roles import Role, role_of
from tests.accounts.conftest import signs_in
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://[^\s\"]+/accounts/welcome/[^\s\"]+/")


def link_in(message):
    return LINK.search(message.body).group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


@pytest.fixture
def cohort(org):
    program = Program.objects.create(name="Discovery 2027", owner=org.lead)
    wave = Wave.objects.create(program=program, number=1, name="Pilot")
    cohort = Cohort.objects.create(program=program, wave=wave, name="Pilot cohort A")
    people = [PersonFactory(manager=org.people["manager"], team=org.teams["a"]) for _ in range(3)]
    for person in people:
        CohortMember.objects.create(
            program=program, person=person, cohort=cohort, status=CohortMember.Status.CONFIRMED
        )
    return cohort


def start_job(client, org, data):
    client.force_login(org.lead)
    response = client.post(reverse("accounts:invite"), data)
    assert response.status_code == 302
    return InvitationJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def test_a_lead_invites_a_cohort_and_each_member_gets_an_html_and_text_email(
    client, org, cohort, eager_celery, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(client, org, {"scope": "cohort", "cohort": cohort.pk})
    job.refresh_from_db()
    assert (job.status, job.total, job.processed, job.sent_count) == ("succeeded", 3, 3, 3)
    members = {m.person.email for m in cohort.members.select_related("person")}
    assert {m.to[0] for m in mailoutbox} == members
    message = mailoutbox[0]
    assert message.alternatives[0][1] == "text/html" and "Choose your password" in message.alternatives[0][0]
    assert LINK.search(message.body)
    page = client.get(reverse("accounts:job", args=[job.pk])).content.decode()
    assert "3 invitations sent" in page
    person = cohort.members.first().person
    person.refresh_from_db()
    assert role_of(person.user) == Role.SELLER
    assert Account.objects.get(person=person).invitation_open


def test_running_the_same_job_again_sends_nothing_twice(org, cohort, mailoutbox):
    job = InvitationJob.objects.create(created_by=org.lead, scope="cohort", cohort=cohort)
    invitation_job_run(job_id=job.pk)
    InvitationJob.objects.filter(pk=job.pk).update(status="queued")
    invitation_job_run(job_id=job.pk)
    assert len(mailoutbox) == 3


def test_a_job_skips_deactivated_people_people_with_a_password_and_open_invitations(org, cohort, mailoutbox):
    members = [m.person for m in cohort.members.select_related("person").order_by("pk")]
    person_deactivate(person=members[0], by=org.lead)
    invitation_send(person=members[1], by=org.lead)
    mailoutbox.clear()
    job = InvitationJob.objects.create(created_by=org.lead, scope="everyone")
    invitation_job_run(job_id=job.pk)
    job.refresh_from_db()
    # The org personas with logins have passwords; seller_b has no login yet.
    assert {m.to[0] for m in mailoutbox} == {members[2].email, org.people["seller_b"].email}
    assert job.sent_count == 2 and job.skipped_count == job.total - 2


def test_a_job_that_breaks_ends_failed_with_a_reason(org, cohort):
    job = InvitationJob.objects.create(created_by=org.lead, scope="cohort", cohort=cohort)
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("SMTP down")
    ):
        invitation_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "SMTP down" in job.note and job.finished_at


def test_a_job_whose_cohort_was_deleted_fails_and_invites_nobody(org, cohort, mailoutbox):
    job = InvitationJob.objects.create(created_by=org.lead, scope="cohort", cohort=cohort)
    cohort.delete()
    invitation_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "cohort was deleted" in job.note and job.finished_at
    assert mailoutbox == []


def test_a_long_failure_reason_still_fits_the_note(org, cohort):
    job = InvitationJob.objects.create(created_by=org.lead, scope="cohort", cohort=cohort)
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("x" * 1000)
    ):
        invitation_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and len(job.note) <= 300 and job.note.endswith("start the job again.")


def test_a_reason_with_a_nul_character_still_ends_the_job(org, cohort):
    # PostgreSQL refuses NUL in text: stored as is, the FAILED update would fail and the job
    # would stay running until the reaper.
    job = InvitationJob.objects.create(created_by=org.lead, scope="cohort", cohort=cohort)
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("bad\x00reply")
    ):
        invitation_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and "badreply" in job.note and job.finished_at


def test_the_link_sets_a_password_once_and_then_dies(client, org, cohort, mailoutbox):
    person = cohort.members.first().person
    invitation_send(person=person, by=org.lead)
    url = link_in(mailoutbox[0])
    form_page = client.get(url, follow=True)
    assert "Welcome to Rollout Planner" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-Long-new-passw0rd", "new_password2": "a-Long-new-passw0rd"},
        follow=True,
    )
    assert "Your password is set" in response.content.decode()
    assert signs_in(client, person.email, "a-Long-new-passw0rd")
    client.logout()
    again = client.get(url, follow=True).content.decode()
    assert "This invitation link no longer works" in again


def test_a_revoked_invitation_link_no_longer_works(client, org, cohort, mailoutbox):
    person = cohort.members.first().person
    invitation_send(person=person, by=org.lead)
    invitation_revoke(person=person, by=org.lead)
    body = client.get(link_in(mailoutbox[0]), follow=True).content.decode()
    assert "This invitation link no longer works" in body


def test_an_invitation_link_expires(client, org, cohort, mailoutbox, settings):
    person = cohort.members.first().person
    invitation_send(person=person, by=org.lead)
    later = timezone.now() + timedelta(days=settings.INVITATION_LINK_MAX_AGE_DAYS + 1)
    with mock.patch(
        "cohorts.accounts.tokens.InvitationTokenGenerator._now", return_value=later.replace(tzinfo=None)
    ):
        body = client.get(link_in(mailoutbox[0]), follow=True).content.decode()
    assert "This invitation link no longer works" in body


def test_a_lead_resends_and_revokes_from_the_persons_page(client, org, cohort, mailoutbox):
    person = cohort.members.first().person
    client.force_login(org.lead)
    client.post(reverse("accounts:invitation_send", args=[person.pk]))
    client.post(reverse("accounts:invitation_send", args=[person.pk]))
    assert len(mailoutbox) == 2
    assert Account.objects.get(person=person).invitation_count == 2
    client.post(reverse("accounts:invitation_revoke", args=[person.pk]))
    assert not Account.objects.get(person=person).invitation_open
    body = client.get(reverse("accounts:users"), {"state": "invited"}).content.decode()
    assert reverse("accounts:person", args=[person.pk]) not in body


def test_a_lead_invites_the_people_ticked(
    client, org, cohort, eager_celery, django_capture_on_commit_callbacks, mailoutbox
):
    person = cohort.members.first().person
    client.force_login(org.lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:invite_selected"), {"people": [person.pk]})
    assert [m.to[0] for m in mailoutbox] == [person.email]


def test_setting_the_password_revokes_api_tokens(client, org, cohort, mailoutbox):
    person = cohort.members.first().person
    invitation_send(person=person, by=org.lead)
    person.refresh_from_db()
    Token.objects.create(user=person.user)
    form_page = client.get(link_in(mailoutbox[0]), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-Long-new-passw0rd", "new_password2": "a-Long-new-passw0rd"},
    )
    assert not Token.objects.filter(user=person.user).exists()


def test_the_invite_form_asks_for_the_cohort_it_needs(client, org):
    client.force_login(org.lead)
    response = client.post(reverse("accounts:invite"), {"scope": "cohort"})
    assert response.status_code == 200
    assert "Pick the cohort to invite." in response.content.decode()
    assert not InvitationJob.objects.exists()


def test_a_failed_resend_says_so_and_records_nothing(client, org, cohort):
    person = cohort.members.first().person
    client.force_login(org.lead)
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("SMTP down")
    ):
        response = client.post(reverse("accounts:invitation_send", args=[person.pk]), follow=True)
    assert "could not be sent" in response.content.decode()
    assert not Account.objects.filter(person=person, invited_at__isnull=False).exists()


def test_a_program_job_invites_its_confirmed_people_only(org, cohort, mailoutbox):
    declined = PersonFactory()
    CohortMember.objects.create(program=cohort.program, person=declined, status=CohortMember.Status.DECLINED)
    job = InvitationJob.objects.create(created_by=org.lead, scope="program", program=cohort.program)
    invitation_job_run(job_id=job.pk)
    members = {m.person.email for m in cohort.members.filter(status="confirmed").select_related("person")}
    assert {m.to[0] for m in mailoutbox} == members


def test_an_invitation_link_dies_when_the_person_is_deactivated(client, org, cohort, mailoutbox):
    person = cohort.members.first().person
    invitation_send(person=person, by=org.lead)
    person_deactivate(person=person, by=org.lead)
    body = client.get(link_in(mailoutbox[0]), follow=True).content.decode()
    assert "This invitation link no longer works" in body


def test_a_job_left_queued_is_ended_by_the_reaper_with_a_reason(client, org, cohort, settings):
    settings.JOB_TIMEOUT_SECONDS = 30 * 60
    job = InvitationJob.objects.create(created_by=org.lead, scope="cohort", cohort=cohort)
    InvitationJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))
    client.force_login(org.lead)
    page = client.get(reverse("accounts:job_progress", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.status == "failed" and "start the job again" in job.note and job.finished_at
    assert 'data-status="failed"' in page and "hx-trigger" not in page


def test_a_task_for_a_job_that_no_longer_exists_does_nothing(org, mailoutbox):
    assert invitation_job_run(job_id=987654) is None
    assert mailoutbox == []
