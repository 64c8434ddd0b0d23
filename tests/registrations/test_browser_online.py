"""On the regional day itself, a phone opens the home page and the regional
day's page with the stream button in the first screen (375 × 667)."""

import re

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


@pytest.fixture
def streamed_session(clock, settings, live_server):
    """The shipped week a week before, the forum's hybrid plenary taking
    sign-ups, its stream link set."""
    settings.QUALITYWEEK_SITE_URL = live_server.url
    settings.QUALITYWEEK_FORM_MIN_SECONDS = 0  # Playwright fills forms at once
    call_command("loaddata", "quality_week_2023", verbosity=0)
    plenary = Event.objects.get(slug="demo-forum-plenary")
    plenary.takes_registrations = True
    plenary.seats = 100
    plenary.stream_url = "https://stream.example.ru/plenary"
    plenary.save()
    return plenary


@pytest.mark.parametrize("page", ["phone", "desktop"], indirect=True)
def test_visitor_signs_up_online_from_a_streamed_events_page(
    page, live_server, streamed_session, mailoutbox, tmp_path
):
    name = page.viewport_size["width"]
    page.goto(live_server.url + streamed_session.get_absolute_url())
    button = page.get_by_role("link", name="Участвовать онлайн")
    box = button.bounding_box()
    page.screenshot(path=str(tmp_path / f"event-{name}.png"))
    button.click()

    page.wait_for_url(re.compile(r"/events/demo-forum-plenary/online/$"))
    online = page.locator("#online")
    online.get_by_label("Фамилия*", exact=True).fill("Петров")
    online.get_by_label("Имя*", exact=True).fill("Иван")
    online.get_by_label("Электронная почта*", exact=True).fill("ivan@example.ru")
    online.get_by_label("Организация*", exact=True).fill("ООО «Завод»")
    online.get_by_label("Должность*", exact=True).fill("инженер")
    online.get_by_label("Регион*", exact=True).select_option(label="Кировская область")
    online.get_by_role("checkbox", name=re.compile("Я даю согласие")).check()
    page.screenshot(path=str(tmp_path / f"online-form-{name}.png"), full_page=True)
    online.get_by_role("button", name="Зарегистрироваться на онлайн-участие").click()

    page.wait_for_url(re.compile(r"/registrations/check-email/(#online)?$"))
    assert page.locator("h1").inner_text() == "Проверьте почту"
    assert [letter.to for letter in mailoutbox] == [["ivan@example.ru"]]
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= page.viewport_size["height"]  # first screen
    assert page.outside_requests == []
