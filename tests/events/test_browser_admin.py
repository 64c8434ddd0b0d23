"""An organiser whose computer is in another time zone enters Moscow times."""

import datetime
import re

import pytest
from django.utils import timezone

from events.models import Event
from tests.factories import moscow
from tests.pages import sign_in_to_admin

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_time_entered_from_vladivostok_is_moscow_time(
    browser, live_server, organiser, regional_day
):
    context = browser.new_context(
        timezone_id="Asia/Vladivostok",  # 7 hours ahead of Moscow
        locale="ru-RU",
        viewport={"width": 1280, "height": 900},
    )
    page = context.new_page()
    sign_in_to_admin(
        page, f"{live_server.url}/admin/events/event/{regional_day.pk}/change/"
    )

    assert page.get_by_text("Начало (московское время):").is_visible()
    # Django's "you are 7 hours ahead of server time" note is not shown.
    warnings = page.locator(".timezonewarning")
    assert all(not warnings.nth(n).is_visible() for n in range(warnings.count()))

    # The "Now" shortcut gives the server's Moscow time, not Vladivostok's.
    page.locator("#id_registration_opens_1 ~ .datetimeshortcuts a").first.click()
    typed = page.input_value("#id_registration_opens_1")
    moscow_now = timezone.localtime()
    shown = datetime.datetime.combine(
        moscow_now.date(), datetime.time.fromisoformat(typed)
    )
    assert abs(shown - moscow_now.replace(tzinfo=None)) < datetime.timedelta(minutes=5)

    page.fill("#id_registration_opens_0", "16.10.2023")
    page.fill("#id_registration_opens_1", "10:00:00")
    page.fill("#id_start_1", "11:00:00")
    page.locator("input[name=_save]").first.click()
    page.wait_for_url(re.compile(r"/admin/events/event/$"))

    regional_day.refresh_from_db()
    assert regional_day.start == moscow(2023, 11, 10, 11)
    assert regional_day.start.astimezone(datetime.UTC).hour == 8
    assert Event.objects.get().registration_opens == moscow(2023, 10, 16, 10)
    context.close()


def test_event_list_fits_1280_px_beside_the_filters(browser, live_server, organiser):
    from django.core.management import call_command

    call_command("loaddata", "quality_week_2023", verbosity=0)
    context = browser.new_context(
        locale="ru-RU", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    sign_in_to_admin(page, f"{live_server.url}/admin/events/event/")

    table, room = page.evaluate(
        """() => [document.querySelector('#result_list').getBoundingClientRect().width,
                  document.querySelector('#changelist .results').clientWidth]"""
    )
    assert table <= room, f"the list is {table - room:.0f} px wider than its place"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    context.close()
