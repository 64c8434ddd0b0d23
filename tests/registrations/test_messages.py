"""Organisers write to the registrants of chosen events, from the events' list."""

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from qualityweek import messages
from qualityweek.models import Message, MessageRecipient
from registrations import services
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory, moscow
from tests.pages import text_of

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/events/event/"
ACTION = "write_to_registrations"
TEXTS = {
    "subject": "Вход в павильон с 9:00",
    "body": "Добрый день!\n\nВход открыт с 9:00. Схема: https://example.ru/map",
    "subject_en": "The pavilion opens at 9:00",
    "body_en": "Hello!\n\nDoors open at 9:00. Map: https://example.ru/map",
}


@pytest.fixture
def people(regional_day):
    """Who holds what for the regional day: only the first four may be written to."""
    event = regional_day
    event.seats = 10
    event.save(update_fields=["seats"])
    return {
        "seat_ru": RegistrationFactory(event=event, confirmed=True, email="a@ex.ru"),
        "seat_en": RegistrationFactory(
            event=event, confirmed=True, email="b@ex.com", language="en"
        ),
        "waiting": RegistrationFactory(event=event, waiting=True, email="c@ex.ru"),
        "waiting_2": RegistrationFactory(event=event, waiting=True, email="d@ex.ru"),
        "pending": RegistrationFactory(event=event, email="e@ex.ru"),
        "cancelled": RegistrationFactory(event=event, cancelled=True, email="f@ex.ru"),
        "erased": RegistrationFactory(
            event=event,
            confirmed=True,
            email="",
            erased_at=moscow(2023, 11, 2),
        ),
    }


def write(client, events, step="", **fields):
    return client.post(
        CHANGELIST,
        {
            "action": ACTION,
            "_selected_action": [event.pk for event in events],
            **({"step": step} if step else {}),
            **fields,
        },
    )


def confirm(client, events, committed, *, group="both", key="k" * 32):
    with committed():
        return write(client, events, "send", group=group, key=key, **TEXTS)


def test_event_list_offers_organisers_to_write_to_registrants(
    organiser_client, regional_day
):
    response = organiser_client.get(CHANGELIST)

    assert "Написать зарегистрированным на выбранные события" in text_of(response)


def test_staff_without_the_permission_are_not_offered_the_action(regional_day):
    user = User.objects.create_user("editor", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="view_event"),
        Permission.objects.get(codename="change_event"),
    )
    client = Client()
    client.force_login(user)

    response = client.get(CHANGELIST)
    posted = write(client, [regional_day], "send", group="both", key="x", **TEXTS)

    assert "Написать зарегистрированным" not in text_of(response)
    assert posted.status_code == 302
    assert not Message.objects.exists()


def test_action_first_asks_for_the_texts(organiser_client, regional_day):
    response = write(organiser_client, [regional_day])

    text = text_of(response)
    assert "Тема на русском" in text
    assert "Текст на английском" in text
    assert "Региональный день форума «Всемирный день качества»" in text


def test_preview_without_the_texts_says_what_is_missing(organiser_client, regional_day):
    response = write(organiser_client, [regional_day], "preview", group="both")

    assert response.status_code == 200
    assert response.context["form"].errors["subject_en"] == ["Обязательное поле."]
    assert "Отправить письма" not in text_of(response)


def test_preview_shows_the_count_by_language_and_both_letters(
    organiser_client, people, regional_day
):
    response = write(
        organiser_client,
        [regional_day],
        "preview",
        group="both",
        key="k" * 32,
        **TEXTS,
    )

    text = text_of(response)
    assert "Письмо получат 4 человека: 3 на русском, 1 на английском." in text
    assert "Вход в павильон с 9:00" in text
    assert "Doors open at 9:00. Map: https://example.ru/map" in text
    assert "Вы получили это письмо, потому что ваш адрес" in text
    assert "You get this letter because your e-mail address" in text
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("group", "count"),
    [
        ("seats", "Письмо получат 2 человека: 1 на русском, 1 на английском."),
        ("waiting", "Письмо получат 2 человека: 2 на русском, 0 на английском."),
    ],
)
def test_preview_counts_only_the_chosen_group(
    organiser_client, people, regional_day, group, count
):
    response = write(
        organiser_client, [regional_day], "preview", group=group, key="k", **TEXTS
    )

    assert count in text_of(response)


