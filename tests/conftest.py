import contextlib

import pytest
from django.contrib.auth.models import Group, User

from qualityweek import clock as site_clock
from tests.factories import (
    ConsentTextFactory,
    EditionFactory,
    EventFactory,
    VenueFactory,
    moscow,
)


def pytest_collection_modifyitems(config, items):
    """Leave `postgres_only` tests out (deselected, not skipped) on other databases."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    kept, left_out = [], []
    for item in items:
        (left_out if item.get_closest_marker("postgres_only") else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests need no collectstatic manifest; `make test` checks collectstatic itself.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def _tasks_run_on_commit(settings):
    """Tasks run as their transaction commits (tests/tasks_backend.py)."""
    from tests import tasks_backend

    settings.TASKS = {"default": {"BACKEND": "tests.tasks_backend.OnCommitBackend"}}
    tasks_backend.deferred.clear()
    yield tasks_backend.deferred


@pytest.fixture
def deferred_tasks(_tasks_run_on_commit):
    """Tasks queued to run later (retries): (task, args, kwargs)."""
    return _tasks_run_on_commit


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Every test's uploads go to its own folder, never the checkout's media/."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests flush the database, migration data with it: restore it."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    from importlib import import_module

    from django.apps import apps

    from qualityweek.migration_helpers import grant

    request.getfixturevalue("transactional_db")
    migration = import_module("events.migrations.0002_reference_data")
    migration.add_regions(apps, None)
    migration.add_revision(apps, None)
    migration.add_organisers_group(apps, None)
    import_module(
        "events.migrations.0008_region_federal_district"
    ).add_federal_districts(apps, None)
    # Registrations' own grant of 0002 names the consent texts there, which have
    # since moved to the site: grant what the organisers hold now.
    grant(apps, "Organisers", {"registrations": {"registration": ["change", "view"]}})
    import_module(
        "qualityweek.migrations.0003_organisers_permissions"
    ).add_consent_permissions(apps, None)
    import_module("events.migrations.0007_materials").add_material_permissions(
        apps, None
    )
    import_module(
        "events.migrations.0011_regions_that_joined_quality_day"
    ).add_participation_permissions(apps, None)
    import_module("events.migrations.0014_ideas_for_companies").add_idea_permissions(
        apps, None
    )
    import_module(
        "activations.migrations.0002_organisers_permissions"
    ).add_activation_permissions(apps, None)
    import_module(
        "venues.migrations.0002_organisers_permissions"
    ).add_venue_permissions(apps, None)
    import_module(
        "qualityweek.migrations.0006_personal_data_officers"
    ).add_personal_data_officers(apps, None)
    import_module(
        "venues.migrations.0005_personal_data_officers"
    ).add_officer_permissions(apps, None)
    import_module(
        "qualityweek.migrations.0013_messages_organisers_permissions"
    ).add_message_permissions(apps, None)
    import_module(
        "qualityweek.migrations.0015_placeholder_permissions"
    ).add_placeholder_permissions(apps, None)
    import_module("events.migrations.0016_certificates_and_brand_kit").add_permissions(
        apps, None
    )
    zones = import_module("events.migrations.0017_region_time_zone_embed_origins")
    zones.set_time_zones(apps, None)
    zones.add_embed_origin_permissions(apps, None)
    import_module(
        "surveys.migrations.0002_organisers_see_and_set_surveys"
    ).add_survey_permissions(apps, None)
    import_module(
        "surveys.migrations.0003_organisers_see_invitations"
    ).add_invitation_permissions(apps, None)
    import_module("winners.migrations.0002_organisers_permissions").add_permissions(
        apps, None
    )


@pytest.fixture(autouse=True)
def _fresh_connections_after_transactional(request):
    """Tests that cut database connections (a PostgreSQL restart, as the cluster
    and worker tests play it) may leave this process holding a dead one. After a
    transactional test, and before its database is emptied, every connection is
    taken afresh (psycopg's pool checks each it hands out)."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from django.db import connections

    for each in connections.all():
        with contextlib.suppress(Exception):
            each.close()


@pytest.fixture(autouse=True)
def _two_factor_off(settings):
    """Staff sign in with the password (force_login) unless a test turns it on.

    Production's default (on whenever DEBUG is off) must not depend on the
    environment a test run happens to have.
    """
    settings.QUALITYWEEK_ADMIN_2FA = False


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    from events import caching

    cache.clear()
    caching.local_tier.cache_clear()
    yield
    cache.clear()
    caching.local_tier.cache_clear()


@pytest.fixture
def clock(settings, db):
    """Set the site clock: `clock("2023-11-01T10:00+03:00")`."""

    def set_clock(moment: str):
        settings.QUALITYWEEK_CLOCK = moment
        site_clock.restart(moment)  # the moment is now, for every process
        site_clock.now()  # reads the anchor now, not inside a counted block

    set_clock("2023-11-01T10:00+03:00")
    yield set_clock
    site_clock._anchor.cache_clear()


@pytest.fixture
def edition_2023(db):
    return EditionFactory(year=2023)


@pytest.fixture
def regional_day(edition_2023):
    return EventFactory(
        edition=edition_2023,
        slug="regional-day-2023",
        title="Региональный день форума «Всемирный день качества»",
        title_en="Regional day of the forum “World Quality Day”",
        kind="regional_day",
        format="hybrid",
        venue=VenueFactory(name="ВДНХ, Региональный павильон"),
        start=moscow(2023, 11, 10, 10),
        end=moscow(2023, 11, 10, 18),
        takes_registrations=True,
        registration_opens=moscow(2023, 10, 16, 10),
        registration_closes=moscow(2023, 11, 9, 18),
        seats=2,
        keeps_waiting_list=True,
        consent_text=ConsentTextFactory(),
    )


@pytest.fixture
def organiser(db):
    """A member of the Organisers group who signs in as tests.pages.ORGANISER."""
    from tests.pages import ORGANISER

    username, password = ORGANISER
    user = User.objects.create_user(username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name="Organisers"))
    return user


