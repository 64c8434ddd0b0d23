import logging

import pytest
from django.utils import translation

from qualityweek import mail


@pytest.fixture
def letter(settings, tmp_path):
    """A letter template of the test's own: `{{ greeting }}` in text and HTML."""
    (tmp_path / "letter.txt").write_text("{{ greeting }}")
    (tmp_path / "letter.html").write_text("<p>{{ greeting }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return "letter"


def test_render_uses_the_addressees_language_for_subject_and_body(letter):
    with translation.override("ru"):
        message = mail.render(
            letter,
            to="person@example.ru",
            language="en",
            subject=lambda: translation.gettext("Programme"),
            context=lambda: {"greeting": translation.gettext("Programme")},
            attachments=[mail.Attachment("a.ics", b"BEGIN:VCALENDAR", "text/calendar")],
        )

    assert (message.subject, message.body, message.to) == (
        "Programme",
        "Programme",
        ["person@example.ru"],
    )
    assert message.alternatives[0] == ("<p>Programme</p>", "text/html")
    assert tuple(message.attachments[0]) == (
        "a.ics",
        "BEGIN:VCALENDAR",
        "text/calendar",
    )


def test_send_logs_the_primary_key_only(letter, settings, caplog):
    settings.EMAIL_BACKEND = "tests.registrations.mail.FailingBackend"
    message = mail.render(
        letter,
        to="secret.person@example.ru",
        language="ru",
        subject="Тема",
        context={"greeting": "Здравствуйте"},
    )

    with caplog.at_level(logging.INFO):
        sent = mail.send(message, about="Activation", pk=7, mail="received")

    assert sent is False
    assert caplog.messages == [
        "Activation 7: received e-mail failed (SMTPServerDisconnected)"
    ]


@pytest.mark.django_db
def test_a_letter_with_a_key_goes_once_with_a_message_id_of_its_key(letter, mailoutbox):
    def send():
        message = mail.render(
            letter, to="person@example.ru", language="ru", subject="S", context={}
        )
        return mail.send(message, about="Registration", pk=1, mail="seat", key="k1")

    assert (send(), send()) == (True, True)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].extra_headers["Message-ID"].startswith("<k1@")
