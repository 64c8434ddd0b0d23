"""A refused address, as the person and the organisers see it in Chromium."""

import os

import pytest

from tests.factories import RegistrationFactory, moscow
from tests.pages import sign_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    if os.environ.get("QUALITYWEEK_SHOTS"):
        width = page.viewport_size["width"]
        page.screenshot(
            path=os.path.join(os.environ["QUALITYWEEK_SHOTS"], f"{name}-{width}.png"),
            full_page=True,
        )


@pytest.fixture
def refused(regional_day):
    return RegistrationFactory(
        event=regional_day,
        confirmed=True,
        email="no.such.person@example.ru",
        email_failed_at=moscow(2023, 11, 1, 10),
        email_failed_letter="seat",
    )


def test_participant_page_with_a_refused_address_fits_the_screen(
    live_server, page, refused
):
    page.goto(f"{live_server.url}/registrations/{refused.token}/")

    note = page.locator(".refused-email")
    assert note.get_by_text("Наши письма до вас не доходят").is_visible()
    assert page.locator("#id_email").input_value() == "no.such.person@example.ru"
    assert page.get_by_role("button", name="Отправить на этот адрес").is_visible()
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, "participant-refused")


def test_admin_list_filtered_by_mail_bounced_shows_the_registration(
    live_server, page, organiser, refused
):
    changelist = f"{live_server.url}/admin/registrations/registration/"
    sign_in_to_admin(page, changelist)
    page.goto(changelist + "?mail_bounced=yes")

    assert page.locator("#result_list").get_by_text(refused.ticket_code).is_visible()
    assert page.locator("#changelist-filter").get_by_text("письма не доходят").count()
    shot(page, "admin-mail-bounced")
