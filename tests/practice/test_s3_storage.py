"""Recordings go through Django's storage API: with the S3-compatible settings they land in a
bucket (a real S3 protocol server on loopback, moto's), and are served back through the
permission-checked view."""

import json
import socket

import boto3
import pytest
from django.urls import reverse

from reinforcement.practice.models import Attempt

from .conftest import webm_bytes

pytestmark = pytest.mark.django_db


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def bucket(settings, monkeypatch):
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in (("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test")):
        monkeypatch.setenv(name, value)
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    s3.create_bucket(Bucket="recordings")
    # The same options settings.py builds from PRACTICE_S3_* (see README).
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "recordings",
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    yield s3
    server.stop()


def test_a_recording_is_stored_in_the_bucket_and_served_only_through_the_app(
    client, org, enrolled, scenarios, bucket
):
    client.force_login(org.seller)
    data = webm_bytes(4000)
    opened = client.post(
        reverse("practice:upload_start", args=[scenarios[0].pk]),
        json.dumps({"content_type": "audio/webm", "size": len(data)}),
        content_type="application/json",
    )
    url = opened.json()["upload_url"]
    client.put(url, data, content_type="application/octet-stream", headers={"Upload-Offset": "0"})
    assert client.post(url).status_code == 200
    attempt = Attempt.objects.get()
    stored = bucket.get_object(Bucket="recordings", Key=attempt.recording.name)
    assert stored["Body"].read() == data
    client.force_login(org.manager)
    response = client.get(reverse("practice:recording", args=[attempt.pk]))
    assert b"".join(response.streaming_content) == data
    client.force_login(org.other_manager)
    assert client.get(reverse("practice:recording", args=[attempt.pk])).status_code == 404
