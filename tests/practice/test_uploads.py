"""Recording uploads: declared and sniffed type, size limit, chunked resumable upload, storage,
and recordings served only through the permission-checked view."""

import json
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from reinforcement.practice import services
from reinforcement.practice.models import Attempt, Upload

from .conftest import webm_bytes

pytestmark = pytest.mark.django_db


def start(client, scenario, content_type="video/webm;codecs=vp8,opus", size=3000):
    return client.post(
        reverse("practice:upload_start", args=[scenario.pk]),
        json.dumps({"content_type": content_type, "size": size}),
        content_type="application/json",
    )


def put(client, url, data, offset):
    return client.put(
        url, data, content_type="application/octet-stream", headers={"Upload-Offset": str(offset)}
    )


def stored_files(media):
    root = media / "media"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def parts(media):
    root = media / "uploads"
    return list(root.iterdir()) if root.exists() else []


def test_a_recording_uploads_in_chunks_resumes_after_a_lost_answer_and_lands_in_storage(
    client, org, enrolled, scenarios, media
):
    client.force_login(org.seller)
    data = webm_bytes(3000)
    opened = start(client, scenarios[0], size=len(data))
    assert opened.status_code == 201
    url = opened.json()["upload_url"]
    assert put(client, url, data[:1000], 0).json() == {"offset": 1000}
    # The answer to the next chunk is lost: the browser asks where to resume, then re-sends.
    assert put(client, url, data[1000:2000], 1000).status_code == 200
    assert client.get(url).json() == {"offset": 2000, "size": 3000}
    stale = put(client, url, data[1000:2000], 1000)
    assert stale.status_code == 409 and stale.json()["offset"] == 2000
    assert client.post(url).status_code == 409  # not complete yet
    assert put(client, url, data[2000:], 2000).json() == {"offset": 3000}
    finished = client.post(url)
    assert finished.status_code == 200
    attempt = Attempt.objects.get()
    assert (attempt.kind, attempt.status, attempt.content_type) == ("video", "submitted", "video/webm")
    with default_storage.open(attempt.recording.name) as f:
        assert f.read() == data
    assert not parts(media) and not Upload.objects.exists()
    assert "/media/" not in client.get(reverse("practice:scenario", args=[scenarios[0].pk])).content.decode()


def test_a_two_gigabyte_recording_is_refused_before_anything_is_stored(
    client, org, enrolled, scenarios, media
):
    client.force_login(org.seller)
    response = start(client, scenarios[0], size=2 * 2**30)
    assert response.status_code == 413
    assert response.json()["error"] == "The recording is 2,048 MB; the limit is 5 MB."
    assert not Attempt.objects.exists() and not Upload.objects.exists()


def test_a_file_that_is_not_media_is_refused_even_when_it_says_video_and_nothing_is_kept(
    client, org, enrolled, scenarios, media
):
    client.force_login(org.seller)
    url = start(client, scenarios[0], size=2000).json()["upload_url"]
    response = put(client, url, b"%PDF-1.7\n" + b"x" * 1991, 0)
    assert response.status_code == 415
    assert response.json()["error"] == "This file is not an audio or video recording. Nothing was kept."
    assert not Attempt.objects.exists() and not Upload.objects.exists()
    assert not parts(media) and not stored_files(media)


def test_a_declared_document_type_is_refused(client, org, enrolled, scenarios):
    client.force_login(org.seller)
    response = start(client, scenarios[0], content_type="application/pdf")
    assert response.status_code == 415
    assert "Only audio or video recordings" in response.json()["error"]
    assert not Attempt.objects.exists()


def test_more_bytes_than_announced_are_refused_and_discarded(client, org, enrolled, scenarios, media):
    client.force_login(org.seller)
    url = start(client, scenarios[0], size=1000).json()["upload_url"]
    assert put(client, url, webm_bytes(1500), 0).status_code == 413
    assert not Attempt.objects.exists() and not parts(media)


