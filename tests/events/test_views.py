import json
import re

import pytest
from django.core.management import call_command

from events.models import Event
from tests.factories import (
    ActivationFactory,
    EventFactory,
    SpeakerFactory,
    VenueFactory,
    moscow,
)
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_home_shows_motto_dates_and_quality_day(
    client, clock, edition_2023, regional_day
):
    response = client.get("/")

    page = text_of(response)
    assert "Россия — страна со Знаком качества" in page
    assert "6–12 ноября 2023" in page
    assert "9 ноября" in page
    assert regional_day.title in page
    # What companies do is the edition's own (tests/events/test_fixture.py).
    assert "Компании любого размера присоединяются к неделе" in page


def test_schedule_groups_published_events_by_day_in_moscow_time(client, week):
    response = client.get("/schedule/")

    page = text_of(response)
    assert response.status_code == 200
    assert "Четверг, 9 ноября" in page
    assert "10:00–11:30 Вебинар о качестве" in page
    assert "14:00–16:00 День открытых дверей на заводе" in page
    assert "Черновик" not in page
    assert page.index("Среда, 8 ноября") < page.index("Четверг, 9 ноября")


def test_schedule_keeps_cancelled_event_visible_and_marked(client, week):
    page = text_of(client.get("/schedule/"))

    assert "Отменённый доклад" in page
    assert "Отменено" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("format=online", {"online-webinar", "cancelled-talk"}),
        ("format=offline", {"kirov-open-day"}),
        ("day=2023-11-10", {"kirov-open-day"}),
        ("region=43", {"kirov-open-day"}),
        ("kind=other", {"kirov-open-day"}),
        ("q=вебинар", {"online-webinar"}),  # Cyrillic case folding, even on SQLite
        ("q=ТЕХНОПАРК", {"kirov-open-day"}),  # the venue's name counts
        ("format=online&day=2023-11-09", {"online-webinar"}),
        ("format=offline&day=2023-11-09", set()),
    ],
)
def test_schedule_filters_combine(client, week, query, expected):
    response = client.get(f"/schedule/?{query}")

    slugs = set(re.findall(r'href="/events/([\w-]+)/"', response.content.decode()))
    assert slugs == expected


def test_schedule_with_no_match_says_so(client, week):
    page = text_of(client.get("/schedule/?q=несуществующее"))

    assert "Нет событий по этим фильтрам." in page
    assert "0 событий" in page


def test_schedule_with_bad_filter_values_explains_and_shows_the_rest(client, week):
    response = client.get("/schedule/?day=2023-13-45&format=teleport&region=zz")

    page = text_of(response)
    assert response.status_code == 200
    assert "Выберите корректный вариант" in page
    assert "Вебинар о качестве" in page


def test_schedule_links_keep_filters(client, week):
    html = client.get("/schedule/?format=online").content.decode()

    assert 'href="/schedule/2023-11-09/?format=online"' in html


def test_schedule_day_shows_only_that_day(client, week):
    page = text_of(client.get("/schedule/2023-11-10/"))

    assert "День открытых дверей на заводе" in page
    assert "Вебинар о качестве" not in page


@pytest.mark.parametrize("path", ["/schedule/2023-11-13/", "/schedule/2023-02-30/"])
def test_schedule_day_outside_the_week_is_404_in_russian(client, edition_2023, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "Страница не найдена" in text_of(response)


def test_schedule_in_english(client, week):
    response = client.get("/en/schedule/")

    page = text_of(response)
    assert "Thursday, 9 November" in page
    assert "Webinar on quality" in page
    assert response.headers["Content-Language"] == "en"


def test_schedule_query_count_does_not_grow_with_events(
    client, edition_2023, django_assert_num_queries, settings
):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }
    speakers = SpeakerFactory.create_batch(2)
    venue = VenueFactory()

    created = 0
    for total in (1, 3, 500):
        EventFactory.create_batch(
            total - created, edition=edition_2023, venue=venue, speakers=speakers
        )
        # Approved activations show in the programme too: one more query for all.
        ActivationFactory.create_batch(total - created, edition=edition_2023)
        created = total
        # Two name the operator and the official sites in the footer.
        with django_assert_num_queries(9):
            response = client.get("/schedule/")
    assert "1000 событий" in text_of(response)


def test_schedule_cached_page_changes_when_organisers_edit(client, week):
    client.get("/schedule/")
    week["online"].title = "Новое название вебинара"
    week["online"].save()

    assert "Новое название вебинара" in text_of(client.get("/schedule/"))


