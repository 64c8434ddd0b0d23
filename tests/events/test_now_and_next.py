"""During the week the home page says what is on now and next, by the site clock,
and shows a broadcast link as soon as organisers set it, never from a stale copy."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import programme
from tests.factories import EventFactory, moscow
from tests.pages import text_of

# The reads compiled once (events.caching.PreparedQuery) are SQL of each database.
pytestmark = pytest.mark.postgres


@pytest.fixture
def thursday(edition_2023):
    """Quality Day's morning: a talk, a webinar after it, and what is not "on"."""
    return {
        "talk": EventFactory(
            edition=edition_2023,
            title="Доклад о качестве",
            start=moscow(2023, 11, 9, 10),
            end=moscow(2023, 11, 9, 11),
        ),
        "webinar": EventFactory(
            edition=edition_2023,
            title="Вебинар о метрологии",
            start=moscow(2023, 11, 9, 12),
            end=moscow(2023, 11, 9, 13),
        ),
        "friday": EventFactory(
            edition=edition_2023,
            title="Открытый день на заводе",
            start=moscow(2023, 11, 10, 9),
            end=moscow(2023, 11, 10, 12),
        ),
        "week_long": EventFactory(
            edition=edition_2023,
            title="Акция всю неделю",
            start=moscow(2023, 11, 6),
            end=moscow(2023, 11, 13),
        ),
        "cancelled": EventFactory(
            edition=edition_2023,
            title="Отменённый круглый стол",
            start=moscow(2023, 11, 9, 10),
            end=moscow(2023, 11, 9, 12),
            is_cancelled=True,
        ),
    }


def now_next_text(client) -> str:
    page = text_of(client.get("/"))
    start = page.find("Идёт сейчас")
    return page[start : page.find("Неделя по дням")] if start >= 0 else ""


def test_now_and_next_by_the_site_clock(edition_2023, thursday):
    moment = moscow(2023, 11, 9, 10, 30)

    shown = programme.now_and_next(edition_2023, moment)

    assert shown.now == [thursday["talk"]]
    assert shown.ongoing == [thursday["week_long"]]
    assert shown.next == [thursday["webinar"], thursday["friday"]]


def test_home_page_moves_on_with_the_clock_on_one_cached_revision(
    client, thursday, clock
):
    clock("2023-11-09T10:30+03:00")
    box = now_next_text(client)
    assert box.startswith("Идёт сейчас")
    assert "Доклад о качестве" in box.split("Далее")[0]
    assert "Вебинар о метрологии" in box.split("Далее")[1]
    assert "Акция всю неделю" not in box.split("Также идут:")[0]
    assert "Также идут: Акция всю неделю (6–12 ноября 2023)" in box
    assert "Отменённый круглый стол" not in box

    clock("2023-11-09T10:50+03:00")  # the same copy: it states no clock time
    assert "10:30" not in now_next_text(client)

    clock("2023-11-09T11:00+03:00")  # the talk has ended: nothing is on
    box = now_next_text(client)
    assert "Сейчас ничего не идёт." in box
    assert "Доклад о качестве" not in box

    clock("2023-11-09T12:15+03:00")
    box = now_next_text(client)
    assert "Вебинар о метрологии" in box.split("Далее")[0]
    assert "Пт 10 ноября, 09:00" in box.split("Далее")[1]


def test_broadcast_link_shows_as_soon_as_organisers_set_it(client, thursday, clock):
    clock("2023-11-09T10:30+03:00")
    assert "Смотреть трансляцию" not in now_next_text(client)

    talk = thursday["talk"]
    talk.stream_url = "https://rutube.ru/live/quality-2023/"
    talk.save()

    response = client.get("/")
    assert "Смотреть трансляцию" in now_next_text(client)
    assert 'href="https://rutube.ru/live/quality-2023/"' in response.content.decode()


def test_no_now_and_next_before_or_after_the_week(client, thursday, clock):
    clock("2023-11-01T10:00+03:00")
    assert now_next_text(client) == ""

    clock("2023-11-13T10:00+03:00")
    assert now_next_text(client) == ""


def test_last_day_says_the_week_is_over_once_nothing_is_left(
    client, edition_2023, clock
):
    EventFactory(
        edition=edition_2023,
        title="Закрытие недели",
        start=moscow(2023, 11, 12, 15),
        end=moscow(2023, 11, 12, 16),
    )
    clock("2023-11-12T17:00+03:00")

    assert "На этой неделе больше ничего нет" in now_next_text(client)


def test_home_page_hit_during_the_week_costs_a_fixed_number_of_queries(
    client, thursday, clock
):
    clock("2023-11-09T10:30+03:00")
    client.get("/")
    for number in range(10):
        EventFactory(
            edition=thursday["talk"].edition,
            start=moscow(2023, 11, 9, 14, number),
            end=moscow(2023, 11, 9, 15),
        )
    client.get("/")

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200

    # The revision and the regional day's state; the moments are cached.
    assert len(queries) == 2, [query["sql"][:80] for query in queries]


def test_event_page_says_it_is_on_now_while_it_is(client, thursday, clock):
    talk = thursday["talk"]
    talk.stream_url = "https://rutube.ru/live/quality-2023/"
    talk.save()
    path = talk.get_absolute_url()

    clock("2023-11-09T09:59+03:00")
    assert "Идёт сейчас" not in text_of(client.get(path))

    clock("2023-11-09T10:00+03:00")
    page = text_of(client.get(path))
    assert "Идёт сейчас" in page
    assert "Смотреть трансляцию" in page

    clock("2023-11-09T11:00+03:00")  # over: the cached copy of 10:00 is not used
    assert "Идёт сейчас" not in text_of(client.get(path))
