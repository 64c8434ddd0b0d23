"""Calendar files: every one is read by icalendar and by `ical`, an independent
strict parser, as two different calendar apps would."""

import datetime
import re
from urllib.parse import quote

import icalendar
import pytest
from django.urls import reverse
from ical.calendar_stream import IcsCalendarStream

from events import ics, services
from events.models import Event
from tests.factories import (
    ActivationFactory,
    EventFactory,
    SpeakerFactory,
    VenueFactory,
    moscow,
)

pytestmark = pytest.mark.django_db

SITE = "https://qualityweek.example.ru"
UTC = datetime.UTC


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.QUALITYWEEK_SITE_URL = SITE


def parse(response):
    """The file as icalendar and as `ical` read it; both must accept it."""
    content = response.content
    return (
        icalendar.Calendar.from_ical(content),
        IcsCalendarStream.calendar_from_ics(content.decode("utf-8")),
    )


def events_of(response) -> dict[str, str]:
    """SUMMARY by UID, the same from both parsers."""
    first, second = parse(response)
    by_icalendar = {str(e["UID"]): str(e["SUMMARY"]) for e in first.events}
    by_ical = {e.uid: e.summary for e in second.events}
    assert by_icalendar == by_ical
    return by_icalendar


def same_text(calendar, name: str, twin: str) -> bool:
    """icalendar leaves X- properties as written: compare them escaped."""
    return calendar[name].to_ical() == calendar[twin].to_ical()


def uid(event) -> str:
    return f"event-{event.pk}@qualityweek.example.ru"


# Times, UIDs, SEQUENCE


def test_event_ics_gives_moscow_ten_oclock_as_seven_utc(client, regional_day):
    response = client.get("/events/regional-day-2023.ics")

    first, second = parse(response)
    assert b"\r\nDTSTART:20231110T070000Z\r\n" in response.content
    assert b"\r\nDTEND:20231110T150000Z\r\n" in response.content
    assert first.events[0].start == datetime.datetime(2023, 11, 10, 7, tzinfo=UTC)
    assert second.events[0].dtstart == datetime.datetime(2023, 11, 10, 7, tzinfo=UTC)
    assert second.events[0].dtend == datetime.datetime(2023, 11, 10, 15, tzinfo=UTC)


def test_event_ics_has_the_calendar_properties(client, regional_day):
    first, second = parse(client.get("/events/regional-day-2023.ics"))

    assert first["PRODID"] == "-//World Quality Week//Programme calendar//EN"
    assert first["VERSION"] == "2.0"
    assert first["METHOD"] == "PUBLISH"
    assert second.name == [regional_day.title]
    assert second.description == ["Всемирная неделя качества — 2023"]
    assert first["X-WR-CALNAME"] == regional_day.title
    assert first["X-WR-CALDESC"] == "Всемирная неделя качества — 2023"
    assert first["X-WR-TIMEZONE"] == "Europe/Moscow"
    assert [tz.tz_name for tz in first.timezones] == ["Europe/Moscow"]
    assert (second.prodid, second.version, second.method) == (
        "-//World Quality Week//Programme calendar//EN",
        "2.0",
        "PUBLISH",
    )


def test_event_ics_describes_time_place_and_status(client, regional_day):
    regional_day.is_demo = True
    regional_day.save()

    first, second = parse(client.get("/events/regional-day-2023.ics"))

    event = first.events[0]
    url = f"{SITE}/events/regional-day-2023/"
    assert str(event["UID"]) == uid(regional_day)
    assert event["SEQUENCE"] == 0
    # Demo says so where a calendar shows only titles, and is not settled.
    assert event["SUMMARY"] == (
        "[Демо] Региональный день форума «Всемирный день качества»"
    )
    assert event["LOCATION"] == (
        "ВДНХ, Региональный павильон, Москва, проспект Мира, 119"
    )
    assert (event["GEO"].latitude, event["GEO"].longitude) == (55.8263, 37.6377)
    assert event["URL"] == url
    assert event.categories == ["Региональный день", "Гибридный"]
    assert event["STATUS"] == "TENTATIVE"
    updated_at = regional_day.updated_at.replace(microsecond=0)
    assert (event["DTSTAMP"].dt, event["LAST-MODIFIED"].dt) == (updated_at, updated_at)
    assert event["DESCRIPTION"] == (
        "Демо-содержание: этой сессии и её времени нет в информации организаторов. "
        "Они показывают, как работает сайт."
        f"\n\nСтраница события: {url}"
    )
    assert second.events[0].categories == ["Региональный день", "Гибридный"]
    assert second.events[0].url == url


