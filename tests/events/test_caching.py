"""Cached pages stay true: event pages per live state, feeds gzipped, keys that
name the site, and a per-process tier in front of Redis."""

import gzip

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import caching
from registrations import services
from tests.factories import RegistrationFactory, SpeakerFactory
from tests.pages import text_of

from ..qualityweek.test_settings import settings_under

# The reads compiled once (events.caching.PreparedQuery) are SQL of each database.
pytestmark = pytest.mark.postgres

EVENT_PAGE = "/events/regional-day-2023/"


def queries_of(client, path, **headers) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    assert response.status_code == 200
    return len(queries), response


def test_event_page_hit_costs_a_fixed_number_of_queries(client, regional_day, clock):
    for number in range(12):
        regional_day.speakers.add(SpeakerFactory(name=f"Спикер {number}"))
    first, _ = queries_of(client, EVENT_PAGE)
    hit, response = queries_of(client, EVENT_PAGE)

    # The event's seat fields, the programme revision beside them: one query.
    assert hit == 1 < first
    assert "Спикер 11" in response.content.decode()


def test_event_page_shows_each_seat_taken(client, regional_day, clock):
    regional_day.seats = 3
    regional_day.save()
    assert "Осталось 3 места" in text_of(client.get(EVENT_PAGE))

    services.confirm(RegistrationFactory(event=regional_day))
    assert "Осталось 2 места" in text_of(client.get(EVENT_PAGE))

    services.confirm(RegistrationFactory(event=regional_day))
    services.confirm(RegistrationFactory(event=regional_day))
    page = text_of(client.get(EVENT_PAGE))
    assert "Все места заняты: открыт лист ожидания." in page
    assert "Встать в лист ожидания" in page


def test_event_page_says_registration_closed_once_it_closes(
    client, regional_day, clock
):
    assert "Зарегистрироваться" in text_of(client.get(EVENT_PAGE))

    clock("2023-11-09T18:00+03:00")  # the moment registration closes
    page = text_of(client.get(EVENT_PAGE))

    assert "Регистрация на это мероприятие закрыта." in page
    assert "Зарегистрироваться" not in page


def test_event_page_shows_an_organisers_edit_at_once(client, regional_day, clock):
    client.get(EVENT_PAGE)

    regional_day.title = "Региональный день: новая программа"
    regional_day.save()

    assert "Региональный день: новая программа" in text_of(client.get(EVENT_PAGE))


def test_unpublished_event_page_is_not_kept(client, regional_day, clock):
    regional_day.is_published = False
    regional_day.save()
    assert client.get(EVENT_PAGE).status_code == 404

    regional_day.is_published = True
    regional_day.save()
    assert client.get(EVENT_PAGE).status_code == 200


def test_gzipped_feed_parses_the_same_as_the_plain_one(client, regional_day):
    plain = client.get("/calendar.ics")
    zipped = client.get("/calendar.ics", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    assert icalendar.Calendar.from_ical(gzip.decompress(zipped.content)) == (
        icalendar.Calendar.from_ical(plain.content)
    )
    assert len(zipped.content) < len(plain.content)
    # Other bytes, another entity tag; each revalidates to 304.
    assert zipped["ETag"] != plain["ETag"]
    again = client.get(
        "/calendar.ics",
        HTTP_ACCEPT_ENCODING="gzip",
        HTTP_IF_NONE_MATCH=zipped["ETag"],
    )
    assert again.status_code == 304
    assert zipped["Last-Modified"] == plain["Last-Modified"]


def test_feed_refusing_gzip_gets_it_plain(client, regional_day):
    response = client.get("/calendar.ics", HTTP_ACCEPT_ENCODING="gzip;q=0, identity")

    assert "Content-Encoding" not in response
    icalendar.Calendar.from_ical(response.content)


@pytest.mark.parametrize(
    ("environ", "prefix"),
    [
        ({"QUALITYWEEK_CACHE_KEY_PREFIX": "week-2023"}, "week-2023"),
        (
            {"CACHE_URL": "redis://127.0.0.1:6379/9?key_prefix=from-url"},
            "from-url",
        ),
    ],
)
def test_cache_key_prefix_is_a_setting(environ, prefix):
    result = settings_under("s.CACHES['default']['KEY_PREFIX']", **environ)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == prefix


def test_cache_key_prefix_by_default_names_the_database():
    ours = settings_under(
        "s.CACHES['default']['KEY_PREFIX']", DATABASE_URL="sqlite:////tmp/one.db"
    )
    theirs = settings_under(
        "s.CACHES['default']['KEY_PREFIX']", DATABASE_URL="sqlite:////tmp/two.db"
    )

    assert ours.returncode == theirs.returncode == 0, ours.stderr + theirs.stderr
    assert ours.stdout.strip() != theirs.stdout.strip()
    assert ours.stdout.startswith("qw-")


def test_two_sites_on_one_redis_never_read_each_others_pages(
    client, regional_day, settings, live_redis
):
    location = settings.CACHES["default"]["LOCATION"]
    settings.QUALITYWEEK_LOCAL_CACHE_BYTES = 0  # only the shared cache here
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": "site-a"}
    }
    client.get("/schedule/")
    site_a_keys = live_redis.keys("*")
    assert site_a_keys and all(key.startswith(b"site-a:") for key in site_a_keys)

    settings.CACHES = {
        "default": {
            "BACKEND": "qualityweek.cache.FailSoftRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "site-b",
        }
    }
    client.get("/schedule/")
    site_b_keys = set(live_redis.keys("*")) - set(site_a_keys)
    assert site_b_keys and all(key.startswith(b"site-b:") for key in site_b_keys)