def test_event_page_shows_time_place_and_speakers(client, regional_day):
    regional_day.speakers.set(
        [SpeakerFactory(name="Мария Иванова", position="директор")]
    )

    page = text_of(client.get(regional_day.get_absolute_url()))

    assert "Пятница, 10 ноября 2023, 10:00–18:00" in page
    assert "московское время" in page
    assert "ВДНХ, Региональный павильон" in page
    assert "Мария Иванова" in page


def test_event_page_has_schema_org_event(client, regional_day):
    html = client.get(regional_day.get_absolute_url()).content.decode()

    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S)[1])
    assert data["@type"] == "Event"
    assert data["startDate"] == "2023-11-10T10:00:00+03:00"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"


def test_event_page_lists_its_sessions_day_by_day(client, edition_2023):
    forum = EventFactory(edition=edition_2023, slug="forum", kind=Event.Kind.FORUM)
    EventFactory(
        edition=edition_2023,
        parent=forum,
        title="Пленарное заседание",
        start=moscow(2023, 11, 7, 11),
        end=moscow(2023, 11, 7, 13),
    )
    EventFactory(
        edition=edition_2023,
        parent=forum,
        title="Сессия о доверии",
        start=moscow(2023, 11, 9, 12),
        end=moscow(2023, 11, 9, 13),
    )

    page = text_of(client.get("/events/forum/"))

    assert "Вторник, 7 ноября 11:00–13:00 Пленарное заседание" in page
    assert "Четверг, 9 ноября 12:00–13:00 Сессия о доверии" in page


def test_unpublished_event_is_404_for_visitors_and_visible_to_organisers(
    client, organiser_client, week
):
    assert client.get("/events/draft/").status_code == 404
    assert "Не опубликовано" in text_of(organiser_client.get("/events/draft/"))


def test_event_page_in_english(client, regional_day):
    page = text_of(client.get(f"/en{regional_day.get_absolute_url()}"))

    assert "Friday, 10 November 2023, 10:00–18:00" in page
    assert "Regional day of the forum “World Quality Day”" in page


def test_sitemap_lists_events_in_both_languages(client, week):
    xml = client.get("/sitemap.xml").content.decode()

    assert "http://testserver/events/online-webinar/" in xml
    assert "http://testserver/en/events/online-webinar/" in xml
    assert "/events/draft/" not in xml


def test_clock_banner_shows_when_clock_is_set(client, clock, edition_2023):
    assert "Демо-режим" in text_of(client.get("/"))


def test_no_clock_banner_on_real_time(client, edition_2023, settings):
    settings.QUALITYWEEK_CLOCK = ""

    assert "Демо-режим" not in text_of(client.get("/"))


def test_pages_load_nothing_from_outside_hosts(client, week, regional_day):
    for path in ["/", "/schedule/", regional_day.get_absolute_url()]:
        html = client.get(path).content.decode()
        assert (
            re.findall(
                r'(?:src|href)="(?:https?:)?//(?!testserver)[^"]*\.(?:css|js|woff2?)',
                html,
            )
            == []
        )


def test_language_switcher_links_to_same_page_in_english(client, week):
    html = client.get("/schedule/?format=online").content.decode()

    assert 'href="/en/schedule/?format=online"' in html


def test_shipped_data_loads_and_serves_the_week(client, clock):
    call_command("loaddata", "quality_week_2023", verbosity=0)

    response = client.get("/schedule/2023-11-10/")

    page = text_of(response)
    assert "Региональный день форума «Всемирный день качества»" in page
    assert "Пятница, 10 ноября" in page


def test_schedule_served_again_takes_one_query(client, week, django_assert_num_queries):
    client.get("/schedule/?format=online")

    with django_assert_num_queries(1):
        response = client.get("/schedule/?format=online")

    assert "Вебинар о качестве" in text_of(response)
    assert "День открытых дверей на заводе" not in text_of(response)


def test_home_served_again_takes_two_queries(
    client, clock, regional_day, django_assert_num_queries
):
    client.get("/")

    # The programme's revision, and where the regional day's registration stands.
    with django_assert_num_queries(2):
        response = client.get("/")

    assert regional_day.title in text_of(response)


