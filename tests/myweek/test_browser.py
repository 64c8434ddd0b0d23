"""My week in Chromium with JavaScript off: mark, unmark, open the link in a new
browser, subscribe to its feed; a cancelled event shows cancelled there."""

import re

import icalendar
import pytest

from events import ics
from myweek.models import Selection
from tests.factories import EventFactory, moscow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_script(browser):
    contexts = []

    def new_browser():
        context = browser.new_context(java_script_enabled=False, locale="en-GB")
        contexts.append(context)
        return context.new_page()

    yield new_browser
    for context in contexts:
        context.close()


def row(page, title):
    return page.locator("li.event-row", has_text=title)


def test_my_week_without_javascript(no_script, live_server, clock, edition_2023):
    forum = EventFactory(edition=edition_2023, title_en="Quality forum")
    workshop = EventFactory(
        edition=edition_2023, title_en="Audit workshop", start=moscow(2023, 11, 8, 12)
    )
    lecture = EventFactory(
        edition=edition_2023, title_en="Metrology lecture", start=moscow(2023, 11, 7, 9)
    )
    page = no_script()

    # Mark two events: one in the schedule, one on its own page.
    page.goto(live_server.url + "/en/schedule/")
    row(page, "Quality forum").get_by_role("button", name="Add to my week").click()
    page.wait_for_url(re.compile(rf"/en/schedule/#marked-events-{forum.pk}$"))
    assert row(page, "Quality forum").get_by_role("status").is_visible()
    assert not row(page, "Audit workshop").get_by_role("status").is_visible()
    page.goto(
        live_server.url + workshop.get_absolute_url().replace("/events", "/en/events")
    )
    page.get_by_role("button", name="Add to my week").click()

    # Both on my week; unmark one.
    page.goto(live_server.url + "/en/my/")
    page.wait_for_url(re.compile(r"/en/my/[\w-]{20,}/$"))
    assert page.locator(".event-title").all_inner_texts() == [
        "Audit workshop",
        "Quality forum",
    ]
    row(page, "Quality forum").get_by_role("button", name="Remove from my week").click()
    assert page.locator(".event-title").all_inner_texts() == ["Audit workshop"]

    # The organisers cancel it: my week says so.
    workshop.is_cancelled = True
    workshop.save()
    page.reload()
    assert "Cancelled" in row(page, "Audit workshop").inner_text()

    # The link, opened in another browser, is the same week there.
    link = page.locator(".my-week-link").inner_text()
    other = no_script()
    other.goto(link)
    assert other.locator(".event-title").all_inner_texts() == ["Audit workshop"]
    other.goto(live_server.url + "/en/schedule/")
    row(other, "Metrology lecture").get_by_role("button", name="Add to my week").click()
    page.reload()
    assert page.locator(".event-title").all_inner_texts() == [
        "Metrology lecture",
        "Audit workshop",
    ]
    assert Selection.objects.count() == 1

    # Its feed: the same UIDs as every feed, the cancelled one cancelled.
    feed = page.get_by_role("link", name="Download .ics").get_attribute("href")
    calendar = icalendar.Calendar.from_ical(
        page.request.get(live_server.url + feed).body()
    )
    assert {str(e["UID"]): str(e["STATUS"]) for e in calendar.walk("VEVENT")} == {
        ics.event_uid(lecture): "CONFIRMED",
        ics.event_uid(workshop): "CANCELLED",
    }

    # One button clears it.
    page.get_by_role("button", name="Clear my week").click()
    assert page.get_by_text("Nothing is marked yet.").is_visible()
