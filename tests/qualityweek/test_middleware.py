"""Malformed paths and query strings get 400 or 404, never 500, on every database."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

CONVERTER = re.compile(r"<(?:(?P<kind>[^>:]+):)?(?P<name>[^>]+)>")


def routes(patterns=None, prefix="") -> list[str]:
    """Every path() route of the site, the admin's too, with its converters."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and isinstance(
            pattern.pattern, RoutePattern
        ):
            found.append(route)
    return found


ROUTES = routes()
# Routes whose values reach a lookup as text (int ones never match a bad value).
TEXT_ROUTES = sorted(
    {
        route
        for route in ROUTES
        if any(
            match["kind"] in (None, "str", "slug", "path", "isodate", "token", "signed")
            for match in CONVERTER.finditer(route)
        )
    }
)
PLAIN_ROUTES = sorted({route for route in ROUTES if "<" not in route})
# As a browser or a script sends them: percent-encoded in the request line.
BAD_SEGMENTS = {
    "nul": "%00",
    "nul-inside": "ab%00cd",
    "invalid-utf8": "%ff",
    "overlong-utf8": "%c0%af",
    "oversize": "x" * 300,
}
BAD_QUERIES = {
    "nul": "q=%00&day=%00&kind=%00&format=%00&region=%00&code=%00",
    "invalid-utf8": "q=%ff&day=%ff&region=%ff&code=%ff",
    "nul-in-a-name": "q%00=1",
    "oversize": "q=" + "x" * 5000,
}


def path_of(route: str, value: str) -> str:
    return "/" + CONVERTER.sub(value, route)


@pytest.fixture
def superuser_client(db):
    client = Client()
    # No password: hashing one for each of hundreds of tests would take minutes.
    client.force_login(
        User.objects.create(username="paths", is_staff=True, is_superuser=True)
    )
    return client


def test_the_site_has_text_routes_to_try():
    assert {
        "registrations/<token:token>/",
        "registrations/<token:token>/qr.svg",
        "registrations/<token:token>/cancel/",
        "events/<slug:slug>/",
        "activations/edit/<signed:signed>/",
        "checkin/<str:code>/",
        "media/<path:name>",
    } <= set(TEXT_ROUTES)
    assert len(TEXT_ROUTES) > 20  # the admin's own


def refused_paths(client, paths, method: str) -> list[tuple[str, int]]:
    """The paths whose answer is not 400, with the status they got instead."""
    send = getattr(client, method)
    answers = ((path, send(path).status_code) for path in paths)
    return [(path, status) for path, status in answers if status != 400]


# One test per kind of bad value, each trying every route in both languages: the
# middleware's rule is the same for all routes, so a per-route test item would
# only repeat the set-up (it was two thirds of the suite's executed tests).
@pytest.mark.parametrize("value", BAD_SEGMENTS.values(), ids=BAD_SEGMENTS.keys())
def test_bad_value_in_a_path_is_refused_not_an_error(superuser_client, clock, value):
    paths = []
    for route in TEXT_ROUTES:
        path = path_of(route, value)
        paths.append(path)
        if not route.startswith(("healthz", "favicon", "robots", "media")):
            paths.append(f"/en/{path[1:]}")

    assert len(paths) > 2 * 20
    assert refused_paths(superuser_client, paths, "get") == []
    assert refused_paths(superuser_client, paths, "post") == []


@pytest.mark.parametrize("query", BAD_QUERIES.values(), ids=BAD_QUERIES.keys())
def test_bad_query_string_is_refused_not_an_error(superuser_client, clock, query):
    paths = [f"/{route}?{query}" for route in PLAIN_ROUTES]

    assert len(paths) > 20
    assert refused_paths(superuser_client, paths, "get") == []


@pytest.mark.parametrize(
    "path",
    [
        "/schedule/?q=кофе&day=2023-11-09",
        "/schedule/?q=%D0%BA%D0%BE%D1%84%D0%B5",
        "/activations/?q=a+b%20c",
        "/events/" + "x" * 120 + "/",
    ],
)
def test_well_formed_paths_and_queries_pass(client, clock, path):
    response = client.get(path)

    assert response.status_code in (200, 404)


@pytest.fixture
def without_the_middleware(settings):
    """The views' own defence, as if the middleware had let the request through."""
    settings.MIDDLEWARE = [
        name
        for name in settings.MIDDLEWARE
        if name != "qualityweek.middleware.MalformedRequestMiddleware"
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/registrations/%00/",
        "/registrations/%00/qr.svg",
        "/registrations/%00/cancel/",
        "/en/registrations/%00/",
        "/registrations/confirm/%00/",
        "/activations/edit/%00/",
        "/checkin/%00/",
        "/media/activations/%00.webp",
    ],
)
def test_views_answer_404_to_a_nul_that_reaches_them(
    without_the_middleware, superuser_client, clock, path
):
    response = superuser_client.get(path)

    assert response.status_code == 404
