"""The letters as a phone's mail app shows them: nothing wider than the screen."""

import pytest

from events.models import Venue
from registrations import emails
from registrations.models import Registration
from tests.factories import RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

Mail = Registration.Mail
LETTERS = [
    ({}, Mail.CONFIRM_ADDRESS),
    ({"confirmed": True}, Mail.SEAT),
    ({"waiting": True}, Mail.WAITING),
    ({"confirmed": True}, Mail.PROMOTED),
    ({"cancelled": True}, Mail.CANCELLED),
    ({"confirmed": True}, Mail.REMINDER),
    ({"confirmed": True}, Mail.ALREADY_REGISTERED),
]


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize(("trait", "kind"), LETTERS)
def test_every_letter_fits_a_320_px_screen(
    browser, settings, regional_day, trait, kind, language
):
    # Long addresses, as the real site has: they used to push the letter to 704 px.
    settings.QUALITYWEEK_SITE_URL = "https://vsemirnaya-nedelya-kachestva.example.ru"
    Venue.objects.filter(pk=regional_day.venue_id).update(
        directions="Станция метро «ВДНХ», далее через главный вход.",
        latitude="55.826300",
        longitude="37.637700",
    )
    registration = RegistrationFactory(event=regional_day, language=language, **trait)
    [(html, _)] = emails.build(registration, kind).alternatives
    page = browser.new_page(viewport={"width": 320, "height": 640})

    page.set_content(html)

    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.close()