def test_cached_home_moves_on_to_the_next_edition_when_the_date_changes(client, clock):
    from tests.factories import EditionFactory

    EditionFactory(year=2023)
    EditionFactory(year=2024, motto="Девиз 2024 года")
    clock("2023-11-12T12:00+03:00")
    assert "Россия — страна со Знаком качества" in text_of(client.get("/"))

    clock("2023-11-13T12:00+03:00")  # the 2023 week is over: 2024 is next

    assert "Девиз 2024 года" in text_of(client.get("/"))


def test_schedule_in_english_names_regions_in_english(client, week):
    html = client.get("/en/schedule/").content.decode()

    assert '<option value="43">Kirov Oblast</option>' in html


@pytest.mark.parametrize(
    ("accept_encoding", "gzipped"),
    [("gzip, deflate, br", True), ("", False), ("gzip;q=0, br", False)],
)
def test_schedule_is_gzipped_for_clients_that_take_it(
    client, week, accept_encoding, gzipped
):
    import gzip

    client.get("/schedule/")  # the first visitor's copy is cached

    response = client.get("/schedule/", HTTP_ACCEPT_ENCODING=accept_encoding)

    body = gzip.decompress(response.content) if gzipped else response.content
    assert response.get("Content-Encoding") == ("gzip" if gzipped else None)
    assert "Accept-Encoding" in response["Vary"]
    assert "Вебинар о качестве" in body.decode()


def test_schedule_form_sent_with_empty_fields_goes_to_the_short_address(client, week):
    response = client.get("/schedule/?q=&day=&kind=&format=online&region=")

    assert (response.status_code, response["Location"]) == (
        302,
        "/schedule/?format=online",
    )


def test_schedule_form_sent_all_empty_goes_to_the_whole_week(client, week):
    response = client.get("/en/schedule/2023-11-09/?q=&kind=")

    assert response["Location"] == "/en/schedule/2023-11-09/"


@pytest.mark.parametrize(
    ("asked", "sent_to"),
    [
        ("/schedule/?x=1", "/schedule/"),
        ("/schedule/?format=online&utm_source=mail", "/schedule/?format=online"),
        ("/schedule/?day=2023-11-09&page=3", "/schedule/?day=2023-11-09"),
        ("/?utm_source=mail", "/"),
        ("/en/materials/?ref=1", "/en/materials/"),
    ],
)
def test_cached_pages_send_unknown_query_parameters_to_the_canonical_page(
    client, week, asked, sent_to
):
    response = client.get(asked)

    assert (response.status_code, response["Location"]) == (302, sent_to)


def test_junk_query_strings_take_no_cache_entries(client, week, settings):
    from django.core.cache import cache

    for number in range(50):
        client.get(f"/schedule/?x={number}", follow=True)
        client.get(f"/schedule/?format=teleport{number}")

    # One page, kept plain and gzipped.
    pages = [key for key in cache._cache if ":programme:page:" in key]
    assert len(pages) == 2
    assert {key.rsplit(":", 1)[1] for key in pages} == {"identity", "gzip"}


# One rule for where registration stands, on every page that offers a seat.


def test_home_offers_no_registration_once_it_has_closed(client, clock, regional_day):
    clock("2023-11-10T12:00+03:00")

    page = text_of(client.get("/"))

    assert "Регистрация на региональный день" not in page
    assert "Зарегистрироваться на очное участие" not in page
    assert "О региональном дне" in page
    assert "Регистрация на это мероприятие закрыта." in page


def test_home_follows_the_closing_hour_within_one_day(client, clock, regional_day):
    clock("2023-11-09T17:00+03:00")
    assert "Зарегистрироваться на очное участие" in text_of(client.get("/"))

    clock("2023-11-09T19:00+03:00")  # same date, so same cached page but for the state
    page = text_of(client.get("/"))

    assert "Зарегистрироваться на очное участие" not in page
    assert "Регистрация на это мероприятие закрыта." in page


def test_home_offers_the_waiting_list_when_the_room_is_full(
    client, clock, regional_day
):
    client.get("/")
    Event.objects.filter(pk=regional_day.pk).update(seats_taken=regional_day.seats)

    page = text_of(client.get("/"))

    assert "Зарегистрироваться на очное участие" not in page
    assert "Встать в лист ожидания" in page
    assert (
        "Регистрация на региональный день" in page
    )  # the waiting list still takes people


def test_event_page_puts_the_call_and_seats_left_under_the_title(
    client, clock, regional_day
):
    response = client.get(regional_day.get_absolute_url())

    html = response.content.decode()
    head = html.index("event-head")
    header = html[head : html.index("</header>", head)]
    assert f'href="/events/{regional_day.slug}/register/"' in header
    assert "Осталось 2 места" in text_of(response)
    assert html.count(f'href="/events/{regional_day.slug}/register/"') == 1


