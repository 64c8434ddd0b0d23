"""The privacy policy names every purpose the site keeps people's data for, from
the registry that export and erasure use."""

import html

import pytest
from django.apps import apps

from qualityweek import personal_data
from qualityweek.models import ConsentText
from tests.factories import (
    ActivationFactory,
    ConsentTextFactory,
    RegistrationFactory,
    VenueApplicationFactory,
)
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_holder(monkeypatch):
    """A form that a new app adds: it declares itself and nothing else."""
    holder = personal_data.Holder(
        label="newsletter",
        model=apps.get_model("qualityweek", "ConsentText"),
        find=lambda email: ConsentText.objects.none(),
        export=lambda record: {},
        erase=lambda record: None,
        due_for_purge=lambda cutoff: ConsentText.objects.none(),
        title="Рассылка новостей недели",
        purpose="Присылать новости недели качества.",
        data="Адрес электронной почты.",
        source="Форма подписки на главной странице.",
        kept="Пока вы не отпишетесь, и ещё %(days)s дней.",
        consent_purpose=ConsentText.Purpose.REGISTRATION,
        form_url_name="events:home",
    )
    monkeypatch.setitem(personal_data._holders, holder.label, holder)
    return holder


def test_policy_with_a_newly_registered_holder_shows_its_section(client, fake_holder):
    response = client.get("/privacy/")

    page = text_of(response)
    assert (
        "Рассылка новостей недели "
        "Цель Присылать новости недели качества. "
        "Какие данные Адрес электронной почты. "
        "Откуда Форма подписки на главной странице. "
        "Сколько храним Пока вы не отпишетесь, и ещё 30 дней."
    ) in page
    assert '<a href="/">Форма подписки на главной странице.</a>' in (
        response.content.decode()
    )


def test_policy_names_regional_venue_applications_and_the_two_people(client):
    page = text_of(client.get("/privacy/"))

    assert (
        "Заявка региональной площадки "
        "Цель Рассмотреть заявку площадки, подключить её к региональному дню"
    ) in page
    assert (
        "Какие данные Имена, адреса электронной почты и телефоны двух человек: "
        "контактного лица площадки и её технического специалиста."
    ) in page
    assert (
        "Сколько храним До последнего дня недели качества и ещё 30 дней "
        "(30 дней после отклонения или отзыва заявки); затем сайт сам их удаляет."
    ) in page


def test_policy_in_english_names_every_purpose(client):
    page = html.unescape(text_of(client.get("/en/privacy/")))

    assert "Registration to attend in person or online Purpose To register you" in page
    assert "A company's activation Purpose To moderate and publish" in page
    assert (
        "A regional venue's application Purpose To consider the venue's application"
    ) in page
    assert (
        "What we collect The names, e-mails and phones of two people: the venue's "
        "contact person and its technical contact."
    ) in page


def test_every_consent_purpose_a_form_asks_for_has_a_section_on_the_policy(client):
    page = text_of(client.get("/privacy/"))

    sections = {
        section.consent_purpose: section.title
        for section in personal_data.policy_sections()
    }
    assert set(sections) == set(ConsentText.Purpose.values)
    for title in sections.values():
        assert f"{title} Цель" in page


def test_policy_shows_the_consent_text_in_force_for_each_purpose(client):
    ConsentTextFactory(
        purpose=ConsentText.Purpose.VENUE_APPLICATION,
        version="2023-V1",
        text="Согласие площадки, первая редакция.",
    )
    ConsentTextFactory(
        purpose=ConsentText.Purpose.VENUE_APPLICATION,
        version="2023-V2",
        text="Согласие площадки, вторая редакция.",
    )

    page = text_of(client.get("/privacy/"))

    assert (
        "Согласие Действующий текст согласия, редакция 2023-V2 "
        "Согласие площадки, вторая редакция."
    ) in page
    assert "первая редакция" not in page
    assert (
        page.count(
            "Организаторы ещё не опубликовали текст согласия для этой цели; "
            "форма не принимает данные, пока его нет."
        )
        == 2
    )  # registration and activation


def test_venue_application_is_kept_the_days_the_policy_states_then_purged(
    edition_2023, clock
):
    application = VenueApplicationFactory(edition=edition_2023)
    days = personal_data.PURGE_AFTER_DAYS

    clock("2023-12-12T12:00+03:00")  # the last day, 12 November, and 30 days
    kept = personal_data.purge_personal_data(older_than_days=days)
    clock("2023-12-13T12:00+03:00")
    purged = personal_data.purge_personal_data(older_than_days=days)

    assert (kept["venue_applications"], purged["venue_applications"]) == (0, 1)
    application.refresh_from_db()
    assert application.erased_at is not None


def test_registration_is_kept_the_days_the_policy_states_then_purged(
    regional_day, clock
):
    RegistrationFactory(event=regional_day)  # the day ends 10 November, 18:00
    days = personal_data.PURGE_AFTER_DAYS

    clock("2023-12-10T17:00+03:00")
    kept = personal_data.purge_personal_data(older_than_days=days)
    clock("2023-12-10T19:00+03:00")
    purged = personal_data.purge_personal_data(older_than_days=days)

    assert (kept["registrations"], purged["registrations"]) == (0, 1)


def test_activation_is_kept_the_days_the_policy_states_then_purged(edition_2023, clock):
    ActivationFactory(edition=edition_2023)  # its last day is 9 November
    days = personal_data.PURGE_AFTER_DAYS

    clock("2023-12-09T12:00+03:00")
    kept = personal_data.purge_personal_data(older_than_days=days)
    clock("2023-12-10T12:00+03:00")
    purged = personal_data.purge_personal_data(older_than_days=days)

    assert (kept["activations"], purged["activations"]) == (0, 1)


def test_the_policy_tells_everyone_who_gets_a_certificate_that_they_get_one(client):
    """A certificate prints a participant's name and goes by e-mail after the
    event: the policy says so in the section of every kind of record a
    certificate is issued to, in both languages."""
    from django.utils import translation

    from events import certificates

    for language, word in [("ru", "сертификат"), ("en", "certificate")]:
        with translation.override(language):
            purposes = {
                holder.model: str(holder.purpose) for holder in personal_data.holders()
            }
            for source in certificates._sources.values():
                assert word in purposes[source.model], (language, source.label)
    assert "сертификат участника с вашим именем" in text_of(client.get("/privacy/"))
