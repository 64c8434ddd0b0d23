"""An organiser cancels an event people hold seats for, in Chromium: the preview
of the letter, the letter itself, the participant's page and the door."""

import os
import re
from pathlib import Path

import pytest

from tests.factories import RegistrationFactory
from tests.pages import sign_in_to_admin

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def shots(tmp_path, page):
    """Where the screenshots go: QUALITYWEEK_SHOTS to keep them and look."""
    folder = Path(os.environ.get("QUALITYWEEK_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    return lambda name: page.screenshot(
        path=folder / f"{name}-{width}.png", full_page=True
    )


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_organiser_cancels_and_the_participant_the_letter_and_the_door_say_so(
    page, live_server, organiser, regional_day, settings, mailoutbox, shots
):
    settings.QUALITYWEEK_CHANGE_LETTER_DELAY_SECONDS = 0
    ticket = RegistrationFactory(
        event=regional_day,
        confirmed=True,
        ticket_code="KQ7MX2PA",
        email="anna@example.ru",
        name="Анна",
        patronymic="Игоревна",
    )
    sign_in_to_admin(
        page, f"{live_server.url}/admin/events/event/{regional_day.pk}/change/"
    )

    page.get_by_label("Отменено").check()
    page.get_by_role("button", name="Сохранить", exact=True).first.click()

    assert "Это изменение получит 1 адресат." in page.content()
    subject = page.locator(".change-letters-subject").inner_text()
    assert "Отменено: Региональный день" in subject
    assert no_sideways_scroll(page)
    shots("change-letter-preview")
    page.get_by_role("button", name="Сохранить и написать 1 адресату").click()
    page.wait_for_url(re.compile(r"/admin/events/event/$"))

    [letter] = mailoutbox
    assert letter.to == ["anna@example.ru"]
    [(html, _mimetype)] = letter.alternatives
    page.goto("about:blank")  # a document of its own: the admin's CSP stays behind
    page.set_content(html)
    assert page.get_by_role("heading", name="Мероприятие отменено").is_visible()
    shots("change-letter-cancelled")

    page.goto(f"{live_server.url}/registrations/{ticket.token}/")
    assert page.locator(".registration-status").inner_text() == "Мероприятие отменено"
    assert page.locator(".ticket-qr").count() == 0
    assert no_sideways_scroll(page)
    shots("ticket-of-cancelled-event")

    page.goto(f"{live_server.url}/checkin/KQ7MX2PA/")
    assert "Мероприятие отменено" in page.locator(".checkin-status").text_content()
    assert page.get_by_role("button", name="Отметить вход").count() == 0
    assert no_sideways_scroll(page)
    shots("checkin-event-cancelled")
    assert page.outside_requests == []
