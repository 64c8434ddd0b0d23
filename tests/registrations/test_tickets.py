import io

import pytest
import qrcode
from django.utils import translation
from PIL import Image

from events.models import Event, Venue
from registrations import tickets
from tests.factories import RegistrationFactory
from tests.pages import text_of
from tests.registrations.helpers import pdf_text

SITE = "https://qualityweek.example.ru"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.QUALITYWEEK_SITE_URL = SITE


def modules_of(png: bytes) -> list[list[bool]]:
    """The dark and light modules of a QR image of 8 px a module, border 4."""
    image = Image.open(io.BytesIO(png)).convert("L")
    count = image.width // 8 - 8
    return [
        [image.getpixel((8 * (4 + x) + 4, 8 * (4 + y) + 4)) < 128 for x in range(count)]
        for y in range(count)
    ]


def test_qr_png_holds_the_check_in_link(regional_day):
    registration = RegistrationFactory(event=regional_day, confirmed=True)
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(f"{SITE}/checkin/{registration.ticket_code}/")
    code.make(fit=True)

    png = tickets.qr_png(registration)

    assert png.startswith(b"\x89PNG")
    assert modules_of(png) == code.get_matrix()


def test_pdf_ticket_has_who_what_when_where_and_the_code(regional_day):
    Venue.objects.filter(pk=regional_day.venue_id).update(
        directions="Станция метро «ВДНХ», далее через главный вход."
    )
    registration = RegistrationFactory(
        event=regional_day, confirmed=True, organisation="ООО «Ромашка»"
    )
    registration.refresh_from_db()

    with translation.override("ru"):
        text = pdf_text(tickets.ticket_pdf(registration))

    assert "Иванова Мария Петровна" in text
    assert "ООО «Ромашка»" in text
    assert "Региональный день форума «Всемирный день качества»" in text
    assert "Пятница, 10 ноября 2023, 10:00–18:00, московское время" in text
    assert "ВДНХ, Региональный павильон" in text
    assert "Станция метро «ВДНХ», далее через главный вход." in text
    assert registration.ticket_code in text


def test_english_pdf_ticket_puts_the_surname_last(regional_day):
    registration = RegistrationFactory(event=regional_day, confirmed=True)

    with translation.override("en"):
        text = pdf_text(tickets.ticket_pdf(registration))

    assert "Мария Петровна Иванова" in text
    assert "Regional day of the forum “World Quality Day”" in text
    assert "Ticket code".upper() in text


def test_ticket_page_offers_the_pdf(client, regional_day):
    registration = RegistrationFactory(event=regional_day, confirmed=True)

    page = client.get(f"/registrations/{registration.token}/")
    response = client.get(f"/registrations/{registration.token}/ticket.pdf")

    assert "Скачать билет (PDF)" in text_of(page)
    assert f'href="/registrations/{registration.token}/ticket.pdf"' in (
        page.content.decode()
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Иванова Мария Петровна" in pdf_text(response.content)


def test_english_ticket_page_names_the_person_in_english_order(client, regional_day):
    registration = RegistrationFactory(event=regional_day, confirmed=True)

    page = text_of(client.get(f"/en/registrations/{registration.token}/"))

    assert "Мария Петровна Иванова" in page


@pytest.mark.parametrize("trait", [{"waiting": True}, {"cancelled": True}, {}])
def test_only_a_confirmed_seat_has_a_pdf_ticket(client, regional_day, trait):
    registration = RegistrationFactory(event=regional_day, **trait)

    response = client.get(f"/registrations/{registration.token}/ticket.pdf")

    assert response.status_code == 404


def test_pdf_ticket_says_when_the_time_is_not_confirmed(regional_day):
    Event.objects.filter(pk=regional_day.pk).update(is_time_confirmed=False)
    registration = RegistrationFactory(event=regional_day, confirmed=True)
    registration.refresh_from_db()

    with translation.override("ru"):
        text = pdf_text(tickets.ticket_pdf(registration))

    assert "(время уточняется)" in text