def test_event_page_offers_the_waiting_list_when_full(client, clock, regional_day):
    Event.objects.filter(pk=regional_day.pk).update(seats_taken=regional_day.seats)

    page = text_of(client.get(regional_day.get_absolute_url()))

    assert "Зарегистрироваться на очное участие" not in page
    assert "Встать в лист ожидания" in page
    assert "Все места заняты: открыт лист ожидания." in page


def test_event_page_says_registration_has_closed_without_a_link(
    client, clock, regional_day
):
    clock("2023-11-09T19:00+03:00")

    response = client.get(regional_day.get_absolute_url())

    assert f"/events/{regional_day.slug}/register/" not in response.content.decode()
    assert "Регистрация на это мероприятие закрыта." in text_of(response)


def test_cancelled_event_says_so_once(client, clock, regional_day):
    Event.objects.filter(pk=regional_day.pk).update(is_cancelled=True)

    page = text_of(client.get(regional_day.get_absolute_url()))

    assert page.count("Это событие отменено.") == 1
    assert "Зарегистрироваться" not in page


def test_unconfirmed_time_carries_its_caveat_on_every_page(client, clock, regional_day):
    Event.objects.filter(pk=regional_day.pk).update(is_time_confirmed=False)

    for path in ["/", regional_day.get_absolute_url(), "/regional-day/"]:
        page = text_of(client.get(path))
        assert "10:00–18:00 (время уточняется)" in page, path


def test_unconfirmed_time_is_tentative_in_calendars(client, clock, regional_day):
    import icalendar

    Event.objects.filter(pk=regional_day.pk).update(is_time_confirmed=False)

    feed = icalendar.Calendar.from_ical(client.get("/calendar.ics").content)

    (event,) = feed.walk("VEVENT")
    assert event["STATUS"] == "TENTATIVE"


def test_a_day_without_events_says_so_without_reset_or_subscription(client, week):
    response = client.get("/schedule/2023-11-11/")

    page = text_of(response)
    assert "В этот день событий нет." in page
    assert "Нет событий по этим фильтрам." not in page
    assert "сбросьте фильтры" not in page
    assert "Сбросить" not in page
    assert "Подписаться" not in page
    assert 'href="/schedule/"' in response.content.decode()  # the whole week


def test_filters_that_match_nothing_offer_a_reset(client, week):
    response = client.get("/schedule/2023-11-09/?format=offline")

    page = text_of(response)
    assert "Нет событий по этим фильтрам." in page
    assert "Сбросить фильтры" in page
    assert 'href="/schedule/2023-11-09/#results"' in response.content.decode()
    assert "Подписаться" not in page


def test_the_week_filtered_to_an_empty_day_offers_a_reset(client, week):
    page = text_of(client.get("/schedule/?day=2023-11-11"))

    assert "Нет событий по этим фильтрам." in page
    assert "Сбросить фильтры" in page


def test_a_day_with_events_offers_the_subscription(client, week):
    page = text_of(client.get("/schedule/2023-11-09/"))

    assert "Вебинар о качестве" in page
    assert "Подписаться" in page
    assert "Сбросить" not in page


def test_the_filter_form_lands_on_the_results(client, week):
    html = client.get("/schedule/?format=online").content.decode()

    assert 'action="#results"' in html
    assert 'id="results"' in html
    assert '<details class="filters">' in html  # folded until a script opens it wide


def test_home_strip_tells_what_each_day_holds(client, clock, edition_2023, week):
    page = text_of(client.get("/"))

    assert "События компаний и регионов" not in page
    # No main event on Thursday or Friday, but a session each; nothing at the weekend.
    assert "1 событие в программе" in page
    assert page.count("Нет событий") >= 2


def test_home_without_ideas_of_the_edition_shows_none_and_no_dangling_colon(
    client, edition_2023, clock
):
    from events.models import Idea

    empty = client.get("/").content.decode()
    Idea.objects.create(
        edition=edition_2023,
        icon=Idea.Icon.GIFT,
        title="Скидки постоянным клиентам",
        text="Предложите скидку в День качества.",
    )
    with_idea = client.get("/").content.decode()  # a new copy: the revision rose

    assert "idea-card" not in empty
    assert "Вот что делают другие:" not in empty
    assert "Скидки постоянным клиентам" in with_idea