def test_confirming_writes_each_right_registrant_once_in_their_language(
    organiser_client, people, regional_day, mailoutbox, committed
):
    response = confirm(organiser_client, [regional_day], committed)

    assert response.status_code == 302
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert sorted(by_address) == ["a@ex.ru", "b@ex.com", "c@ex.ru", "d@ex.ru"]
    assert by_address["a@ex.ru"].subject == "Вход в павильон с 9:00"
    assert "Вход открыт с 9:00." in by_address["a@ex.ru"].body
    assert by_address["b@ex.com"].subject == "The pavilion opens at 9:00"
    assert "Doors open at 9:00." in by_address["b@ex.com"].body
    html = by_address["b@ex.com"].alternatives[0].content
    assert '<a href="https://example.ru/map"' in html


def test_confirming_logs_each_recipient_by_record_not_by_address(
    organiser_client, people, regional_day, committed
):
    confirm(organiser_client, [regional_day], committed)

    message = Message.objects.get()
    rows = MessageRecipient.objects.filter(message=message)
    registration_type = ContentType.objects.get_for_model(Registration)
    assert (message.audience, message.group, message.subject_en) == (
        "registrations",
        "both",
        "The pavilion opens at 9:00",
    )
    assert sorted((r.content_type, r.object_id, r.language, r.state) for r in rows) == (
        sorted(
            (registration_type, people[name].pk, people[name].language, "sent")
            for name in ("seat_ru", "seat_en", "waiting", "waiting_2")
        )
    )


def test_confirming_twice_sends_once(
    organiser_client, people, regional_day, mailoutbox, committed
):
    confirm(organiser_client, [regional_day], committed)
    second = confirm(organiser_client, [regional_day], committed)

    assert len(mailoutbox) == 4
    assert Message.objects.count() == 1
    assert MessageRecipient.objects.count() == 4
    assert second.status_code == 302


def test_letter_task_run_twice_sends_once(people, regional_day, mailoutbox):
    audience = messages.audience_of("registrations")
    with_seat = Registration.objects.filter(pk=people["seat_ru"].pk)
    message, _ = messages.send(
        audience, with_seat, messages.Draft(**TEXTS), group="seats", key="t" * 32
    )
    row = message.recipients.get()

    first = messages.send_letter.call(row.pk)
    second = messages.send_letter.call(row.pk)

    assert (first, second) == ("sent", "sent")
    assert len(mailoutbox) == 1


def test_a_registrant_who_cancels_before_the_letter_goes_gets_none(
    people, regional_day, mailoutbox
):
    audience = messages.audience_of("registrations")
    chosen = audience.recipients([regional_day], "seats")
    message, _ = messages.send(
        audience, chosen, messages.Draft(**TEXTS), group="seats", key="c" * 32
    )
    services.cancel(Registration.objects.get(pk=people["seat_ru"].pk))
    mailoutbox.clear()

    outcomes = sorted(
        messages.send_letter.call(row.pk) for row in message.recipients.all()
    )

    assert outcomes == ["not due", "sent"]
    assert [mail.to for mail in mailoutbox] == [["b@ex.com"]]
    assert set(message.recipients.values_list("state", flat=True)) == {
        "not_sent",
        "sent",
    }


def test_a_person_registered_for_two_chosen_events_gets_one_letter(
    organiser_client, regional_day, mailoutbox, committed
):
    other = EventFactory(
        edition=regional_day.edition, takes_registrations=True, seats=10
    )
    RegistrationFactory(event=regional_day, confirmed=True, email="same@ex.ru")
    RegistrationFactory(event=other, confirmed=True, email="same@ex.ru")

    confirm(organiser_client, [regional_day, other], committed)

    assert [mail.to for mail in mailoutbox] == [["same@ex.ru"]]
