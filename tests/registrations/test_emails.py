import icalendar
import pytest
from django.core import mail

from events.models import Event, Venue
from registrations import emails, tasks
from registrations.models import Registration
from tests.factories import RegistrationFactory
from tests.registrations.helpers import link_in, pdf_text

SITE = "https://qualityweek.example.ru"
Mail = Registration.Mail


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.QUALITYWEEK_SITE_URL = SITE


def sent(registration, kind) -> mail.EmailMultiAlternatives:
    assert emails.send(registration.pk, kind) == emails.SENT
    return mail.outbox[-1]


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


@pytest.mark.parametrize(
    ("trait", "kind", "subject"),
    [
        ({}, Mail.CONFIRM_ADDRESS, "Подтвердите регистрацию"),
        ({"confirmed": True}, Mail.SEAT, "Ваше место подтверждено"),
        ({"waiting": True}, Mail.WAITING, "Вы в листе ожидания"),
        ({"confirmed": True}, Mail.PROMOTED, "Для вас освободилось место"),
        ({"cancelled": True}, Mail.CANCELLED, "Ваша регистрация отменена"),
        ({"confirmed": True}, Mail.REMINDER, "Напоминание"),
        ({"confirmed": True}, Mail.ALREADY_REGISTERED, "Вы уже зарегистрированы"),
    ],
)
def test_every_email_has_text_and_html_in_russian(regional_day, trait, kind, subject):
    registration = RegistrationFactory(event=regional_day, **trait)

    message = sent(registration, kind)

    assert message.subject.startswith(subject + ": Региональный день форума")
    assert message.to == [registration.email]
    assert message.body.startswith("Здравствуйте, Мария Петровна!")
    assert "Здравствуйте, Мария Петровна!" in html_of(message)
    assert '<html lang="ru">' in html_of(message)


@pytest.mark.parametrize(
    ("trait", "kind", "subject"),
    [
        ({}, Mail.CONFIRM_ADDRESS, "Confirm your registration"),
        ({"confirmed": True}, Mail.SEAT, "Your seat is confirmed"),
        ({"waiting": True}, Mail.WAITING, "You are on the waiting list"),
        ({"cancelled": True}, Mail.CANCELLED, "Your registration is cancelled"),
    ],
)
def test_emails_to_people_from_the_english_site_are_in_english(
    regional_day, trait, kind, subject
):
    registration = RegistrationFactory(event=regional_day, language="en", **trait)

    message = sent(registration, kind)

    assert (
        message.subject == f"{subject}: Regional day of the forum “World Quality Day”"
    )
    assert message.body.startswith("Hello, Мария!")  # English greets by name alone
    assert f"{SITE}/en/" in message.body


def test_confirmation_link_email_links_the_confirm_page(client, regional_day):
    registration = RegistrationFactory(event=regional_day)

    message = sent(registration, Mail.CONFIRM_ADDRESS)

    path = link_in(message, "/registrations/confirm/")
    assert f"{SITE}{path}" in message.body
    assert f'href="{SITE}{path}"' in html_of(message)
    assert "Ссылка действует 48 часов." in message.body
    assert client.get(path).status_code == 200
    [(name, _content, mimetype)] = message.attachments
    assert (name, mimetype) == ("regional-day-2023.ics", "text/calendar")


