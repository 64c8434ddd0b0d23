"""While a streamed event is on, the home page opens with it and its stream,
never from a copy cached before it started or kept after it ended."""

import pytest

from events.models import Event
from tests.factories import EventFactory, moscow
from tests.pages import text_of

STREAM = "https://stream.example.ru/regional-day"


@pytest.fixture
def streamed_day(regional_day):
    Event.objects.filter(pk=regional_day.pk).update(stream_url=STREAM)
    regional_day.refresh_from_db()
    return regional_day


def live_strip(response) -> str:
    """The live strip's words, if the page opens with it (before the hero)."""
    html = response.content.decode()
    start, hero = html.find('class="live-now"'), html.find('class="hero"')
    if start < 0:
        return ""
    assert start < hero, "the stream comes first"
    return text_of(response).split("Сейчас в эфире", 1)[1].split("Россия")[0]


def test_home_page_opens_with_the_stream_only_while_the_event_is_on(
    client, streamed_day, clock
):
    clock("2023-11-10T09:59+03:00")
    before = client.get("/")
    clock("2023-11-10T12:00+03:00")
    during = client.get("/")
    clock("2023-11-10T18:00+03:00")
    after = client.get("/")

    assert live_strip(before) == ""
    assert streamed_day.title in live_strip(during)
    assert f'class="btn btn-light btn-lg live-watch" href="{STREAM}"' in (
        during.content.decode()
    )
    assert live_strip(after) == ""


def test_home_page_leaves_out_an_event_on_without_a_stream(client, edition_2023, clock):
    EventFactory(
        edition=edition_2023,
        start=moscow(2023, 11, 9, 10),
        end=moscow(2023, 11, 9, 12),
        format=Event.Format.ONLINE,
    )
    EventFactory(
        edition=edition_2023,
        start=moscow(2023, 11, 9, 10),
        end=moscow(2023, 11, 9, 12),
        in_person=True,
        stream_url=STREAM,  # in person only: nothing to watch
    )
    clock("2023-11-09T11:00+03:00")

    assert live_strip(client.get("/")) == ""


def test_time_to_be_confirmed_mark_goes_once_the_organisers_confirm_it(
    client, streamed_day, clock
):
    Event.objects.filter(pk=streamed_day.pk).update(is_time_confirmed=False)
    clock("2023-11-10T12:00+03:00")
    uncertain = live_strip(client.get("/"))

    streamed_day.refresh_from_db()
    streamed_day.is_time_confirmed = True
    streamed_day.save()  # as admin does: a new programme revision
    confirmed = live_strip(client.get("/"))

    assert "Время уточняется" in uncertain
    assert "уточняется" not in confirmed
    assert "10:00–18:00" in confirmed


def test_home_page_offers_to_take_part_online_while_sign_ups_are_open(
    client, regional_day, clock
):
    open_now = client.get("/").content.decode()
    clock("2023-11-09T18:00+03:00")  # the window has closed
    closed = client.get("/").content.decode()

    assert 'href="/regional-day/#online"' in open_now
    assert 'href="/regional-day/#online"' not in closed
