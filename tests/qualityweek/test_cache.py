"""A cache that may fail: with Redis unreachable pages and sign-ups still work."""

import pytest
from django.core.cache import cache

from tests.conftest import redis_cache
from tests.pages import text_of
from tests.registrations.test_views import FORM

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def dead_redis(settings):
    settings.CACHES = redis_cache(DEAD_REDIS)


def test_pages_render_without_a_reachable_cache(client, edition_2023, dead_redis):
    pages = {path: client.get(path) for path in ("/", "/schedule/", "/activations/")}
    calendar = client.get("/calendar.ics")

    for page in pages.values():
        assert page.status_code == 200
        assert "Всемирная неделя качества" in page.content.decode()
    assert calendar.status_code == 200
    assert calendar.content.startswith(b"BEGIN:VCALENDAR")


def test_sign_up_works_without_a_reachable_cache(
    client, regional_day, clock, dead_redis
):
    response = client.post("/regional-day/", FORM)

    assert response.status_code == 302
    assert regional_day.registrations.count() == 1


def test_healthz_names_a_cache_that_is_down_but_keeps_serving(client, db, dead_redis):
    response = client.get("/healthz")

    assert (response.status_code, response.content) == (
        200,
        b"database: ok\ncache: unavailable\n",
    )


def test_healthz_says_both_answer(client, db, live_redis):
    response = client.get("/healthz")

    assert response.content == b"database: ok\ncache: ok\n"


def test_cache_that_fails_is_left_alone_for_a_moment(dead_redis, monkeypatch):
    cache.get("a")
    calls = []
    monkeypatch.setattr(
        "django.core.cache.backends.redis.RedisCache.get",
        lambda *args, **kwargs: calls.append(args),
    )

    assert (cache.get("b", "fallback"), calls) == ("fallback", [])


def test_schedule_is_cached_in_a_live_redis(client, edition_2023, live_redis):
    client.get("/schedule/")

    assert any(key.startswith(b":1:programme:page:") for key in live_redis.scan_iter())
    assert "Программа недели" in text_of(client.get("/schedule/"))
