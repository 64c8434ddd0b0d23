"""Staff at the door check a participant in with a phone, in Chromium."""

import re

import pytest

from registrations.models import Registration
from tests.factories import RegistrationFactory
from tests.pages import sign_in_to_admin

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def ticket(regional_day, clock):
    clock("2023-11-10T09:30+03:00")
    return RegistrationFactory(
        event=regional_day,
        ticket_code="KQ7MX2PA",
        surname="Смирнова",
        name="Анна",
        patronymic="Игоревна",
        organisation="ООО «Северный завод»",
        confirmed=True,
    )


def test_staff_checks_a_participant_in_by_the_typed_code(
    page, live_server, organiser, ticket
):
    sign_in_to_admin(page, live_server.url + "/checkin/")

    page.get_by_label("Код билета").fill("kq7m-x2pa")
    page.get_by_role("button", name="Найти билет").click()
    page.wait_for_url(re.compile(r"/checkin/KQ7MX2PA/$"))
    assert page.locator(".checkin-name").inner_text() == "Смирнова Анна Игоревна"
    assert "Место подтверждено" in page.locator(".checkin-status").text_content()

    page.get_by_role("button", name="Отметить вход").click()

    page.wait_for_url(re.compile(r"/checkin/KQ7MX2PA/$"))
    assert "Вход отмечен" in page.locator(".checkin-status").text_content()
    assert page.get_by_role("button", name="Отметить вход").count() == 0
    assert Registration.objects.get().checked_in_at is not None

    page.goto(live_server.url + "/checkin/KQ7MX2PA/")  # the QR's link, again
    status = page.locator(".checkin-status").text_content()
    assert "Вход уже отмечен" in status
    assert "Билет уже использован в 09:30" in status
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow == 0
    assert page.outside_requests == []
