"""The programme partners frame on their sites: /embed/ views, who may frame
them, and the snippet organisers hand out."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from events import embeds
from events.models import EmbedOrigin
from tests.factories import (
    ActivationFactory,
    EventFactory,
    VenueFactory,
    moscow,
    region,
)
from tests.pages import text_of

pytestmark = pytest.mark.django_db

MINISTRY = "https://minek.example.ru"


def frame_ancestors(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(
        part.strip()
        for part in policy.split(";")
        if part.strip().startswith("frame-ancestors")
    )


@pytest.fixture
def novosibirsk_week(edition_2023):
    venue = VenueFactory(region=region("54"), name="Технопарк")
    session = EventFactory(
        edition=edition_2023,
        title="Качество в Сибири",
        venue=venue,
        format="offline",
        start=moscow(2023, 11, 9, 10),
        end=moscow(2023, 11, 9, 12),
    )
    activation = ActivationFactory(
        edition=edition_2023, region=region("54"), title="Открытый цех"
    )
    elsewhere = EventFactory(
        edition=edition_2023, title="Сессия в Кирове", venue=VenueFactory()
    )
    return session, activation, elsewhere


# What the views show


def test_region_embed_lists_the_regions_events_and_activations(
    client, novosibirsk_week
):
    response = client.get("/embed/regions/54/")

    page = text_of(response)
    assert response.status_code == 200
    assert "Новосибирская область" in page
    assert "Качество в Сибири" in page
    assert "Открытый цех" in page
    assert "Сессия в Кирове" not in page
    assert "10:00–12:00 14:00–16:00 по местному времени (МСК+4)" in page


def test_embed_has_no_script_and_opens_every_link_in_a_new_tab(
    client, novosibirsk_week
):
    html = client.get("/embed/regions/54/").content.decode()

    assert "<script" not in html
    assert " style=" not in html
    links = html.count("<a ")
    assert links == html.count('target="_blank" rel="noopener"') == 4
    assert '<a class="embed-brand" href="/" target="_blank" rel="noopener">' in html
    assert 'href="/regions/54/" target="_blank"' in html  # the full page


def test_embed_speaks_english_under_en(client, novosibirsk_week):
    page = text_of(client.get("/en/embed/regions/54/"))

    assert "Novosibirsk Oblast" in page
    assert "14:00–16:00 local time (MSK+4)" in page
    assert "Times are Moscow time." in page


def test_day_embed_lists_that_day_only(client, novosibirsk_week, edition_2023):
    EventFactory(
        edition=edition_2023, title="Сессия 8 ноября", start=moscow(2023, 11, 8, 10)
    )

    page = text_of(client.get("/embed/days/2023-11-09/"))

    assert "Четверг, 9 ноября 2023" in page
    assert "Качество в Сибири" in page
    assert "Сессия 8 ноября" not in page
    assert "по местному времени" not in page  # the whole country's day


def test_day_embed_of_a_day_outside_the_week_is_not_found(client, edition_2023):
    assert client.get("/embed/days/2023-12-01/").status_code == 404


def test_kind_embed_lists_that_kind_only(client, novosibirsk_week):
    page = text_of(client.get("/embed/kinds/activation/"))

    assert "Открытый цех" in page
    assert "Качество в Сибири" not in page


def test_kind_embed_of_an_unknown_kind_is_not_found(client, edition_2023):
    assert client.get("/embed/kinds/party/").status_code == 404


def test_region_embed_of_a_region_with_nothing_says_so(client, edition_2023):
    page = text_of(client.get("/embed/regions/43/"))

    assert "Здесь в программе пока ничего нет." in page


@pytest.mark.parametrize("count", [1, 3])
def test_region_embed_query_count_does_not_grow_with_its_programme(
    client, edition_2023, settings, django_assert_num_queries, count
):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }
    venue = VenueFactory(region=region("54"))
    EventFactory.create_batch(count, edition=edition_2023, venue=venue)
    ActivationFactory.create_batch(count, edition=edition_2023, region=region("54"))

    # Revision, edition, region, events, speakers, organisers, activations; the
    # sites allowed to frame it.
    with django_assert_num_queries(8):
        response = client.get("/embed/regions/54/")

    assert response.content.decode().count('class="embed-row') == 2 * count


def test_region_embed_served_again_takes_one_query_and_keeps_its_headers(
    client, novosibirsk_week, django_assert_num_queries
):
    EmbedOrigin.objects.create(origin=MINISTRY)
    client.get("/embed/regions/54/")

    with django_assert_num_queries(1):
        response = client.get("/embed/regions/54/")

    assert "Качество в Сибири" in text_of(response)
    assert frame_ancestors(response) == f"frame-ancestors {MINISTRY}"
    assert not response.has_header("X-Frame-Options")
    assert response["X-Accel-Expires"] == "1"  # nginx may keep it a moment too


# Who may frame them


def test_embed_refuses_every_frame_until_organisers_list_a_site(
    client, novosibirsk_week
):
    response = client.get("/embed/regions/54/")

    assert frame_ancestors(response) == "frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_embed_lets_the_listed_sites_frame_it(client, novosibirsk_week):
    EmbedOrigin.objects.create(origin=MINISTRY)
    EmbedOrigin.objects.create(origin="https://*.venue.example.ru")

    response = client.get("/embed/regions/54/")

    assert frame_ancestors(response) == (
        f"frame-ancestors https://*.venue.example.ru {MINISTRY}"
    )
    assert not response.has_header("X-Frame-Options")
    # The rest of the policy stays.
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_site_listed_later_may_frame_the_page_already_cached(
    client, novosibirsk_week
):
    client.get("/embed/days/2023-11-09/")  # cached with no site allowed

    origin = EmbedOrigin.objects.create(origin=MINISTRY)
    allowed = client.get("/embed/days/2023-11-09/")
    origin.delete()
    refused = client.get("/embed/days/2023-11-09/")

    assert frame_ancestors(allowed) == f"frame-ancestors {MINISTRY}"
    assert frame_ancestors(refused) == "frame-ancestors 'none'"
    assert refused["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "path", ["/", "/regions/54/", "/schedule/", "/en/regions/54/", "/admin/login/"]
)
def test_every_other_page_still_refuses_frames(client, novosibirsk_week, path):
    EmbedOrigin.objects.create(origin=MINISTRY)

    response = client.get(path)

    assert response.status_code == 200
    assert frame_ancestors(response) == "frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("https://minek.example.ru", "https://minek.example.ru"),
        (" HTTPS://Minek.Example.RU/ ", "https://minek.example.ru"),
        ("https://минобр.рф", "https://xn--90anlffn.xn--p1ai"),
        ("https://*.example.ru", "https://*.example.ru"),
        ("http://127.0.0.1:8001", "http://127.0.0.1:8001"),
    ],
)
def test_a_site_is_kept_as_browsers_name_it(typed, kept):
    origin = EmbedOrigin(origin=typed)

    origin.full_clean()

    assert origin.origin == kept


@pytest.mark.parametrize(
    "typed",
    [
        "minek.example.ru",
        "https://minek.example.ru/programme/",
        "https://minek.example.ru; script-src *",
        "https://minek.example.ru 'unsafe-inline'",
        "javascript://x",
        "*",
        "https://*",
    ],
)
def test_anything_but_a_site_is_refused(typed):
    with pytest.raises(ValidationError) as refused:
        EmbedOrigin(origin=typed).full_clean()

    assert "origin" in refused.value.message_dict


def test_organisers_list_sites_in_the_admin(organiser_client, novosibirsk_week):
    response = organiser_client.post(
        "/admin/events/embedorigin/add/",
        {"origin": "https://Minek.example.ru/", "note": "Минэкономразвития"},
    )

    assert response.status_code == 302
    assert list(EmbedOrigin.objects.values_list("origin", flat=True)) == [MINISTRY]


# The snippet


def test_snippet_names_the_embed_with_a_title_for_screen_readers(
    edition_2023, settings
):
    settings.QUALITYWEEK_SITE_URL = "https://week.example.ru"
    with translation.override("ru"):
        snippet = embeds.region_snippet(region("54"))

    assert snippet == (
        '<iframe src="https://week.example.ru/embed/regions/54/" '
        'title="Всемирная неделя качества: Новосибирская область" '
        'width="100%" height="600" loading="lazy"></iframe>'
    )


def test_organisers_see_the_snippet_on_the_region_page(
    client, organiser_client, novosibirsk_week, settings
):
    settings.QUALITYWEEK_SITE_URL = "https://week.example.ru"
    client.get("/regions/54/")  # a visitor's copy, cached

    organisers = organiser_client.get("/regions/54/").content.decode()
    visitors = client.get("/regions/54/").content.decode()

    assert "&lt;iframe src=&quot;https://week.example.ru/embed/regions/54/&quot;" in (
        organisers
    )
    assert "Код для вставки" in organisers
    assert "iframe" not in visitors
    assert "Код для вставки" not in visitors


def test_staff_without_the_programmes_permissions_see_no_snippet(
    client, novosibirsk_week
):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("helper", is_staff=True))

    html = client.get("/regions/54/").content.decode()

    assert "iframe" not in html