def test_event_ics_of_online_event_says_online_without_geo(client, edition_2023):
    event = EventFactory(
        edition=edition_2023,
        format=Event.Format.ONLINE,
        stream_url="https://example.ru/live",
        speakers=[SpeakerFactory(name="Мария Иванова")],
    )

    first, _second = parse(client.get(reverse("events:ics", args=[event.slug])))

    component = first.events[0]
    assert component["LOCATION"] == "Онлайн"
    assert "GEO" not in component
    assert component["DESCRIPTION"] == (
        "Трансляция: https://example.ru/live\n\n"
        "Спикеры: Мария Иванова\n\n"
        f"Страница события: {SITE}/events/{event.slug}/"
    )


def test_event_ics_uid_is_stable_across_requests_and_edits(client, regional_day):
    before = events_of(client.get("/events/regional-day-2023.ics"))
    again = events_of(client.get("/events/regional-day-2023.ics"))
    regional_day.title = "Новое название"
    regional_day.start = moscow(2023, 11, 10, 11)
    services.save_event(regional_day)

    after = events_of(client.get("/events/regional-day-2023.ics"))

    assert list(before) == list(again) == list(after) == [uid(regional_day)]
    assert after[uid(regional_day)] == "Новое название"


def test_event_ics_sequence_rises_when_time_changes(client, regional_day):
    regional_day.start = moscow(2023, 11, 10, 11)
    services.save_event(regional_day)

    first, second = parse(client.get("/events/regional-day-2023.ics"))

    assert first.events[0]["SEQUENCE"] == 1
    assert second.events[0].sequence == 1
    assert b"\r\nDTSTART:20231110T080000Z\r\n" in first.to_ical()


def test_event_ics_of_whole_days_event_gives_all_day_dates(client, edition_2023):
    forum = EventFactory(
        edition=edition_2023,
        kind=Event.Kind.FORUM,
        start=moscow(2023, 11, 7),
        end=moscow(2023, 11, 11),
    )

    response = client.get(reverse("events:ics", args=[forum.slug]))

    _first, second = parse(response)
    assert b"\r\nDTSTART;VALUE=DATE:20231107\r\n" in response.content
    assert b"\r\nDTEND;VALUE=DATE:20231111\r\n" in response.content
    assert second.events[0].dtend - second.events[0].dtstart == datetime.timedelta(
        days=4
    )


def test_calendar_links_of_whole_day_event_are_all_day(edition_2023):
    quality_day = EventFactory(
        edition=edition_2023, start=moscow(2023, 11, 9), end=moscow(2023, 11, 10)
    )

    google = ics.google_calendar_url(quality_day)
    outlook = ics.outlook_calendar_url(quality_day)

    assert "dates=20231109%2F20231110" in google
    assert "startdt=2023-11-09&enddt=2023-11-10" in outlook
    assert "allday=true" in outlook


def test_event_ics_of_unpublished_event_is_404(client, organiser_client, week):
    assert client.get("/events/draft.ics").status_code == 404
    assert organiser_client.get("/events/draft.ics").status_code == 404


def test_event_ics_in_english(client, regional_day):
    regional_day.venue.name_en = "VDNKh, Regional pavilion"
    regional_day.venue.save()

    first, second = parse(client.get("/en/events/regional-day-2023.ics"))

    event = first.events[0]
    assert event["SUMMARY"] == "Regional day of the forum “World Quality Day”"
    assert event["URL"] == f"{SITE}/en/events/regional-day-2023/"
    assert event["LOCATION"] == "VDNKh, Regional pavilion, 119 Prospekt Mira, Moscow"
    assert event.categories == ["Regional day", "Hybrid"]
    assert second.events[0].summary == "Regional day of the forum “World Quality Day”"


# The whole programme


def test_calendar_keeps_cancelled_and_leaves_out_unpublished(client, week):
    response = client.get("/calendar.ics")

    first, second = parse(response)
    statuses = {str(e["UID"]): str(e["STATUS"]) for e in first.events}
    assert statuses == {
        uid(week["cancelled"]): "CANCELLED",
        uid(week["online"]): "CONFIRMED",
        uid(week["kirov"]): "CONFIRMED",
    }
    assert [e.status.value for e in second.events] == [
        "CANCELLED",
        "CONFIRMED",
        "CONFIRMED",
    ]
    assert second.name == ["Всемирная неделя качества — 2023"]
    assert first["DESCRIPTION"] == (
        "Программа: Всемирная неделя качества — 2023, 6–12 ноября 2023. "
        f"Подробнее: {SITE}/schedule/"
    )
    assert same_text(first, "X-WR-CALNAME", "NAME")
    assert same_text(first, "X-WR-CALDESC", "DESCRIPTION")


