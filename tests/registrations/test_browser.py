"""A participant registers for the regional day in Chromium, from form to cancel."""

import re

import pytest
from django.core.management import call_command

from registrations.models import Registration
from tests.pages import sign_up
from tests.registrations.helpers import link_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def shipped_week(clock, settings, live_server):
    settings.QUALITYWEEK_SITE_URL = live_server.url
    # Playwright fills a form faster than any person; the stamp still round-trips.
    settings.QUALITYWEEK_FORM_MIN_SECONDS = 0
    call_command("loaddata", "quality_week_2023", verbosity=0)


def test_participant_registers_confirms_sees_the_ticket_and_cancels(
    page, live_server, shipped_week, mailoutbox
):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Основная навигация").get_by_role(
        "link", name="Региональный день"
    ).click()
    page.wait_for_url(re.compile(r"/regional-day/$"))
    assert "Осталось 150 мест" in page.locator(".seats-left").inner_text()

    sign_up(page)

    # The form posts to "#register"; browsers keep that fragment over a redirect.
    page.wait_for_url(re.compile(r"/registrations/check-email/(#register)?$"))
    assert page.locator("h1").inner_text() == "Проверьте почту"
    [letter] = mailoutbox
    page.goto(live_server.url + link_in(letter, "/registrations/confirm/"))
    page.get_by_role("button", name="Подтвердить регистрацию").click()

    registration = Registration.objects.get()
    page.wait_for_url(re.compile(rf"/registrations/{registration.token}/$"))
    assert page.locator(".ticket-code").inner_text() == registration.ticket_code
    assert page.locator(".ticket-qr").evaluate("img => img.naturalWidth") > 0
    assert "Петров Иван" in page.locator(".ticket-person").inner_text()
    assert registration.status == Registration.Status.CONFIRMED

    page.get_by_role("link", name="Не смогу прийти: освободить место").click()
    page.get_by_role("button", name="Освободить место").click()

    page.wait_for_url(re.compile(rf"/registrations/{registration.token}/$"))
    assert "Ваша регистрация отменена" in page.locator("main").inner_text()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert [m.subject.split(":")[0] for m in mailoutbox] == [
        "Подтвердите регистрацию",
        "Ваше место подтверждено",
        "Ваша регистрация отменена",
    ]
    assert page.outside_requests == []


def test_form_errors_are_shown_by_their_fields_without_javascript(
    browser, live_server, shipped_week
):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(live_server.url + "/en/regional-day/")

    page.get_by_label("Phone*", exact=True).fill("123")
    page.get_by_role("button", name="Register").click()

    assert page.locator("#id_phone").get_attribute("aria-invalid") == "true"
    assert "Enter a phone number such as +7 916 123-45-67." in (
        page.locator("#div_id_phone").inner_text()
    )
    assert "Enter your surname." in page.locator("#div_id_surname").inner_text()
    context.close()


def test_a_refused_form_gives_the_focus_to_its_error_summary(
    page, live_server, shipped_week
):
    page.goto(live_server.url + "/regional-day/")

    page.locator("#register").get_by_label("Телефон*", exact=True).fill("123")
    page.locator("#register").get_by_role("button", name="Зарегистрироваться").click()

    page.wait_for_load_state()
    focused = page.evaluate("document.activeElement.className")
    assert "error-summary" in focused
    summary = page.locator(".error-summary")
    assert "Исправьте отмеченные поля." in summary.inner_text()
    summary.get_by_role("link", name="Укажите номер телефона", exact=False).click()
    assert page.evaluate("document.activeElement.id") == "id_phone"


def test_a_typo_in_the_address_is_corrected_on_the_check_email_page(
    page, live_server, shipped_week, mailoutbox
):
    page.goto(live_server.url + "/regional-day/")
    sign_up(page, email="ivan.petorv@example.ru", region="Другая страна (не Россия)")
    page.wait_for_url(re.compile(r"/registrations/check-email/(#register)?$"))
    assert page.locator(".sent-to").inner_text() == "ivan.petorv@example.ru"

    page.get_by_label("Электронная почта", exact=True).fill("ivan.petrov@example.ru")
    page.get_by_role("button", name="Отправить на этот адрес").click()

    page.wait_for_url(re.compile(r"/registrations/check-email/\?corrected=1$"))
    assert page.locator(".sent-to").inner_text() == "ivan.petrov@example.ru"
    assert [letter.to for letter in mailoutbox] == [
        ["ivan.petorv@example.ru"],
        ["ivan.petrov@example.ru"],
    ]
    assert Registration.objects.get().region is None
    assert page.outside_requests == []
