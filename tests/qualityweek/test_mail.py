import logging
import smtplib

import pytest
from django.utils import translation

from qualityweek import mail
from qualityweek.models import SentLetter


@pytest.fixture
def letter(settings, tmp_path, db):
    """A letter template of the test's own: `{{ greeting }}` in text and HTML
    (its footer reads the operator and the edition from the database)."""
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


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.ru": (550, b"User unknown")}), True),
        (smtplib.SMTPRecipientsRefused({"a@example.ru": (450, b"Try later")}), False),
        (smtplib.SMTPDataError(554, b"Transaction failed"), True),
        (smtplib.SMTPDataError(451, b"Local error"), False),
        (smtplib.SMTPSenderRefused(553, b"Sender not allowed", "site@x.ru"), False),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), False),
        (ConnectionRefusedError(111, "Connection refused"), False),
        (TimeoutError("timed out"), False),
    ],
)
def test_is_permanent_tells_a_refusal_for_good_from_one_for_now(error, permanent):
    assert mail.is_permanent(error) is permanent


@pytest.mark.django_db
def test_deliver_finding_an_unfinished_attempt_does_not_send_again(
    letter, mailoutbox, caplog
):
    SentLetter.objects.create(key="k2", state=SentLetter.State.ATTEMPTING)
    message = mail.render(
        letter, to="person@example.ru", language="ru", subject="S", context={}
    )

    with caplog.at_level(logging.WARNING):
        outcome = mail.deliver(
            message, about="Registration", pk=3, mail="seat", key="k2"
        )

    assert outcome == mail.UNCERTAIN
    assert mailoutbox == []
    assert SentLetter.objects.get(key="k2").state == SentLetter.State.UNCERTAIN
    assert caplog.messages == [
        "Registration 3: seat e-mail may have been sent by a worker that died: "
        "not sent again"
    ]


@pytest.mark.django_db
def test_deliver_failing_for_now_forgets_the_attempt_so_the_retry_sends(
    letter, settings, mailoutbox
):
    def deliver():
        message = mail.render(
            letter, to="person@example.ru", language="ru", subject="S", context={}
        )
        return mail.deliver(message, about="Registration", pk=4, mail="seat", key="k3")

    settings.EMAIL_BACKEND = "tests.registrations.mail.FailingBackend"
    first = deliver()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    second = deliver()

    assert (first, second) == (mail.FAILED, mail.SENT)
    assert len(mailoutbox) == 1
    assert SentLetter.objects.get(key="k3").state == SentLetter.State.SENT


def test_render_subject_from_a_stored_title_with_line_breaks_is_one_line(
    letter, mailoutbox
):
    message = mail.render(
        letter,
        to="person@example.ru",
        language="ru",
        subject="Активация принята: День\r\nBcc: all@example.ru\t\u202eкачества\x00",
        context={},
    )

    message.send()

    assert message.subject == ("Активация принята: День Bcc: all@example.ru качества")
    assert mailoutbox[0].message()["Subject"] is not None