@pytest.fixture
def organiser_client(db):
    from django.test import Client

    client = Client()
    user = User.objects.create_user(
        "organiser", password="quality-week-2023", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Organisers"))
    client.force_login(user)
    return client


@pytest.fixture
def officer_client(db):
    """Signed in as a personal data officer (only: no organiser's permissions)."""
    from django.test import Client

    client = Client()
    user = User.objects.create_user(
        "officer", password="quality-week-2023", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Personal data officers"))
    client.force_login(user)
    return client


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (it cannot download its own here)."""
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make around it are plain synchronous ones.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(params=["phone", "desktop"])
def page(request, browser):
    viewport = {"phone": (375, 812), "desktop": (1280, 900)}[request.param]
    context = browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]}, locale="ru-RU"
    )
    outside_requests = []
    context.on(
        "request",
        lambda r: (
            outside_requests.append(r.url)
            if not r.url.startswith(("http://localhost", "http://127.0.0.1", "data:"))
            else None
        ),
    )
    page = context.new_page()
    page.outside_requests = outside_requests
    yield page
    context.close()


def redis_cache(location):
    return {
        "default": {
            "BACKEND": "qualityweek.cache.FailSoftRedisCache",
            "LOCATION": location,
        }
    }


@pytest.fixture
def live_redis(settings):
    """A Redis database number of the test's own, emptied before and after."""
    import random

    import redis

    number = random.randint(8, 15)
    location = f"redis://127.0.0.1:6379/{number}"
    client = redis.Redis.from_url(location)
    client.flushdb()
    settings.CACHES = redis_cache(location)
    yield client
    client.flushdb()


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request to /en/ leaves English
    active in the thread, and the next test's get_absolute_url() would give
    an /en/ address."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