def test_a_host_serves_a_hot_page_from_its_own_tier(
    client, regional_day, settings, live_redis
):
    settings.QUALITYWEEK_LOCAL_CACHE_BYTES = 1024 * 1024
    first = client.get("/schedule/")
    stored = live_redis.keys("*programme:page:*")
    assert len(stored) == 2  # plain and gzipped, in the shared cache

    live_redis.flushdb()  # a hit no longer reaches Redis...
    assert client.get("/schedule/").content == first.content
    assert not live_redis.keys("*programme:page:*")

    regional_day.title = "Региональный день, новое название"
    regional_day.save()  # ...and an edit anywhere still shows at once
    assert "Региональный день, новое название" in text_of(client.get("/schedule/"))


def test_local_tier_is_bounded_and_forgets_the_least_used_first():
    tier = caching.LocalTier(max_bytes=4000)
    for name in "abc":
        tier.set(name, b"x" * 900, timeout=60)
    tier.get("a")  # "a" is in use: "b" is the oldest now
    tier.set("d", b"x" * 900, timeout=60)
    tier.set("e", b"x" * 900, timeout=60)

    assert tier.used <= 4000
    assert tier.get("b") is None
    assert tier.get("a") == b"x" * 900
    assert tier.get("e") == b"x" * 900


def test_local_tier_keeps_no_page_too_big_for_it_and_none_past_its_time():
    tier = caching.LocalTier(max_bytes=4000)
    tier.set("big", b"x" * 3000, timeout=60)
    tier.set("brief", b"x", timeout=-1)

    assert tier.get("big") is None
    assert tier.get("brief") is None
    assert tier.used == 0


def test_event_page_opens_registration_once_a_consent_text_is_in_force(
    client, regional_day, clock
):
    from qualityweek.models import ConsentText

    consent = regional_day.consent_text
    regional_day.consent_text = None
    regional_day.save()
    ConsentText.objects.all().delete()
    assert "Зарегистрироваться" not in text_of(client.get(EVENT_PAGE))

    # No programme revision: the page's live state reads the consent in force.
    consent.pk = None
    consent.save()
    assert "Зарегистрироваться" in text_of(client.get(EVENT_PAGE))


def test_searches_add_nothing_to_the_shared_cache(
    client, regional_day, settings, live_redis
):
    settings.QUALITYWEEK_LOCAL_CACHE_BYTES = 1024 * 1024
    paths = ["/schedule/", "/activations/", "/calendar.ics"]
    for path in paths:
        client.get(path)  # what pages share (the edition, the revision) is kept
    shared = set(live_redis.keys("*"))

    answers = [client.get(f"{paths[n % 3]}?q=слово{n}") for n in range(50)]
    found = client.get("/schedule/?q=Региональный")

    assert [answer.status_code for answer in answers] == [200] * 50
    assert "Региональный день форума" in text_of(found)
    assert set(live_redis.keys("*")) == shared
