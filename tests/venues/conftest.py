import pytest

from tests.factories import ConsentTextFactory, VenueCallFactory
from tests.spam import shown_for_each_post


@pytest.fixture
def mails(mailoutbox, django_capture_on_commit_callbacks):
    """The letters sent, with every transaction's tasks run as it commits (the
    test's own transaction never commits, so its on-commit callbacks run here)."""

    class Mails(list):
        def after(self, action):
            with django_capture_on_commit_callbacks(execute=True):
                result = action()
            self[:] = mailoutbox
            return result

    return Mails()


@pytest.fixture
def venue_consent(db):
    return ConsentTextFactory(
        purpose="venue_application",
        version="2023-V1",
        text="Согласие на обработку данных площадки.\n\nВторой абзац.",
        text_en="Consent for the venue's application.",
    )


@pytest.fixture
def venue_call(edition_2023):
    return VenueCallFactory(edition=edition_2023)


@pytest.fixture
def open_call(venue_call, venue_consent, clock):
    """The call open by the site clock (1 Nov 2023), with its consent text."""
    return venue_call


FORM = {
    "region": "43",
    "city": "Киров",
    "venue_name": "Актовый зал министерства",
    "address": "Киров, ул. Карла Либкнехта, 69",
    "organising_body": "Министерство промышленности Кировской области",
    "audience": "60",
    "contact_name": "Ольга Смирнова",
    "email": " Olga.Smirnova@Example.RU ",
    "phone": "8 (916) 123-45-67",
    "tech_name": "Иван Кузнецов",
    "tech_email": "ivan@example.ru",
    "tech_phone": "+7 916 765-43-21",
    "note": "Второй зал на 20 мест.",
    "consent": "on",
    "homepage": "",
    **shown_for_each_post(),
}
