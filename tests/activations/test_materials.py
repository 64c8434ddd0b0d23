import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from activations import emails, services
from events.models import BrandKit
from tests.documents import pdf_pages, pdf_qr_codes, pdf_text, read_qr
from tests.factories import ActivationFactory

pytestmark = pytest.mark.django_db

PAGE = "https://quality-week.example.ru/activations/{}/"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.QUALITYWEEK_SITE_URL = "https://quality-week.example.ru"


def test_poster_of_approved_activation_names_it_and_leads_to_its_page(client):
    activation = ActivationFactory(
        title="Открытая лаборатория «Вятского хлеба»",
        company_name="АО «Вятский хлеб»",
        slug="vyatka-bread",
    )

    response = client.get(reverse("activations:poster", args=["vyatka-bread"]))

    assert response["Content-Type"] == "application/pdf"
    content = response.content
    text = pdf_text(content)
    assert pdf_pages(content) == 1
    for expected in (
        "Открытая лаборатория «Вятского хлеба»",
        "АО «Вятский хлеб»",
        "Россия — страна со Знаком качества",
        "9 ноября 2023",
        "Киров, ул. Ленина, 1",
        "ВСЕМИРНАЯ НЕДЕЛЯ КАЧЕСТВА",
    ):
        assert expected in text
    assert pdf_qr_codes(content) == [PAGE.format(activation.slug)]


def test_poster_is_in_the_activations_language(client):
    ActivationFactory(slug="open-day", language="en", title="Open day")

    response = client.get(reverse("activations:poster", args=["open-day"]))

    text = pdf_text(response.content)
    assert "Russia, the country with the Quality Mark" in text
    assert "WHEN" in text
    assert "9 November 2023" in text


def test_card_is_1200_by_630_with_a_qr_code_to_the_page(client):
    ActivationFactory(slug="open-day")

    response = client.get(reverse("activations:card", args=["open-day"]))

    assert response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as card:
        assert card.size == (1200, 630)
    assert read_qr(response.content) == [PAGE.format("open-day")]


@pytest.mark.parametrize("name", ["activations:poster", "activations:card"])
@pytest.mark.parametrize("trait", ["pending", "rejected"])
def test_materials_of_an_unapproved_activation_are_not_found(client, name, trait):
    ActivationFactory(slug="not-yet", **{trait: True})

    response = client.get(reverse(name, args=["not-yet"]))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["activations:poster", "activations:card"])
def test_materials_of_an_erased_activation_are_not_found(client, name):
    activation = ActivationFactory(slug="gone")
    services.erase_personal_data(activation)

    response = client.get(reverse(name, args=["gone"]))

    assert response.status_code == 404


def test_poster_unchanged_answers_not_modified_and_a_change_gives_a_new_one(client):
    activation = ActivationFactory(slug="open-day", title="День открытых дверей")
    url = reverse("activations:poster", args=["open-day"])
    etag = client.get(url)["ETag"]

    unchanged = client.get(url, headers={"If-None-Match": etag})
    activation.title = "День качества на заводе"
    activation.save()
    changed = client.get(url, headers={"If-None-Match": etag})

    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "День качества на заводе" in pdf_text(changed.content)


def test_card_carries_the_logo_organisers_upload(client):
    activation = ActivationFactory(slug="open-day")
    url = reverse("activations:card", args=["open-day"])
    before = client.get(url)
    logo = io.BytesIO()
    Image.new("RGB", (200, 100), (0, 200, 0)).save(logo, "PNG")
    BrandKit.objects.create(
        edition=activation.edition, logo=ContentFile(logo.getvalue(), "logo.png")
    )

    after = client.get(url)

    assert after["ETag"] != before["ETag"]
    with Image.open(io.BytesIO(after.content)) as card:
        # The logo sits at the top left, 72 px high: green where it was red.
        assert card.convert("RGB").getpixel((80, 90)) == (0, 200, 0)


def test_activation_page_offers_the_materials_and_the_card_as_its_image(client):
    activation = ActivationFactory(slug="open-day")

    response = client.get(activation.get_absolute_url())

    html = response.content.decode()
    assert "Материалы для вашей активации" in html
    assert 'href="/activations/open-day/poster.pdf"' in html
    assert 'href="/activations/open-day/card.png"' in html
    assert 'content="http://testserver/activations/open-day/card.png"' in html


def test_approval_letter_links_the_poster_and_the_card():
    activation = ActivationFactory(slug="open-day")

    message = emails.build(activation, emails.APPROVED)

    assert PAGE.format("open-day") + "poster.pdf" in message.body
    assert PAGE.format("open-day") + "card.png" in message.body
    html = message.alternatives[0].content
    assert 'href="' + PAGE.format("open-day") + 'card.png"' in html


def test_organisers_upload_the_brand_logo_in_admin(organiser_client, edition_2023):
    logo = io.BytesIO()
    Image.new("RGB", (200, 100), (0, 200, 0)).save(logo, "PNG")
    upload = SimpleUploadedFile("logo.png", logo.getvalue(), "image/png")

    response = organiser_client.post(
        reverse("admin:events_brandkit_add"),
        {"edition": edition_2023.pk, "logo": upload},
    )

    kit = BrandKit.objects.get()
    assert response.status_code == 302
    # Re-encoded under a random name, as every upload (qualityweek.images).
    assert kit.logo.name.startswith("brand/")
    assert "logo" not in kit.logo.name
