"""Every link of the site that does not open answers with one page: what
happened (expired, cut short or changed, or what it opened is gone) and what to
do next, in Russian and in English, with the status it always had."""

import datetime

import pytest
from django.utils import translation

from activations import emails as activation_emails
from qualityweek import links
from registrations import links as registration_links
from tests.factories import (
    ActivationFactory,
    RegistrationFactory,
    VenueApplicationFactory,
    VenueCallFactory,
)
from tests.pages import text_of
from venues import emails as venue_emails

pytestmark = pytest.mark.django_db

SAYS = {
    ("expired", "ru"): "Срок действия ссылки истёк",
    ("expired", "en"): "This link has expired",
    ("invalid", "ru"): "Эта ссылка не работает",
    ("invalid", "en"): "This link does not work",
}


def confirm_link(edition):
    registration = RegistrationFactory(event__edition=edition)
    return registration, (
        f"/registrations/confirm/{registration_links.sign_confirmation(registration)}/"
    )


def activation_link(edition):
    activation = ActivationFactory(edition=edition)
    return activation, activation_emails.edit_url(activation).removeprefix(
        links.absolute("")
    )


def venue_link(edition):
    VenueCallFactory(edition=edition)
    application = VenueApplicationFactory(edition=edition)
    return application, venue_emails.page_url(application).removeprefix(
        links.absolute("")
    )


SIGNED = {
    "registration confirmation": confirm_link,
    "activation edit": activation_link,
    "venue page": venue_link,
}
# Each link is older than it works for by then (48 hours, 60 and 180 days).
LATER = "2024-12-01T10:00+03:00"


def localised(path: str, language: str) -> str:
    return path if language == "ru" else "/en" + path


def forged(path: str) -> str:
    signed = path.rstrip("/").rsplit("/", 1)[1]
    return path.replace(signed, signed[:-3] + "xyz")


def page_of(response):
    return (response.status_code, next(t.name for t in response.templates))


@pytest.mark.parametrize("kind", SIGNED)
@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_forged_signed_link_answers_the_one_page(
    client, edition_2023, clock, kind, language
):
    _, path = SIGNED[kind](edition_2023)

    response = client.get(localised(forged(path), language))

    assert page_of(response) == (400, "link_problem.html")
    text = text_of(response)
    assert SAYS["invalid", language] in text
    assert (
        "Ссылка неполная или изменена" in text
        if language == "ru"
        else "The link is incomplete or was changed" in text
    )
    assert 'name="robots" content="noindex"' in response.content.decode()


@pytest.mark.parametrize("kind", SIGNED)
@pytest.mark.parametrize("language", ["ru", "en"])
def test_an_expired_signed_link_says_how_long_it_works_and_what_next(
    client, edition_2023, clock, kind, language
):
    _, path = SIGNED[kind](edition_2023)
    clock(LATER)

    response = client.get(localised(path, language))

    assert page_of(response) == (410, "link_problem.html")
    text = text_of(response)
    assert SAYS["expired", language] in text
    assert ("действует" if language == "ru" else "works for") in text
    assert 'class="btn btn-primary btn-lg"' in response.content.decode()


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("registration confirmation", "The confirmation link works for 48 hours"),
        ("activation edit", "The link to correct an activation works for 60 days"),
        ("venue page", "page works for 180 days"),
    ],
)
def test_each_expired_link_names_itself_and_its_lifetime(
    client, edition_2023, clock, kind, says
):
    _, path = SIGNED[kind](edition_2023)
    clock(LATER)

    assert says in text_of(client.get(localised(path, "en")))


@pytest.mark.parametrize("kind", SIGNED)
@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_true_link_to_what_is_gone_says_so(
    client, edition_2023, clock, kind, language
):
    entry, path = SIGNED[kind](edition_2023)
    entry.delete()

    response = client.get(localised(path, language))

    assert page_of(response) == (400, "link_problem.html")
    assert (
        "Ссылка настоящая, но того, что она открывала, больше нет"
        if language == "ru"
        else "The link is genuine, but what it opened is no longer here"
    ) in text_of(response)


@pytest.mark.parametrize("page", ["", "cancel/", "ticket.pdf", "qr.svg", "email/"])
@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_participant_link_with_an_unknown_key_answers_the_one_page(
    client, edition_2023, page, language
):
    response = client.get(localised(f"/registrations/{'x' * 43}/{page}", language))

    assert page_of(response) == (404, "link_problem.html")
    assert SAYS["invalid", language] in text_of(response)
    assert 'href="' + localised("/regional-day/", language) in (
        response.content.decode()
    )


def test_a_link_that_lives_for_days_says_days_and_hours_below_three():
    with translation.override("ru"):
        assert links.lifetime(datetime.timedelta(days=60)) == "60 дней"
        assert links.lifetime(datetime.timedelta(hours=48)) == "48 часов"
        assert links.lifetime(datetime.timedelta(days=1)) == "24 часа"
    with translation.override("en"):
        assert links.lifetime(datetime.timedelta(days=60)) == "60 days"
        assert links.lifetime(datetime.timedelta(hours=48)) == "48 hours"
