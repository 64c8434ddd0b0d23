"""A business browses the week in Chromium: home → schedule → filters → event page."""

import re

import pytest
from django.core.management import call_command

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def unfold_filters(page):
    """Phones fold the schedule's filters under a toggle; wide screens show them."""
    if page.locator("details.filters").get_attribute("open") is None:
        page.locator("details.filters > summary").click()


@pytest.fixture
def shipped_week(clock):
    call_command("loaddata", "quality_week_2023", verbosity=0)


def test_business_finds_online_events_on_quality_day_in_russian(
    page, live_server, shipped_week
):
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Россия — страна со Знаком качества"

    page.get_by_role("link", name="Смотреть программу").click()
    page.wait_for_url(re.compile(r"/schedule/$"))
    unfold_filters(page)
    page.get_by_label("День", exact=True).select_option("2023-11-09")
    page.get_by_label("Формат").select_option("hybrid")
    page.get_by_role("button", name="Показать").click()

    page.wait_for_url(re.compile(r"day=2023-11-09.*format=hybrid"))
    titles = page.locator(".event-title").all_inner_texts()
    assert "Качество товаров и доверие потребителей" in titles
    assert "Системы менеджмента качества на производстве" not in titles  # online, 8 Nov

    page.get_by_role("link", name="Качество товаров и доверие потребителей").click()
    page.wait_for_url(re.compile(r"/events/demo-consumer-trust-session/$"))
    assert (
        "Четверг, 9 ноября 2023, 12:00–13:30"
        in page.locator(".event-facts").inner_text()
    )
    assert page.outside_requests == []


def test_business_browses_the_schedule_in_english(page, live_server, shipped_week):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="EN").click()
    page.wait_for_url(re.compile(r"/en/$"))

    page.get_by_role("link", name="See the programme").click()
    page.get_by_role("navigation", name="Days of the week").get_by_role(
        "link", name=re.compile("Fri")
    ).click()
    page.wait_for_url(re.compile(r"/en/schedule/2023-11-10/"))
    unfold_filters(page)
    page.get_by_label("Format").select_option("offline")
    page.get_by_role("button", name="Show").click()

    titles = page.locator(".event-title").all_inner_texts()
    assert titles == ["Regional practice: the best municipal projects"]
    page.get_by_role("link", name=titles[0]).click()
    assert (
        "Friday, 10 November 2023, 11:00–13:00"
        in page.locator(".event-facts").inner_text()
    )


def test_schedule_fits_the_window_without_sideways_scrolling(
    page, live_server, shipped_week
):
    page.goto(live_server.url + "/schedule/")

    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )

    assert overflow == 0


def test_visitor_downloads_an_event_for_the_calendar(page, live_server, shipped_week):
    import icalendar

    page.goto(live_server.url + "/events/demo-consumer-trust-session/")
    block = page.get_by_role("region", name="Добавить в календарь")

    with page.expect_download() as download_info:
        block.get_by_role("link", name=re.compile("Скачать .ics")).click()

    download = download_info.value
    assert download.suggested_filename == (
        "Качество товаров и доверие потребителей.ics"
    )
    with open(download.path(), "rb") as file:
        calendar = icalendar.Calendar.from_ical(file.read())
    [event] = calendar.events
    # A demo session says so even where a calendar shows only titles.
    assert str(event["SUMMARY"]) == "[Демо] Качество товаров и доверие потребителей"
    assert event["DTSTART"].to_ical() == b"20231109T090000Z"  # 12:00 Moscow time


def in_viewport(page, selector: str) -> bool:
    return page.locator(selector).first.evaluate(
        """element => {
            const box = element.getBoundingClientRect();
            return box.top >= 0 && box.bottom <= window.innerHeight;
        }"""
    )


def test_show_lands_on_the_results_with_the_filters_folded_on_a_phone(
    page, live_server, shipped_week
):
    page.goto(live_server.url + "/schedule/")
    unfold_filters(page)
    page.get_by_label("Формат").select_option("online")
    page.get_by_role("button", name="Показать").click()
    page.wait_for_url(re.compile(r"\?format=online#results$"))
    # The browser goes to the results, smoothly: wait for the scroll to settle.
    page.wait_for_function(
        """() => new Promise(done => {
            const y = window.scrollY;
            setTimeout(() => done(y > 0 && window.scrollY === y), 200);
        })"""
    )

    assert in_viewport(page, "#results")
    assert in_viewport(page, ".event-title")
    phone = page.viewport_size["width"] < 992
    assert page.locator("details.filters").evaluate("d => d.open") is not phone


def test_the_day_strip_shows_the_day_of_the_page(page, live_server, shipped_week):
    page.goto(live_server.url + "/schedule/2023-11-12/")

    strip = page.get_by_role("navigation", name="Дни недели")
    sunday = strip.locator("[aria-current=page]")
    assert sunday.inner_text().split() == ["Вс", "12"]
    assert sunday.evaluate(
        """link => {
            const strip = link.closest("nav").getBoundingClientRect();
            const box = link.getBoundingClientRect();
            return box.left >= strip.left - 1 && box.right <= strip.right + 1;
        }"""
    )
