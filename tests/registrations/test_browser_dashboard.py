"""The day's dashboard at the desk's 1280 px screen, in Chromium."""

import datetime
import os

import pytest

from registrations.models import Registration
from tests.factories import EventFactory, moscow, region, registration_row
from tests.pages import sign_in_to_admin

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def seed(event, *, seated, waiting, checked_in, rush):
    """`seated` confirmed people, the first `checked_in` of them let in from 09:00,
    most of them in the `rush` quarter-hours after; then the waiting list."""
    regions = [region(code) for code in ("77", "77", "50", "43", "78", "16")]
    regions.append(None)
    doors = moscow(2023, 11, 10, 9)
    people = []
    for n in range(seated + waiting):
        in_line = n >= seated
        arrival = None
        if n < checked_in:
            minutes = n * rush * 15 / checked_in if n % 5 else n * 100 / checked_in
            arrival = doors + datetime.timedelta(minutes=minutes, seconds=n % 50)
        people.append(
            registration_row(
                event,
                n,
                status="waiting" if in_line else "confirmed",
                region=regions[n % len(regions)],
                confirmed_at=moscow(2023, 11, 10, 10, 40)
                - datetime.timedelta(minutes=(n * 37) % (60 * 30)),
                waiting_since=moscow(2023, 11, 9, 12) if in_line else None,
                waiting_position=n if in_line else None,
                checked_in_at=arrival,
            )
        )
    Registration.objects.bulk_create(people)
    type(event).objects.filter(pk=event.pk).update(seats_taken=seated)


def test_dashboard_reads_at_1280_px(
    browser, live_server, organiser, regional_day, edition_2023, clock
):
    clock("2023-11-10T10:40+03:00")
    regional_day.seats = 300
    regional_day.save(update_fields=["seats"])
    seed(regional_day, seated=300, waiting=24, checked_in=187, rush=4)
    workshop = EventFactory(
        edition=edition_2023,
        title="Мастерская «Бережливое производство»",
        takes_registrations=True,
        in_person=True,
        seats=40,
        start=moscow(2023, 11, 10, 14),
        end=moscow(2023, 11, 10, 16),
    )
    seed(workshop, seated=31, waiting=0, checked_in=0, rush=1)
    context = browser.new_context(
        locale="ru-RU", viewport={"width": 1280, "height": 900}
    )
    outside = []
    context.on(
        "request",
        lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url),
    )
    page = context.new_page()
    sign_in_to_admin(page, f"{live_server.url}/admin/dashboard/")

    section = page.locator(f"#event-{regional_day.pk}")
    assert section.locator(".dashboard-figures dd").all_inner_texts() == [
        "300 / 300",
        "0",
        "24",
        "0",  # taking part online
        "187 / 300",
    ]
    assert page.get_by_text("Вход ещё не открыт.").is_visible()  # the workshop
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert outside == []
    if os.environ.get("QUALITYWEEK_SHOTS"):
        page.screenshot(
            path=os.path.join(os.environ["QUALITYWEEK_SHOTS"], "dashboard.png"),
            full_page=True,
        )
    context.close()