def test_calendar_event_gets_geo_from_its_venue(client, week):
    first, _second = parse(client.get("/calendar.ics?region=43"))

    event = first.events[0]
    assert (event["GEO"].latitude, event["GEO"].longitude) == (58.6036, 49.668)
    assert event["LOCATION"] == "Кировский технопарк, Киров, улица Мира, 1"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("format=online", {"online", "cancelled"}),
        ("format=offline", {"kirov"}),
        ("day=2023-11-10", {"kirov"}),
        ("region=43", {"kirov"}),
        ("kind=other", {"kirov"}),
        ("q=вебинар", {"online"}),
        ("q=ТЕХНОПАРК", {"kirov"}),
        ("format=online&day=2023-11-09", {"online"}),
        ("format=offline&day=2023-11-09", set()),
        ("region=77", set()),  # a region without events: a valid, empty feed
    ],
)
def test_calendar_filters_like_the_schedule(client, week, query, expected):
    response = client.get(f"/calendar.ics?{query}")

    assert set(events_of(response)) == {uid(week[name]) for name in expected}


def test_calendar_names_the_filters_in_use(client, week):
    first, second = parse(client.get("/calendar.ics?format=online&day=2023-11-09"))

    assert second.name == [
        "Всемирная неделя качества — 2023: Четверг, 9 ноября · Онлайн"
    ]
    assert same_text(first, "X-WR-CALNAME", "NAME")


def test_calendar_with_bad_filter_says_what_is_wrong(client, week):
    response = client.get("/calendar.ics?format=teleport")

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "В ссылке на календарь есть фильтр, которым нельзя воспользоваться:\n"
        "Формат: Выберите корректный вариант. teleport нет среди допустимых "
        "значений.\n"
    )


def test_calendar_in_english(client, week):
    first, second = parse(client.get("/en/calendar.ics?format=offline"))

    assert second.name == ["World Quality Week 2023: In person"]
    assert [str(e["SUMMARY"]) for e in first.events] == ["Factory open day"]
    assert first.events[0]["URL"] == f"{SITE}/en/events/kirov-open-day/"
    assert first.events[0]["LOCATION"] == "Kirov technopark, 1 Mira street, Kirov"
    assert [e.summary for e in second.events] == ["Factory open day"]


def test_calendar_without_events_is_still_valid(client, edition_2023):
    response = client.get("/calendar.ics")

    first, second = parse(response)
    assert (first.events, second.events) == ([], [])
    assert [tz.tz_name for tz in first.timezones] == ["Europe/Moscow"]


def test_calendar_without_edition_is_404(client, db):
    assert client.get("/calendar.ics").status_code == 404


def test_calendar_cached_feed_changes_when_organisers_edit(client, week):
    client.get("/calendar.ics")
    week["online"].title = "Новое название вебинара"
    services.save_event(week["online"])

    assert events_of(client.get("/calendar.ics"))[uid(week["online"])] == (
        "Новое название вебинара"
    )


def test_calendar_query_count_does_not_grow_with_events(
    client, edition_2023, django_assert_num_queries, settings
):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }
    speakers = SpeakerFactory.create_batch(2)
    venue = VenueFactory()

    # Events and approved activations, one query each whatever their number.
    for new in (1, 2, 97):
        EventFactory.create_batch(
            new, edition=edition_2023, venue=venue, speakers=speakers
        )
        ActivationFactory.create_batch(new, edition=edition_2023)
        with django_assert_num_queries(6):
            response = client.get("/calendar.ics")
    assert len(events_of(response)) == 200


@pytest.mark.parametrize("query", ["", "?format=online"])
def test_calendar_from_cache_costs_one_query(
    client, week, django_assert_num_queries, query
):
    client.get(f"/calendar.ics{query}")

    # The programme revision; the current edition is kept per revision and date.
    with django_assert_num_queries(1):
        response = client.get(f"/calendar.ics{query}")
    assert len(events_of(response)) == (2 if query else 3)


