"""The organisers' messages: who may send them, and the log they leave."""

import pytest
from django.contrib.auth.models import Group

from qualityweek import messages
from qualityweek.models import Message, MessageRecipient
from registrations.models import Registration
from tests.factories import RegistrationFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db
DRAFT = messages.Draft(
    subject="Тема",
    subject_en="Subject",
    body="Первый абзац.\n\nВторой: https://example.ru/x",
    body_en="First paragraph.",
)


def test_organisers_may_send_messages_and_read_their_log():
    codenames = set(
        Group.objects.get(name="Organisers")
        .permissions.filter(content_type__model="message")
        .values_list("codename", flat=True)
    )

    assert codenames == {"send_message", "view_message"}


def test_registrations_and_venues_register_their_audiences():
    from events.models import Event
    from venues.models import VenueApplication

    assert [a.key for a in messages.audiences_for(Event)] == ["registrations"]
    assert [a.key for a in messages.audiences_for(VenueApplication)] == ["venues"]


def test_letter_renders_paragraphs_and_links_in_the_addressees_language():
    audience = messages.audience_of("registrations")

    letter = messages.build(DRAFT, audience, to="a@example.ru", language="ru")

    html = letter.alternatives[0].content
    assert letter.subject == "Тема"
    assert "<p>Первый абзац.</p>" in html
    assert '<a href="https://example.ru/x"' in html
    assert '<html lang="ru">' in html
    assert letter.body.startswith("Первый абзац.\n\nВторой: https://example.ru/x\n")


def test_message_log_shows_each_letters_state_but_no_address(
    organiser_client, regional_day
):
    person = RegistrationFactory(
        event=regional_day, confirmed=True, email="secret@example.ru"
    )
    message, _ = messages.send(
        messages.audience_of("registrations"),
        Registration.objects.filter(pk=person.pk),
        DRAFT,
        group="seats",
        key="l" * 32,
    )
    messages.send_letter.call(message.recipients.get().pk)

    listing = organiser_client.get("/admin/qualityweek/message/")
    detail = organiser_client.get(f"/admin/qualityweek/message/{message.pk}/change/")

    assert "отправлено: 1" in text_of(listing)
    assert "secret@example.ru" not in listing.content.decode()
    assert "secret@example.ru" not in detail.content.decode()
    assert MessageRecipient.objects.get().state == "sent"
    assert Message.objects.get().recipients.count() == 1
