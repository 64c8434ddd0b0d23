"""Speakers' and organisers' pages, linked from events, in the sitemap."""

import pytest
from django.test import override_settings

from events import search
from events.models import Speaker
from events.slugs import slug_for, transliterate
from tests.factories import (
    EditionFactory,
    EventFactory,
    OrganiserFactory,
    SpeakerFactory,
    moscow,
)
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def speaker(clock, edition_2023):
    return SpeakerFactory(
        name="Иван Петров",
        name_en="Ivan Petrov",
        slug="ivan-petrov",
        bio="Руководит испытательной лабораторией.",
        bio_en="Heads a testing laboratory.",
    )


def test_speaker_page_shows_bio_and_sessions_of_this_and_earlier_editions(
    client, speaker, edition_2023
):
    now = EventFactory(edition=edition_2023, speakers=[speaker], title="Сессия 2023")
    earlier = EventFactory(
        edition=EditionFactory(year=2022),
        start=moscow(2022, 11, 10, 10),
        speakers=[speaker],
        title="Сессия 2022",
    )
    EventFactory(
        edition=edition_2023, speakers=[speaker], unpublished=True, title="Тайна"
    )

    response = client.get("/speakers/ivan-petrov/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Руководит испытательной лабораторией." in html
    assert html.index(now.title) < html.index(earlier.title)  # the latest first
    assert "Тайна" not in html


def test_speaker_page_in_english(client, speaker, edition_2023):
    EventFactory(edition=edition_2023, speakers=[speaker])

    html = client.get("/en/speakers/ivan-petrov/").content.decode()

    assert "<h1>Ivan Petrov</h1>" in html
    assert "Heads a testing laboratory." in html


def test_speaker_without_published_events_has_no_page(client, speaker, edition_2023):
    EventFactory(edition=edition_2023, speakers=[speaker], unpublished=True)

    assert client.get("/speakers/ivan-petrov/").status_code == 404


def test_speaker_number_redirects_to_the_address(client, speaker, edition_2023):
    EventFactory(edition=edition_2023, speakers=[speaker])

    response = client.get(f"/speakers/{speaker.pk}/")

    assert response.status_code == 301
    assert response["Location"] == "/speakers/ivan-petrov/"


def test_speaker_without_an_address_is_found_by_number(client, clock, edition_2023):
    nameless = SpeakerFactory(slug="")
    EventFactory(edition=edition_2023, speakers=[nameless])

    response = client.get(nameless.get_absolute_url())

    assert nameless.get_absolute_url() == f"/speakers/{nameless.pk}/"
    assert response.status_code == 200


def test_event_page_links_speakers_and_organisers(client, speaker, edition_2023):
    body = OrganiserFactory(slug="roskachestvo", short_name="Роскачество")
    event = EventFactory(edition=edition_2023, speakers=[speaker], organisers=[body])

    html = client.get(event.get_absolute_url()).content.decode()

    assert 'href="/speakers/ivan-petrov/"' in html
    assert '<a href="/organisers/roskachestvo/">Роскачество</a>' in html


def test_organiser_page_lists_its_events(client, clock, edition_2023):
    body = OrganiserFactory(slug="roskachestvo", short_name="Роскачество")
    ours = EventFactory(edition=edition_2023, organisers=[body])
    theirs = EventFactory(edition=edition_2023)

    html = client.get("/organisers/roskachestvo/").content.decode()

    assert ours.title in html
    assert theirs.title not in html


def test_speaker_list_names_this_editions_speakers(client, speaker, edition_2023):
    EventFactory(edition=edition_2023, speakers=[speaker])
    SpeakerFactory(name="Без событий")

    html = client.get("/speakers/").content.decode()

    assert 'href="/speakers/ivan-petrov/"' in html
    assert "Без событий" not in html


def test_speaker_page_is_cached_until_the_speaker_changes(
    client, speaker, edition_2023
):
    EventFactory(edition=edition_2023, speakers=[speaker])
    client.get("/speakers/ivan-petrov/")

    Speaker.objects.filter(pk=speaker.pk).update(bio="Другое.")
    stale = client.get("/speakers/ivan-petrov/").content.decode()
    speaker.bio = "Новое."
    speaker.save()
    fresh = client.get("/speakers/ivan-petrov/").content.decode()

    assert "Руководит" in stale
    assert "Новое." in fresh


@override_settings(QUALITYWEEK_SITE_URL="https://qualityweek.example")
def test_sitemap_lists_speakers_and_organisers_but_not_demo_ones(
    client, speaker, edition_2023
):
    body = OrganiserFactory(slug="roskachestvo")
    demo = SpeakerFactory(slug="demo-person", is_demo=True)
    EventFactory(edition=edition_2023, speakers=[speaker, demo], organisers=[body])

    xml = client.get("/sitemap.xml").content.decode()

    assert "/speakers/ivan-petrov/" in xml
    assert "/en/speakers/ivan-petrov/" in xml
    assert "/organisers/roskachestvo/" in xml
    assert "demo-person" not in xml


def test_event_search_finds_a_speakers_name(speaker, edition_2023):
    event = EventFactory(edition=edition_2023, speakers=[speaker])
    EventFactory(edition=edition_2023)

    assert search.search([event], "Петров") == [event]


def test_slug_for_spells_russian_names_as_passports_do():
    assert transliterate("Щукина Юлия Сергеевна") == "shchukina iuliia sergeevna"
    assert slug_for("Роскачество", set(), fallback="x") == "roskachestvo"
    assert slug_for("Роскачество", {"roskachestvo"}, fallback="x") == "roskachestvo-2"
    assert slug_for("«»", set(), fallback="speaker") == "speaker"


def test_migration_fills_addresses_from_names(db):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "events.migrations.0018_speaker_and_organiser_pages"
    )
    SpeakerFactory(name="Иван Петров", name_en="", slug="")
    SpeakerFactory(name="Иван Петров", name_en="", slug="")
    SpeakerFactory(name="Анна Смирнова", name_en="Anna Smirnova", slug="")
    OrganiserFactory(short_name="Роскачество", short_name_en="", slug="")

    migration.fill_slugs(apps, None)

    assert sorted(Speaker.objects.values_list("slug", flat=True)) == [
        "anna-smirnova",
        "ivan-petrov",
        "ivan-petrov-2",
    ]
    assert OrganiserFactory._meta.model.objects.get().slug == "roskachestvo"


