"""On the regional day itself, a phone opens the home page and the regional
day's page with the stream button in the first screen (375 × 667)."""

import pytest
from django.core.management import call_command

from events.models import Event

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

STREAM = "https://stream.example.ru/regional-day"
PHONE = {"width": 375, "height": 667}


@pytest.fixture
def day_itself(clock):
    """The shipped week at noon of the regional day, its stream link set."""
    call_command("loaddata", "quality_week_2023", verbosity=0)
    regional_day = Event.objects.get(kind=Event.Kind.REGIONAL_DAY)
    regional_day.stream_url = STREAM
    regional_day.save()  # as admin saves it: a new programme revision
    clock("2023-11-10T12:00+03:00")
    return regional_day


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="ru-RU")
    yield context.new_page()
    context.close()


def test_stream_button_is_in_the_first_screen_of_a_phone(
    phone, live_server, day_itself, tmp_path
):
    boxes = {}
    for name, path in [("home", "/"), ("regional-day", "/regional-day/")]:
        phone.goto(live_server.url + path)
        button = phone.locator(f'.live-now a[href="{STREAM}"]')
        assert button.inner_text().strip() == "Смотреть трансляцию"
        boxes[name] = button.bounding_box()
        phone.screenshot(path=str(tmp_path / f"{name}.png"))

    for name, box in boxes.items():
        assert box["y"] >= 0, name
        assert box["y"] + box["height"] <= PHONE["height"], (name, box)
        assert 0 <= box["x"] <= box["x"] + box["width"] <= PHONE["width"], name