def test_only_the_seller_who_opened_an_upload_may_send_to_it(client, org, enrolled, scenarios):
    client.force_login(org.seller)
    url = start(client, scenarios[0]).json()["upload_url"]
    client.force_login(org.other_seller)
    response = put(client, url, webm_bytes(100), 0)
    assert response.status_code == 404 and response.json()["status_code"] == 404
    client.force_login(org.manager)
    assert start(client, scenarios[0]).status_code == 403


@pytest.fixture
def recorded(client, org, enrolled, scenarios):
    client.force_login(org.seller)
    data = webm_bytes(3000)
    url = start(client, scenarios[0], size=len(data)).json()["upload_url"]
    put(client, url, data, 0)
    client.post(url)
    client.logout()
    return Attempt.objects.get(), data


@pytest.mark.parametrize(
    "who, status",
    [("seller", 200), ("manager", 200), ("lead", 200), ("other_manager", 404), ("other_seller", 404)],
)
def test_recordings_are_served_only_to_those_who_may_see_the_attempt(client, org, recorded, who, status):
    attempt, data = recorded
    client.force_login(getattr(org, who))
    response = client.get(reverse("practice:recording", args=[attempt.pk]))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == data
        assert response["Cache-Control"] == "private, no-store"


def test_a_byte_range_of_a_recording_is_served_for_seeking(client, org, recorded):
    attempt, data = recorded
    client.force_login(org.manager)
    response = client.get(
        reverse("practice:recording", args=[attempt.pk]), headers={"Range": "bytes=100-199"}
    )
    assert response.status_code == 206
    assert response["Content-Range"] == "bytes 100-199/3000"
    assert b"".join(response.streaming_content) == data[100:200]


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[1, 2]",
        '"video/webm"',
        '{"content_type": "video/webm", "size": Infinity}',
        '{"size": [1]}',
    ],
)
def test_an_upload_start_that_is_not_a_json_object_gets_a_json_400_and_nothing_is_kept(
    client, org, enrolled, scenarios, body
):
    client.force_login(org.seller)
    response = client.post(
        reverse("practice:upload_start", args=[scenarios[0].pk]), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "Send JSON with content_type and size."
    assert not Attempt.objects.exists() and not Upload.objects.exists()


@pytest.mark.parametrize(
    "content_type, size, status, error",
    [
        ("video/webm", 0, 400, "The recording is empty."),
        ("video/webm", -5, 400, "The recording is empty."),
        ("application/pdf", 2 * 2**30, 415, "Only audio or video recordings"),
    ],
)
def test_a_refused_upload_start_answers_with_the_status_of_the_check_that_failed(
    client, org, enrolled, scenarios, content_type, size, status, error
):
    client.force_login(org.seller)
    response = start(client, scenarios[0], content_type=content_type, size=size)
    assert response.status_code == status
    assert response.json()["error"].startswith(error)
    assert not Attempt.objects.exists() and not Upload.objects.exists()


def test_finishing_an_upload_whose_partial_file_is_gone_answers_410_and_keeps_nothing(
    client, org, enrolled, scenarios, media
):
    client.force_login(org.seller)
    data = webm_bytes(1000)
    url = start(client, scenarios[0], size=len(data)).json()["upload_url"]
    assert put(client, url, data, 0).json() == {"offset": 1000}
    for part in parts(media):
        part.unlink()
    response = client.post(url)
    assert response.status_code == 410
    assert response.json()["error"] == "The recording's bytes were lost; please upload it again."
    assert not Attempt.objects.exists() and not Upload.objects.exists() and not stored_files(media)


def test_expiry_forgets_a_stale_upload_even_when_its_attempt_was_already_submitted(
    org, enrolled, scenarios, media
):
    upload = services.upload_start(
        person=enrolled[0], scenario=scenarios[0], content_type="video/webm", size=10
    )
    Attempt.objects.filter(pk=upload.attempt_id).update(status=Attempt.Status.SUBMITTED)
    assert services.uploads_expire(now=timezone.now() + timedelta(days=2)) == 1
    assert not Upload.objects.exists() and Attempt.objects.get().status == Attempt.Status.SUBMITTED
    assert services.uploads_expire(now=timezone.now() + timedelta(days=2)) == 0
