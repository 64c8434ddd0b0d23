"""Winners are shown only with their consent to publish, in both languages, and a
consent withdrawn takes them off every page, the sitemap and the photo's address
at once, cached pages included."""

import pytest
from django.core.files.storage import default_storage

from qualityweek import images
from tests.factories import EditionFactory
from tests.images import image_bytes, upload
from tests.pages import text_of
from winners import services
from winners.models import Winner

from .factories import WinnerFactory

REGION_PAGE = "/regions/43/"


def with_photo(winner: Winner) -> Winner:
    """As the admin's form stores an organiser's upload."""
    winner.photo = images.clean_image(
        upload("photo.jpg", image_bytes("JPEG", size=(400, 300)))
    )
    return services.save_winner(winner, photo_changed=True)


def public_pages(awards) -> list[str]:
    return ["/winners/", awards.get_absolute_url(), REGION_PAGE]


@pytest.fixture
def published(edition_2023, awards):
    return with_photo(
        WinnerFactory(
            edition=edition_2023,
            award_event=awards,
            name="Анна Победова",
            name_en="Anna Pobedova",
        )
    )


@pytest.fixture
def unconsented(edition_2023, awards):
    return with_photo(
        WinnerFactory(
            edition=edition_2023,
            award_event=awards,
            name="Борис Безсогласия",
            name_en="Boris Bezsoglasiya",
            without_consent=True,
        )
    )


def test_winner_without_consent_appears_nowhere(client, awards, published, unconsented):
    for path in public_pages(awards):
        page = text_of(client.get(path))

        assert "Анна Победова" in page, path
        assert "Безсогласия" not in page, path
    sitemap = client.get("/sitemap.xml").content.decode()
    assert published.get_absolute_url() in sitemap
    assert unconsented.get_absolute_url() not in sitemap
    assert client.get(unconsented.get_absolute_url()).status_code == 404
    assert client.get(f"/winners/{unconsented.pk}/photo.jpg").status_code == 404


def test_withdrawing_consent_removes_winner_from_cached_pages_and_sitemap(
    client, awards, published
):
    pages = [*public_pages(awards), published.get_absolute_url()]
    for path in pages:
        assert "Анна Победова" in text_of(client.get(path)), path
    # The pages are kept: a change that raises no revision is not seen yet.
    Winner.objects.filter(pk=published.pk).update(name="Анна Изменённая")
    assert "Анна Победова" in text_of(client.get("/winners/"))

    services.withdraw_consent(published)

    for path in public_pages(awards):
        page = text_of(client.get(path))
        assert "Анна Победова" not in page, path
        assert "Анна Изменённая" not in page, path
    assert client.get(published.get_absolute_url()).status_code == 404
    assert (
        published.get_absolute_url() not in client.get("/sitemap.xml").content.decode()
    )


def test_photo_of_withdrawn_winner_is_gone(
    client, published, django_capture_on_commit_callbacks
):
    photo_url = f"/winners/{published.pk}/photo.jpg"
    shown = client.get(photo_url)
    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/jpeg"
    assert shown["Cache-Control"] == "no-cache"
    thumbnail, original = published.photo_thumbnail.name, published.photo.name

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_consent(published)

    assert client.get(photo_url).status_code == 404
    assert not default_storage.exists(thumbnail)
    assert not default_storage.exists(original)


def test_winner_files_are_never_served_from_media(client, published):
    published.publication_consent_document.save(
        "consent.pdf", upload("consent.pdf", b"%PDF-1.4 signed"), save=True
    )

    for name in (
        published.photo.name,
        published.photo_thumbnail.name,
        published.publication_consent_document.name,
    ):
        assert default_storage.exists(name)
        assert client.get(f"/media/{name}").status_code == 404, name


def test_winner_list_in_english(client, published):
    page = text_of(client.get("/en/winners/"))

    assert "Winners of the «Quality Leader» contest" in page
    assert "Anna Pobedova" in page
    assert "Best quality practice" in page


def test_winner_list_in_russian(client, published):
    page = text_of(client.get("/"))
    assert "Победители конкурса «Лидер качества»" in page  # the footer's link

    page = text_of(client.get("/winners/"))

    assert "Победители конкурса «Лидер качества»" in page
    assert "Лучшая практика качества" in page


def test_awards_page_in_english_lists_winners(client, awards, published):
    page = text_of(client.get(f"/en{awards.get_absolute_url()}"))

    assert "Winners of the «Quality Leader» contest" in page
    assert "Anna Pobedova" in page