def test_schedule_search_links_the_speakers_it_names(client, speaker, edition_2023):
    EventFactory(edition=edition_2023, speakers=[speaker])
    SpeakerFactory(name="Анна Смирнова", slug="anna-smirnova")

    html = client.get("/schedule/?q=Петров").content.decode()

    assert 'href="/speakers/ivan-petrov/"><strong>Иван Петров</strong></a>' in html
    assert "anna-smirnova" not in html


def test_a_speakers_card_heads_the_results_with_their_sessions(
    client, speaker, edition_2023
):
    speaker.position = "руководитель лаборатории"
    speaker.organisation = "ВНИИМ"
    speaker.save()
    EventFactory(
        edition=edition_2023,
        speakers=[speaker],
        title="Поверка весов",
        title_en="Verifying scales",
    )
    EventFactory(edition=edition_2023, title="Бережливое производство")

    page = text_of(client.get("/schedule/?q=петров"))

    card = page.index("Иван Петров руководитель лаборатории, ВНИИМ")
    assert card < page.index("1 событие") < page.index("Поверка весов")
    assert "Бережливое производство" not in page

    english = text_of(client.get("/en/schedule/?q=Petrov"))
    assert english.index("Speaker Ivan Petrov") < english.index("Verifying scales")


def test_an_organisers_card_heads_the_results(client, clock, edition_2023):
    organiser = OrganiserFactory(
        name="Всероссийский научно-исследовательский институт метрологии",
        name_en="All-Russian Research Institute for Metrology",
        short_name="ВНИИМ",
        short_name_en="VNIIM",
        slug="vniim",
    )
    EventFactory(edition=edition_2023, organisers=[organiser], title="Поверка весов")
    OrganiserFactory(short_name="Чужой", slug="other")  # no event: no card

    html = client.get("/schedule/?q=вниим").content.decode()
    english = client.get("/en/schedule/?q=metrology").content.decode()

    assert 'href="/organisers/vniim/"><strong>ВНИИМ</strong></a>' in html
    assert "Поверка весов" in html
    assert 'href="/en/organisers/vniim/"><strong>VNIIM</strong></a>' in english
    assert "/organisers/other/" not in html


@pytest.mark.parametrize("count", [1, 3])
def test_speaker_page_queries_do_not_grow_with_sessions(
    client, speaker, edition_2023, count, django_assert_num_queries
):
    EventFactory.create_batch(count, edition=edition_2023, speakers=[speaker])

    with django_assert_num_queries(7):
        response = client.get("/speakers/ivan-petrov/")

    assert response.content.decode().count('class="event-title"') == count


@pytest.mark.parametrize("count", [1, 3])
def test_speaker_list_queries_do_not_grow_with_speakers(
    client, clock, edition_2023, count, django_assert_num_queries
):
    speakers = SpeakerFactory.create_batch(count)
    EventFactory(edition=edition_2023, speakers=speakers)

    with django_assert_num_queries(5):
        response = client.get("/speakers/")

    assert response.content.decode().count('class="speaker"') == count
