import pytest
from django.contrib.auth.models import User
from django.db import OperationalError, connections
from django.test import Client

from qualityweek import images
from tests.pages import text_of

pytestmark = pytest.mark.django_db

RUSSIAN = "Пожалуйста, попробуйте ещё раз через минуту"
ENGLISH = "Please try again in a minute"


@pytest.fixture
def database_down(monkeypatch):
    """From now on every query fails as it does with the database unreachable."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server failed: Connection refused")

    def go_down():
        monkeypatch.setattr(connections["default"], "_cursor", refuse)

    return go_down


@pytest.fixture
def pages(clock, regional_day):
    return ["/", regional_day.get_absolute_url(), "/schedule/"]


def test_database_outage_answers_every_page_with_the_503_page_in_russian(
    client, pages, database_down
):
    database_down()

    answers = [client.get(url) for url in pages]

    assert [answer.status_code for answer in answers] == [503, 503, 503]
    assert [answer["Retry-After"] for answer in answers] == ["30", "30", "30"]
    assert all(RUSSIAN in text_of(answer) for answer in answers)


def test_database_outage_answers_the_english_pages_in_english(
    client, pages, database_down
):
    database_down()

    answers = [client.get(f"/en{url}") for url in pages]

    assert [answer.status_code for answer in answers] == [503, 503, 503]
    assert all(ENGLISH in text_of(answer) for answer in answers)


def test_database_outage_met_by_a_staff_session_before_the_view_is_503(
    pages, database_down
):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_user("organiser", is_staff=True))
    database_down()

    response = client.get("/schedule/")

    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert RUSSIAN in text_of(response)


def test_image_decoding_busy_answers_the_503_page(
    client, clock, edition_2023, monkeypatch
):
    def busy(*args, **kwargs):
        raise images.DecodingBusy

    monkeypatch.setattr(images, "decoding", busy)

    response = client.post(
        "/activations/new/",
        {"image": images_upload()},
    )

    assert (response.status_code, response["Retry-After"]) == (503, "30")
    assert RUSSIAN in text_of(response)


def images_upload():
    from tests import images as files

    return files.upload("photo.png", files.image_bytes("PNG"))


def test_bad_request_has_the_sites_own_page_in_the_visitors_language(client):
    russian = client.get("/", HTTP_HOST="stranger.example")
    english = client.get("/en/", HTTP_HOST="stranger.example")

    assert (russian.status_code, english.status_code) == (400, 400)
    assert "Не удалось разобрать запрос" in text_of(russian)
    assert "The request could not be understood" in text_of(english)
