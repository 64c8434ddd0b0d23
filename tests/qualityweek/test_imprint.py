"""Who stands behind the site and its letters: the operator (a site setting),
the edition's contact address (the letters' Reply-To) and its official sites."""

from pathlib import Path

import pytest
from django.conf import settings

from events.models import Edition
from qualityweek.models import DataOperator
from tests.factories import VenueApplicationFactory
from tests.pages import text_of
from venues import emails

pytestmark = pytest.mark.django_db

OPERATOR = {
    "name": "АНО «Российская система качества»",
    "name_en": "Russian Quality System",
    "address": "Москва, ул. Образцова, 7",
    "address_en": "7 Obraztsova St, Moscow",
    "email": "pd@roskachestvo.example.ru",
}


def edition_form(edition, **fields) -> dict:
    return {
        "year": edition.year,
        "title": edition.title,
        "title_en": edition.title_en,
        "motto": edition.motto,
        "motto_en": edition.motto_en,
        "first_day": edition.first_day.isoformat(),
        "quality_day": edition.quality_day.isoformat(),
        "last_day": edition.last_day.isoformat(),
        "contact_email": edition.contact_email,
        "official_sites": edition.official_sites,
        # The edition's ideas for companies, an inline: none sent here.
        "ideas-TOTAL_FORMS": "0",
        "ideas-INITIAL_FORMS": "0",
        "ideas-MIN_NUM_FORMS": "0",
        "ideas-MAX_NUM_FORMS": "1000",
        **fields,
    }


def test_footer_without_official_sites_names_none(client, edition_2023):
    page = text_of(client.get("/privacy/"))

    assert "Официальные сайты" not in page


def test_organiser_lists_official_sites_and_every_page_footer_shows_them(
    organiser_client, client, clock, edition_2023
):
    client.get("/")  # cached until the edition changes

    response = organiser_client.post(
        f"/admin/events/edition/{edition_2023.pk}/change/",
        edition_form(
            edition_2023, official_sites="https://rskrf.ru\r\n\r\nhttps://kachestvo.pro"
        ),
    )

    assert response.status_code == 302
    for path in ("/", "/privacy/", "/en/schedule/"):
        page = client.get(path).content.decode()
        assert '<a href="https://rskrf.ru">rskrf.ru</a>' in page
        assert '<a href="https://kachestvo.pro">kachestvo.pro</a>' in page
    assert "Официальные сайты: rskrf.ru · kachestvo.pro" in text_of(client.get("/"))
    assert "Official sites: rskrf.ru · kachestvo.pro" in text_of(client.get("/en/"))


def test_an_official_site_that_is_not_an_address_is_refused_in_words(
    organiser_client, edition_2023
):
    response = organiser_client.post(
        f"/admin/events/edition/{edition_2023.pk}/change/",
        edition_form(edition_2023, official_sites="https://rskrf.ru\nроскачество"),
    )

    assert response.status_code == 200
    assert "Строка 2 — не веб-адрес: роскачество" in text_of(response)
    edition_2023.refresh_from_db()
    assert edition_2023.official_sites == ""


def test_a_letter_before_organisers_set_anything_invents_nothing(
    edition_2023, settings
):
    settings.QUALITYWEEK_SITE_URL = "https://qualityweek.example.ru"
    application = VenueApplicationFactory(edition=edition_2023)

    letter = emails.build(application, emails.RECEIVED)

    assert letter.reply_to == []
    assert letter.body.endswith(
        "-- \nВсемирная неделя качества\nhttps://qualityweek.example.ru/regional-day/\n"
    )
    assert "Оператор персональных данных" not in letter.alternatives[0][0]


def test_a_letter_names_the_operator_and_sites_and_answers_go_to_the_contact(
    edition_2023, settings
):
    settings.QUALITYWEEK_SITE_URL = "https://qualityweek.example.ru"
    DataOperator.objects.create(**OPERATOR)
    Edition.objects.filter(pk=edition_2023.pk).update(
        contact_email="quality@roskachestvo.example.ru",
        official_sites="https://rskrf.ru\nhttps://kachestvo.pro",
    )
    edition_2023.refresh_from_db()
    edition_2023.save()  # as the admin saves it: the cached imprint is dropped
    application = VenueApplicationFactory(edition=edition_2023, language="en")

    letter = emails.build(application, emails.RECEIVED)

    assert letter.reply_to == ["quality@roskachestvo.example.ru"]
    assert letter.message()["Reply-To"] == "quality@roskachestvo.example.ru"
    assert letter.body.endswith(
        "-- \nWorld Quality Week\nhttps://qualityweek.example.ru/en/regional-day/\n"
        "https://rskrf.ru\nhttps://kachestvo.pro\n"
        "Personal data operator: Russian Quality System, 7 Obraztsova St, Moscow.\n"
    )
    html = text_of_html(letter.alternatives[0][0])
    assert (
        "Personal data operator: Russian Quality System, 7 Obraztsova St, Moscow. "
        "Official sites: rskrf.ru · kachestvo.pro"
    ) in html


def text_of_html(html: str) -> str:
    class Page:
        content = html.encode()

    return text_of(Page)


def test_every_plain_text_letter_ends_with_the_shared_footer():
    letters = [
        path
        for path in Path(settings.BASE_DIR, "templates").rglob("*.txt")
        if "\n-- \n" in path.read_text()
    ]

    assert len(letters) >= 20
    assert [
        str(path)
        for path in letters
        if '{% include "email/footer.txt" %}{% endautoescape %}' not in path.read_text()
    ] == []