def test_winner_page_in_both_languages(client, published, awards):
    russian = text_of(client.get(published.get_absolute_url()))
    english = text_of(client.get(f"/en{published.get_absolute_url()}"))

    assert "Анна Победова" in russian
    assert "Рассказ о победе." in russian
    assert "Кировская область" in russian
    assert "Anna Pobedova" in english
    assert "The story of the win." in english
    assert "«Quality Leader» awards ceremony" in english


def test_other_events_pages_list_no_winners(
    client, edition_2023, regional_day, published
):
    page = text_of(client.get(regional_day.get_absolute_url()))

    assert "Анна Победова" not in page


def test_region_page_lists_only_its_own_winners(client, published):
    response = client.get("/regions/77/")

    assert "Анна Победова" not in text_of(response)
    assert 'id="region-winners"' not in response.content.decode()


def test_empty_list_says_winners_come_later(client, edition_2023):
    page = text_of(client.get("/winners/"))

    assert "Победители будут опубликованы здесь после церемонии награждения." in page


@pytest.mark.parametrize("count", [1, 3])
def test_winner_list_queries(client, edition_2023, django_assert_num_queries, count):
    WinnerFactory.create_batch(count, edition=edition_2023)

    # The revision, the current edition, its winners with their regions and
    # ceremonies, the years of the index; the footer's data operator and
    # official sites.
    with django_assert_num_queries(6):
        response = client.get("/winners/")

    assert text_of(response).count("Лучшая практика качества") == count


@pytest.fixture
def past_editions(edition_2023, published):
    """2021 had a published winner; 2022's only winner never consented."""
    WinnerFactory(
        edition=EditionFactory(year=2021),
        name="Вера Прошлогодняя",
        name_en="Vera Proshlogodnyaya",
    )
    WinnerFactory(
        edition=EditionFactory(year=2022),
        name="Глеб Безсогласия",
        without_consent=True,
    )


def test_edition_list_shows_only_that_years_winners(client, past_editions):
    page = text_of(client.get("/2021/winners/"))

    assert "Вера Прошлогодняя" in page
    assert "Анна Победова" not in page
    assert "Всемирная неделя качества — 2021" in page


def test_edition_list_in_english(client, past_editions):
    page = text_of(client.get("/en/2021/winners/"))

    assert "Winners of the «Quality Leader» contest" in page
    assert "Vera Proshlogodnyaya" in page


def test_index_links_only_years_with_consented_winners(client, past_editions):
    html = client.get("/winners/").content.decode()

    assert 'href="/2023/winners/" class="active" aria-current="page"' in html
    assert 'href="/2021/winners/"' in html
    assert "/2022/winners/" not in html


def test_year_without_published_winners_shows_no_one(client, past_editions):
    page = text_of(client.get("/2022/winners/"))

    assert "Безсогласия" not in page
    assert "Победители этой недели на сайте не опубликованы." in page


@pytest.mark.parametrize("path", ["/1999/winners/", "/en/2030/winners/"])
def test_year_without_an_edition_is_not_found(client, edition_2023, path):
    response = client.get(path)

    assert response.status_code == 404


def test_sitemap_lists_the_years_with_consented_winners(client, past_editions):
    sitemap = client.get("/sitemap.xml").content.decode()

    assert "/2021/winners/</loc>" in sitemap
    assert "/2023/winners/</loc>" in sitemap
    assert "/2022/winners/" not in sitemap


def test_withdrawn_consent_takes_the_year_off_the_index_and_sitemap(
    client, awards, published
):
    assert "/2023/winners/" in client.get("/sitemap.xml").content.decode()

    services.withdraw_consent(published)

    assert "/2023/winners/" not in client.get("/sitemap.xml").content.decode()
    assert "/2023/winners/" not in client.get("/winners/").content.decode()
    assert "Анна Победова" not in text_of(client.get("/2023/winners/"))


@pytest.mark.parametrize("count", [1, 3])
def test_edition_list_queries(client, edition_2023, django_assert_num_queries, count):
    WinnerFactory.create_batch(count, edition=EditionFactory(year=2022))

    # The revision, the current edition and the one asked for, its winners with
    # their regions and ceremonies, the years of the index; the footer's data
    # operator and official sites.
    with django_assert_num_queries(7):
        response = client.get("/2022/winners/")

    assert text_of(response).count("Лучшая практика качества") == count