def test_seat_email_has_the_ticket_and_the_event_as_ics(regional_day):
    registration = RegistrationFactory(event=regional_day, confirmed=True)

    message = sent(registration, Mail.SEAT)

    assert f"Код билета: {registration.ticket_code}" in message.body
    assert f"{SITE}/registrations/{registration.token}/" in message.body
    assert f"{SITE}/registrations/{registration.token}/cancel/" in message.body
    [(name, content, mimetype)] = [
        a for a in message.attachments if a[0].endswith(".ics")
    ]
    assert (name, mimetype) == ("regional-day-2023.ics", "text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    [event] = calendar.events
    assert str(event["UID"]) == f"event-{regional_day.pk}@qualityweek.example.ru"
    assert str(event["SUMMARY"]) == regional_day.title


def test_waiting_email_tells_the_place_in_line(regional_day):
    RegistrationFactory(event=regional_day, waiting=True)
    registration = RegistrationFactory(event=regional_day, waiting=True)

    message = sent(registration, Mail.WAITING)

    assert "ваш номер в очереди — 2" in message.body
    assert message.attachments == []


def test_reminder_has_the_ticket_the_way_in_and_i_cannot_come(regional_day):
    Venue.objects.filter(pk=regional_day.venue_id).update(
        directions="Вход через главный вход ВДНХ."
    )
    registration = RegistrationFactory(event=regional_day, confirmed=True)

    message = sent(registration, Mail.REMINDER)

    assert message.subject == (
        "Напоминание: Региональный день форума «Всемирный день качества», 10 ноября"
    )
    assert "Как пройти: Вход через главный вход ВДНХ." in message.body
    assert f"Код билета: {registration.ticket_code}" in message.body
    assert (
        f"Я не смогу прийти: {SITE}/registrations/{registration.token}/cancel/"
        in message.body
    )
    assert "Я не смогу прийти</a>" in html_of(message)


def test_already_registered_email_while_pending_sends_a_new_confirmation_link(
    regional_day,
):
    registration = RegistrationFactory(event=regional_day)

    message = sent(registration, Mail.ALREADY_REGISTERED)

    assert link_in(message, "/registrations/confirm/").startswith(
        "/registrations/confirm/"
    )


def test_plain_text_email_is_not_html_escaped(regional_day):
    registration = RegistrationFactory(
        event=regional_day, confirmed=True, name="Д'Артаньян", patronymic=""
    )

    message = sent(registration, Mail.SEAT)

    assert message.body.startswith("Здравствуйте, Д'Артаньян!")


def test_email_no_longer_fitting_the_status_is_not_sent(regional_day):
    registration = RegistrationFactory(event=regional_day, cancelled=True)

    assert emails.send(registration.pk, Mail.SEAT) == emails.NOT_DUE
    assert mail.outbox == []


def test_failed_email_is_retried_without_personal_data_in_the_log(
    regional_day, settings, caplog, deferred_tasks
):
    settings.EMAIL_BACKEND = "tests.registrations.mail.FailingBackend"
    registration = RegistrationFactory(event=regional_day, confirmed=True)

    outcome = tasks.send_mail.call(registration.pk, Mail.SEAT, letter="k1")

    assert outcome == emails.FAILED
    [(task, args, kwargs)] = deferred_tasks
    assert (task.name, args, kwargs) == (
        "send_mail",
        (registration.pk, Mail.SEAT),
        {"attempt": 2, "letter": "k1"},  # the retry is the same letter
    )
    assert caplog.messages == [
        f"Registration {registration.pk}: seat e-mail failed (SMTPServerDisconnected)"
    ]


YANDEX = "https://yandex.ru/maps/?pt=37.637700,55.826300&z=17"


@pytest.mark.parametrize("kind", [Mail.SEAT, Mail.PROMOTED, Mail.REMINDER])
def test_emails_for_those_who_come_give_the_way_in_and_the_maps(regional_day, kind):
    Venue.objects.filter(pk=regional_day.venue_id).update(
        directions="Станция метро «ВДНХ», далее через главный вход.",
        latitude="55.826300",
        longitude="37.637700",
    )
    registration = RegistrationFactory(event=regional_day, confirmed=True)

    message = sent(registration, kind)

    assert "Как пройти: Станция метро «ВДНХ», далее через главный вход." in (
        message.body
    )
    assert f"Яндекс Карты: {YANDEX}" in message.body
    assert "2ГИС: https://2gis.ru/geo/37.637700,55.826300" in message.body
    html = html_of(message)
    assert f'<a href="{YANDEX.replace("&", "&amp;")}">Яндекс Карты</a>' in html
    assert "Станция метро «ВДНХ», далее через главный вход." in html


def test_cancellation_email_does_not_give_the_way_in(regional_day):
    Venue.objects.filter(pk=regional_day.venue_id).update(directions="Через вход 1.")
    registration = RegistrationFactory(event=regional_day, cancelled=True)

    message = sent(registration, Mail.CANCELLED)

    assert "Через вход 1." not in message.body
    assert "yandex.ru/maps" not in message.body


def test_emails_say_when_the_time_is_not_yet_confirmed(regional_day):
    Event.objects.filter(pk=regional_day.pk).update(is_time_confirmed=False)
    registration = RegistrationFactory(event=regional_day, confirmed=True)

    message = sent(registration, Mail.SEAT)

    assert "10:00–18:00 (время уточняется)" in message.body
    assert "10:00–18:00 (время уточняется)" in html_of(message)
    [calendar] = [a for a in message.attachments if a[0].endswith(".ics")]
    assert b"STATUS:TENTATIVE" in (
        calendar[1] if isinstance(calendar[1], bytes) else calendar[1].encode()
    )


def parts_of(message):
    """The MIME tree of the letter as it goes out: [(content type, part)]."""
    return [(part.get_content_type(), part) for part in message.message().walk()]


@pytest.mark.parametrize("kind", [Mail.SEAT, Mail.PROMOTED, Mail.REMINDER])
def test_letters_with_a_seat_carry_the_qr_code_and_the_pdf_ticket(regional_day, kind):
    registration = RegistrationFactory(event=regional_day, confirmed=True)

    message = sent(registration, kind)

    parts = parts_of(message)
    types = [content_type for content_type, _ in parts]
    # The HTML and its image travel together; the files go beside them.
    assert types[:5] == [
        "multipart/mixed",
        "multipart/related",
        "multipart/alternative",
        "text/plain",
        "text/html",
    ]
    [image] = [part for content_type, part in parts if content_type == "image/png"]
    cid = image["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html_of(message)
    assert image.get_payload(decode=True).startswith(b"\x89PNG")
    names = {part.get_filename(): ctype for ctype, part in parts if part.get_filename()}
    assert names[f"ticket-{registration.ticket_code}.pdf"] == "application/pdf"
    assert names["regional-day-2023.ics"] == "text/calendar"
    [pdf] = [part for ctype, part in parts if ctype == "application/pdf"]
    assert registration.ticket_code in pdf_text(pdf.get_payload(decode=True))
    assert "приложен к письму в формате PDF" in message.body


@pytest.mark.parametrize(
    ("trait", "kind"),
    [
        ({}, Mail.CONFIRM_ADDRESS),
        ({"waiting": True}, Mail.WAITING),
        ({"cancelled": True}, Mail.CANCELLED),
    ],
)
def test_letters_without_a_seat_carry_no_ticket(regional_day, trait, kind):
    registration = RegistrationFactory(event=regional_day, **trait)

    message = sent(registration, kind)

    types = [content_type for content_type, _ in parts_of(message)]
    assert "image/png" not in types
    assert "application/pdf" not in types
    assert "cid:" not in html_of(message)