# Text from organisers cannot break the file


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Строка один\nСтрока два", "Строка один\nСтрока два"),
        ("Windows\r\nline", "Windows\nline"),
        ("Запятые, точки; с запятой", "Запятые, точки; с запятой"),
        ("Обратный \\ слеш и \\n не перевод строки", None),
        ("C:\\New folder\\Notes", None),
        ("Эмодзи 🎉👩‍💻 и флаг 🇷🇺", None),
        ("Конец\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil\nSUMMARY:Чужое", None),
        ("END:VCALENDAR\r\nBEGIN:VCALENDAR", "END:VCALENDAR\nBEGIN:VCALENDAR"),
        ("Управляющие\x07\x0b\x1b[31m знаки\tи таб", "Управляющие[31m знаки\tи таб"),
        ("Одинокий\rвозврат каретки", "Одинокий\nвозврат каретки"),
    ],
)
def test_calendar_keeps_organisers_text_as_one_event(
    client, edition_2023, text, expected
):
    expected = text if expected is None else expected
    event = EventFactory(edition=edition_2023)
    Event.objects.filter(pk=event.pk).update(title=text, description=text)

    response = client.get("/calendar.ics")

    first, second = parse(response)
    assert response.content.split(b"\r\n").count(b"BEGIN:VEVENT") == 1
    assert [str(e["SUMMARY"]) for e in first.events] == [expected]
    assert [e.summary for e in second.events] == [expected]
    assert str(first.events[0]["DESCRIPTION"]).startswith(expected + "\n\n")
    assert second.events[0].description.startswith(expected + "\n\n")


def test_calendar_with_line_breaks_in_links_and_places_is_not_500(client, edition_2023):
    venue = VenueFactory(name="Зал\r\nEND:VEVENT", address="Адрес;\nLOCATION:x")
    event = EventFactory(edition=edition_2023, venue=venue, format="hybrid")
    Event.objects.filter(pk=event.pk).update(
        stream_url="https://example.ru/live\r\nEND:VEVENT\r\nX-EVIL:1"
    )

    response = client.get("/calendar.ics")

    first, second = parse(response)
    assert response.status_code == 200
    assert len(first.events) == len(second.events) == 1
    assert first.events[0]["LOCATION"] == "Зал\nEND:VEVENT, Адрес;\nLOCATION:x"
    assert "X-EVIL" not in first.events[0]
    assert (
        "Трансляция: https://example.ru/live\nEND:VEVENT\nX-EVIL:1"
        in first.events[0]["DESCRIPTION"]
    )


def test_calendar_folds_lines_at_75_octets_without_splitting_characters(
    client, edition_2023
):
    EventFactory(
        edition=edition_2023,
        title="Качество 🎉 " * 25,  # within the 300 characters of the field
        description="Ёжик в тумане — 👩‍💻 — " * 40,
    )

    content = client.get("/calendar.ics").content

    lines = content.split(b"\r\n")
    assert lines[-1] == b""  # every line ends in CRLF
    assert b"\n" not in content.replace(b"\r\n", b"")
    assert b"\r" not in content.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    assert all(line.decode("utf-8") for line in lines[:-1])
    assert any(line.startswith(b" ") for line in lines)  # folding happened


# HTTP


def test_calendar_response_headers(client, week):
    response = client.get("/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"quality-week-2023.ics\"; filename*=UTF-8''"
        + quote("Всемирная неделя качества — 2023.ics")
    )
    assert response["Cache-Control"] == "public, max-age=300"
    assert re.fullmatch(r'"\d+-\d+-ru"', response["ETag"])
    assert response["Last-Modified"].endswith(" GMT")


def test_event_ics_download_name_is_the_title(client, regional_day):
    response = client.get("/events/regional-day-2023.ics")

    assert response["Content-Disposition"] == (
        "attachment; filename=\"regional-day-2023.ics\"; filename*=UTF-8''"
        + quote("Региональный день форума «Всемирный день качества».ics")
    )


@pytest.mark.parametrize("path", ["/calendar.ics", "/events/regional-day-2023.ics"])
def test_unchanged_calendar_gets_304_for_its_etag(client, regional_day, path):
    etag = client.get(path)["ETag"]

    response = client.get(path, headers={"if-none-match": etag})

    assert (response.status_code, response.content) == (304, b"")
    assert response["ETag"] == etag


@pytest.mark.parametrize("path", ["/calendar.ics", "/events/regional-day-2023.ics"])
def test_unchanged_calendar_gets_304_since_last_modified(client, regional_day, path):
    last_modified = client.get(path)["Last-Modified"]

    response = client.get(path, headers={"if-modified-since": last_modified})

    assert (response.status_code, response.content) == (304, b"")


