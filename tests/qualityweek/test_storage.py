"""Media in an S3-compatible store (moto's server on loopback) and on disk,
served by the site under /media/ with the right type and nosniff."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from activations.models import Activation
from qualityweek.views import media
from tests.activations.conftest import FORM, jpeg_bytes
from tests.factories import ActivationFactory, ConsentTextFactory

pytestmark = pytest.mark.django_db
BUCKET = "qualityweek-media"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server in its own process, for the session."""
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "moto_server did not start"
            time.sleep(0.2)
    yield url
    server.terminate()
    server.wait()


@pytest.fixture
def s3(settings, s3_endpoint):
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "qualityweek.storage.MediaStorage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "location": "media",
                "default_acl": None,
                "file_overwrite": False,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])


def keys(client) -> list[str]:
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_uploaded_image_goes_to_the_store_and_is_served_by_the_site(
    client, s3, edition_2023, clock
):
    ConsentTextFactory(purpose="activation", version="s3")
    upload = SimpleUploadedFile("photo.jpg", jpeg_bytes(), "image/jpeg")

    client.post("/activations/new/", {**FORM, "image": upload})

    activation = Activation.objects.get()
    stem = activation.image.name.removesuffix(".jpg")
    # Beside the photo, its thumbnails: 400 px wide, and 640 (at most 800).
    assert keys(s3) == [
        f"media/{stem}-w400.webp",
        f"media/{stem}-w800.webp",
        f"media/{activation.image.name}",
    ]
    thumbnail = client.get(f"/media/{stem}-w400.webp")
    assert (thumbnail.status_code, thumbnail["Content-Type"]) == (200, "image/webp")
    assert activation.image.url == f"/media/{activation.image.name}"
    response = client.get(activation.image.url)
    assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        b"".join(response.streaming_content)
        == s3.get_object(Bucket=BUCKET, Key=f"media/{activation.image.name}")[
            "Body"
        ].read()
    )


def test_erasure_deletes_the_image_from_the_store(
    s3, edition_2023, clock, django_capture_on_commit_callbacks
):
    from activations import services

    activation = ActivationFactory(edition=edition_2023)
    activation.image.save("x.jpg", ContentFile(jpeg_bytes()), save=True)
    assert len(keys(s3)) == 3  # the photo and its two thumbnails

    with django_capture_on_commit_callbacks(execute=True):
        services.erase_personal_data(activation)

    assert keys(s3) == []


def test_media_on_disk_serves_an_image_inline(client, settings, tmp_path):
    name = default_storage.save("activations/a.png", ContentFile(b"\x89PNG..."))

    response = client.get(f"/media/{name}")

    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "image/png",
        'inline; filename="a.png"',
    )


def test_media_other_than_images_downloads_never_renders(client, settings, tmp_path):
    name = default_storage.save("activations/kit.svg", ContentFile(b"<svg/>"))

    response = client.get(f"/media/{name}")

    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path", ["/media/missing.jpg", "/media/../settings.py", "/media/%2e%2e/x"]
)
def test_media_outside_the_storage_or_missing_is_not_found(
    client, settings, tmp_path, path
):

    assert client.get(path).status_code == 404


def test_media_never_serves_a_material_past_its_own_published_check(
    client, settings, tmp_path
):
    name = default_storage.save("materials/draft-brand-kit.pdf", ContentFile(b"%PDF"))

    assert client.get(f"/media/{name}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/./materials/draft-brand-kit.pdf",
        "/media/x/../materials/draft-brand-kit.pdf",
        "/media/x%2f..%2fmaterials/draft-brand-kit.pdf",
        "/media/x%2F..%2Fmaterials%2Fdraft-brand-kit.pdf",
        "/media/%2e/materials/draft-brand-kit.pdf",
        "/media/.%2fmaterials/draft-brand-kit.pdf",
        "/media//materials/draft-brand-kit.pdf",
        "/media/materials//draft-brand-kit.pdf",
        "/media/materials/./draft-brand-kit.pdf",
        "/media/x%5c..%5cmaterials/draft-brand-kit.pdf",
        "/media/activations/../materials/draft-brand-kit.pdf",
        "/media/Materials/../materials/draft-brand-kit.pdf",
    ],
)
def test_media_any_spelling_of_a_material_path_is_not_found(
    client, settings, tmp_path, path
):
    default_storage.save("materials/draft-brand-kit.pdf", ContentFile(b"%PDF"))

    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/x%252f..%252fmaterials/draft-brand-kit.pdf",
        "/media/%252e/materials/draft-brand-kit.pdf",
        "/media/%252e%252e/media/materials/draft-brand-kit.pdf",
    ],
)
def test_media_a_double_encoded_material_path_is_refused(
    client, settings, tmp_path, path
):
    default_storage.save("materials/draft-brand-kit.pdf", ContentFile(b"%PDF"))

    assert client.get(path).status_code == 400


@pytest.mark.parametrize(
    "name",
    ["%2e/materials/draft-brand-kit.pdf", "x%2f..%2fmaterials/draft-brand-kit.pdf"],
)
def test_media_view_a_name_still_encoded_is_not_found(rf, settings, tmp_path, name):
    # The middleware refuses these before any view; the view does not rely on it.
    default_storage.save("materials/draft-brand-kit.pdf", ContentFile(b"%PDF"))

    with pytest.raises(Http404):
        media(rf.get("/media/"), name)


@pytest.mark.parametrize(
    "path",
    [
        "/media/activations/./a.png",
        "/media/x/../activations/a.png",
        "/media/activations//a.png",
        "/media/activations%5ca.png",
        "/media//etc/passwd",
    ],
)
def test_media_a_name_that_is_not_plain_is_not_found(client, settings, tmp_path, path):
    default_storage.save("activations/a.png", ContentFile(b"\x89PNG..."))

    assert client.get(path).status_code == 404