def test_changed_calendar_gets_200_for_an_old_etag(client, regional_day):
    etag = client.get("/calendar.ics")["ETag"]
    regional_day.start = moscow(2023, 11, 10, 11)
    services.save_event(regional_day)

    response = client.get("/calendar.ics", headers={"if-none-match": etag})

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert b"\r\nDTSTART:20231110T080000Z\r\n" in response.content


def test_calendar_etag_differs_by_language(client, regional_day):
    assert client.get("/calendar.ics")["ETag"] != client.get("/en/calendar.ics")["ETag"]


@pytest.mark.parametrize("path", ["/calendar.ics", "/events/regional-day-2023.ics"])
def test_calendar_answers_head_with_headers_only(client, regional_day, path):
    get = client.get(path)

    head = client.head(path)

    assert (head.status_code, head.content) == (200, b"")
    assert head["Content-Type"] == "text/calendar; charset=utf-8"
    assert head["ETag"] == get["ETag"]
    assert head["Content-Disposition"] == get["Content-Disposition"]


def test_calendar_refuses_post(client, regional_day):
    assert client.post("/calendar.ics").status_code == 405


# Links on the pages


def test_event_page_offers_ics_google_and_outlook(client, regional_day):
    html = client.get(regional_day.get_absolute_url()).content.decode()

    assert 'href="/events/regional-day-2023.ics"' in html
    assert (
        "https://calendar.google.com/calendar/render?action=TEMPLATE&amp;"
        "text=%D0%A0%D0%B5%D0%B3" in html
    )
    assert "dates=20231110T070000Z%2F20231110T150000Z" in html
    assert "https://outlook.live.com/calendar/0/action/compose?" in html
    assert "startdt=2023-11-10T07%3A00%3A00Z&amp;enddt=2023-11-10T15%3A00%3A00Z" in html


def test_event_page_of_cancelled_event_offers_only_the_file(client, week):
    html = client.get("/events/cancelled-talk/").content.decode()

    assert 'href="/events/cancelled-talk.ics"' in html
    assert "calendar.google.com" not in html
    assert "outlook.live.com" not in html
    assert "outlook.office.com" not in html


def test_event_page_offers_office_365_beside_outlook_com(client, regional_day):
    html = client.get("/events/regional-day-2023/").content.decode()

    assert "https://outlook.office.com/calendar/0/action/compose?" in html
    assert "Office 365 <small>Рабочая или учебная учётная запись</small>" in html


def test_office_365_link_carries_the_event_in_utc(regional_day):
    url = ics.outlook_calendar_url(regional_day, host=ics.OFFICE_365)

    scheme_host, query = url.split("?")
    assert scheme_host == "https://outlook.office.com/calendar/0/action/compose"
    assert "&startdt=2023-11-10T07%3A00%3A00Z&enddt=2023-11-10T15%3A00%3A00Z&" in url
    assert query == ics.outlook_calendar_url(regional_day).split("?")[1]


def test_google_calendar_link_carries_the_event(regional_day):
    url = ics.google_calendar_url(regional_day)

    assert url == (
        "https://calendar.google.com/calendar/render?action=TEMPLATE"
        "&text="
        + quote(regional_day.title, safe="")
        + "&dates=20231110T070000Z%2F20231110T150000Z"
        "&details="
        + quote(f"{SITE}/events/regional-day-2023/", safe="")
        + "&location="
        + quote(ics.location(regional_day), safe="")
    )


def test_schedule_offers_download_and_subscription_for_its_filters(client, week):
    html = client.get("/schedule/?format=online&day=2023-11-09").content.decode()

    assert 'href="/calendar.ics?day=2023-11-09&amp;format=online"' in html
    assert (
        'href="webcal://testserver/calendar.ics?day=2023-11-09&amp;format=online"'
        in html
    )
    assert (
        'value="http://testserver/calendar.ics?day=2023-11-09&amp;format=online"'
        in html
    )


def test_schedule_day_subscription_carries_the_day(client, week):
    html = client.get("/en/schedule/2023-11-10/").content.decode()

    assert 'href="webcal://testserver/en/calendar.ics?day=2023-11-10"' in html


def test_schedule_without_filters_subscribes_to_the_whole_week(client, week):
    html = client.get("/schedule/").content.decode()

    assert 'href="webcal://testserver/calendar.ics"' in html
