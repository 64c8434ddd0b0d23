"""An organiser changes an event that people hold seats for: who is told, how,
and what their calendars, pages and the door say afterwards."""

import datetime

import icalendar
import pytest
from ical.calendar_stream import IcsCalendarStream

from events import tasks
from events.models import ChangeNotice, Event
from registrations.models import Registration
from tests.admin_forms import change_form_data
from tests.factories import RegistrationFactory, VenueFactory, moscow

# Locks, a conditional unique constraint and JSON: both databases.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def at_once(settings):
    """Change letters fall due at once (the delay has its own tests)."""
    settings.QUALITYWEEK_CHANGE_LETTER_DELAY_SECONDS = 0


@pytest.fixture
def people(regional_day):
    """Two seats taken, one in line, one who gave up and one never confirmed."""
    return {
        "maria": RegistrationFactory(
            event=regional_day, confirmed=True, email="maria@example.ru"
        ),
        "john": RegistrationFactory(
            event=regional_day,
            confirmed=True,
            email="john@example.com",
            name="John",
            patronymic="",
            language="en",
        ),
        "waiting": RegistrationFactory(
            event=regional_day, waiting=True, email="waiting@example.ru"
        ),
        "gone": RegistrationFactory(
            event=regional_day, cancelled=True, email="gone@example.ru"
        ),
        "pending": RegistrationFactory(event=regional_day, email="pending@example.ru"),
    }


def change_url(event) -> str:
    return f"/admin/events/event/{event.pk}/change/"


@pytest.fixture
def save(organiser_client, committed):
    """Post the change form as the organiser, and run what it queues;
    `letters` answers the preview ("send" or "skip")."""

    def post(event, data, *, letters=None):
        if letters:
            data = {**data, "_change_letters": letters}
        with committed():
            return organiser_client.post(change_url(event), data)

    return post


def calendar_of(message) -> icalendar.Calendar:
    """The letter's one calendar file, read by both parsers (Home Assistant's
    `ical` is strict RFC 5545)."""
    [content] = [
        attachment.content
        for attachment in message.attachments
        if attachment.mimetype.startswith("text/calendar")
    ]
    IcsCalendarStream.calendar_from_ics(content)
    return icalendar.Calendar.from_ical(content)


def by_address(mailoutbox) -> dict:
    return {message.to[0]: message for message in mailoutbox}


def test_cancelling_shows_the_preview_with_the_count_before_saving(
    organiser_client, regional_day, people, at_once, mailoutbox, save
):
    data = change_form_data(organiser_client, regional_day)
    data["is_cancelled"] = "on"

    response = save(regional_day, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Это изменение получат 3 адресата." in html
    assert "Сохранить и написать 3 адресатам" in html
    assert "Отменено: Региональный день" in html  # the letter's subject
    assert "Люди с местом или в листе ожидания: 3" in html
    regional_day.refresh_from_db()
    assert regional_day.is_cancelled is False  # nothing saved yet
    assert mailoutbox == []


def test_cancelling_writes_once_to_each_seat_and_place_in_line_in_their_language(
    organiser_client, regional_day, people, at_once, mailoutbox, save
):
    sequence = regional_day.sequence
    data = change_form_data(organiser_client, regional_day)
    data["is_cancelled"] = "on"

    response = save(regional_day, data, letters="send")

    assert response.status_code == 302
    letters = by_address(mailoutbox)
    assert len(mailoutbox) == 3  # once each
    assert sorted(letters) == [
        "john@example.com",
        "maria@example.ru",
        "waiting@example.ru",
    ]
    assert letters["maria@example.ru"].subject == (
        "Отменено: Региональный день форума «Всемирный день качества»"
    )
    assert letters["john@example.com"].subject == (
        "Cancelled: Regional day of the forum “World Quality Day”"
    )
    assert "Организаторы отменили мероприятие" in letters["maria@example.ru"].body
    calendar = calendar_of(letters["maria@example.ru"])
    [entry] = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "CANCEL"
    assert str(entry["UID"]) == f"event-{regional_day.pk}@127.0.0.1"
    assert entry["SEQUENCE"] == sequence + 1
    assert entry["STATUS"] == "CANCELLED"
    assert str(entry["ATTENDEE"]) == "mailto:maria@example.ru"


def test_moving_the_event_tells_before_and_after_with_an_updated_calendar_entry(
    organiser_client, regional_day, people, at_once, mailoutbox, save
):
    data = change_form_data(organiser_client, regional_day)
    data["start_1"] = "12:00:00"
    data["end_1"] = "19:00:00"

    save(regional_day, data, letters="send")

    letters = by_address(mailoutbox)
    assert len(mailoutbox) == 3
    maria, john = letters["maria@example.ru"], letters["john@example.com"]
    assert maria.subject.startswith("Изменения: Региональный день")
    assert "Пятница, 10 ноября 2023, 10:00–18:00" in maria.body
    assert "Пятница, 10 ноября 2023, 12:00–19:00" in maria.body
    assert "Friday, 10 November 2023, 12:00–19:00" in john.body
    calendar = calendar_of(maria)
    [entry] = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST"
    assert str(entry["UID"]) == f"event-{regional_day.pk}@127.0.0.1"
    assert entry["SEQUENCE"] == regional_day.sequence + 1
    assert entry.decoded("DTSTART") == datetime.datetime(
        2023, 11, 10, 9, 0, tzinfo=datetime.UTC
    )
    assert entry["STATUS"] == "CONFIRMED"
    assert "число 1 в очереди" not in maria.body
    assert "в листе ожидания, номер 1 в очереди" in letters["waiting@example.ru"].body


def test_confirming_the_time_says_so(
    organiser_client, regional_day, people, at_once, mailoutbox, save
):
    Event.objects.filter(pk=regional_day.pk).update(is_time_confirmed=False)
    data = change_form_data(organiser_client, regional_day)
    data["is_time_confirmed"] = "on"

    save(regional_day, data, letters="send")

    letters = by_address(mailoutbox)
    assert letters["maria@example.ru"].subject == (
        "Время подтверждено: Региональный день форума «Всемирный день качества»"
    )
    assert "(время уточняется)" in letters["maria@example.ru"].body
    [entry] = calendar_of(letters["maria@example.ru"]).walk("VEVENT")
    assert entry["STATUS"] == "CONFIRMED"


def test_moving_to_another_venue_names_both_places(
    organiser_client, regional_day, people, at_once, mailoutbox, save
):
    hall = VenueFactory(name="Экспоцентр", address="Краснопресненская наб., 14")
    data = change_form_data(organiser_client, regional_day)
    data["venue"] = str(hall.pk)

    save(regional_day, data, letters="send")

    body = by_address(mailoutbox)["maria@example.ru"].body
    assert "ВДНХ, Региональный павильон" in body
    assert "Экспоцентр, Краснопресненская наб., 14" in body


def test_saving_without_a_letter_saves_and_writes_to_nobody(
    organiser_client, regional_day, people, at_once, mailoutbox, save
):
    data = change_form_data(organiser_client, regional_day)
    data["start_1"] = "10:30:00"

    response = save(regional_day, data, letters="skip")

    assert response.status_code == 302
    regional_day.refresh_from_db()
    assert regional_day.local_start.time() == datetime.time(10, 30)
    assert mailoutbox == []
    assert ChangeNotice.objects.count() == 0


def test_a_change_of_wording_asks_nothing_and_writes_to_nobody(
    organiser_client, regional_day, people, at_once, mailoutbox, save
):
    data = change_form_data(organiser_client, regional_day)
    data["description"] = "Исправлена опечатка."

    response = save(regional_day, data)

    assert response.status_code == 302
    assert mailoutbox == []


def test_an_unpublished_event_writes_to_nobody(
    organiser_client, regional_day, people, at_once, mailoutbox, save
):
    Event.objects.filter(pk=regional_day.pk).update(is_published=False)
    data = change_form_data(organiser_client, regional_day)
    data["start_1"] = "11:00:00"

    response = save(regional_day, data)

    assert response.status_code == 302
    assert mailoutbox == []


def test_several_edits_in_a_short_span_make_one_letter_from_first_to_last(
    organiser_client, regional_day, people, mailoutbox, deferred_tasks, save, committed
):
    for start in ("11:00:00", "12:00:00", "13:00:00"):
        data = change_form_data(organiser_client, regional_day)
        data["start_1"] = start
        save(regional_day, data, letters="send")
    assert mailoutbox == []
    [(task, args, kwargs)] = deferred_tasks

    with committed():
        task.call(*args, **kwargs)
        task.call(*args, **kwargs)  # a second run of the same task sends nothing

    assert len(mailoutbox) == 3
    body = by_address(mailoutbox)["maria@example.ru"].body
    assert "10:00–18:00" in body and "13:00–18:00" in body
    assert "11:00–18:00" not in body and "12:00–18:00" not in body


def test_an_edit_undone_before_the_letter_is_due_writes_to_nobody(
    organiser_client, regional_day, people, mailoutbox, deferred_tasks, save
):
    for start in ("11:00:00", "10:00:00"):
        data = change_form_data(organiser_client, regional_day)
        data["start_1"] = start
        save(regional_day, data, letters="send")
    [(task, args, kwargs)] = deferred_tasks

    assert task.call(*args, **kwargs) == 0

    assert mailoutbox == []


def test_a_person_who_cancels_before_the_letter_is_due_gets_none(
    regional_day, people, mailoutbox, deferred_tasks, organiser_client, save, committed
):
    from registrations import services

    data = change_form_data(organiser_client, regional_day)
    data["start_1"] = "11:00:00"
    save(regional_day, data, letters="send")
    services.cancel(people["maria"])
    mailoutbox.clear()
    [(task, args, kwargs)] = deferred_tasks

    with committed():
        task.call(*args, **kwargs)

    assert sorted(by_address(mailoutbox)) == ["john@example.com", "waiting@example.ru"]


def test_reinstating_a_cancelled_event_tells_people_it_is_back(
    organiser_client, regional_day, people, at_once, mailoutbox, save
):
    data = change_form_data(organiser_client, regional_day)
    data["is_cancelled"] = "on"
    save(regional_day, data, letters="send")
    mailoutbox.clear()
    data = change_form_data(organiser_client, regional_day)
    del data["is_cancelled"]

    save(regional_day, data, letters="send")

    letters = by_address(mailoutbox)
    assert letters["maria@example.ru"].subject.startswith("Снова в программе: ")
    calendar = calendar_of(letters["maria@example.ru"])
    assert calendar["METHOD"] == "REQUEST"


def test_a_letter_of_an_erased_person_is_never_sent(
    organiser_client, regional_day, people, at_once, mailoutbox, save
):
    from registrations import services

    services.erase_personal_data(people["maria"])
    data = change_form_data(organiser_client, regional_day)
    data["is_cancelled"] = "on"

    save(regional_day, data, letters="send")

    assert "maria@example.ru" not in by_address(mailoutbox)
    assert len(mailoutbox) == 2


# Seats: more seats go to the waiting list at once, in its order.


def test_raising_seats_promotes_the_waiting_list_in_order_before_newcomers(
    organiser_client, regional_day, mailoutbox, save
):
    RegistrationFactory.create_batch(2, event=regional_day, confirmed=True)
    first, second, third = (
        RegistrationFactory(event=regional_day, waiting=True) for _ in range(3)
    )
    data = change_form_data(organiser_client, regional_day)
    data["seats"] = "4"

    response = save(regional_day, data)

    assert response.status_code == 302
    for registration in (first, second, third):
        registration.refresh_from_db()
    assert [first.status, second.status, third.status] == [
        Registration.Status.CONFIRMED,
        Registration.Status.CONFIRMED,
        Registration.Status.WAITING,
    ]
    regional_day.refresh_from_db()
    assert (regional_day.seats, regional_day.seats_taken) == (4, 4)
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [first.email, second.email]
    )
    assert all(
        message.subject.startswith("Для вас освободилось место")
        for message in mailoutbox
    )


def test_raising_seats_of_a_cancelled_event_promotes_nobody(regional_day):
    from events import services

    RegistrationFactory.create_batch(2, event=regional_day, confirmed=True)
    waiting = RegistrationFactory(event=regional_day, waiting=True)
    regional_day.refresh_from_db()
    regional_day.is_cancelled = True
    regional_day.seats = 10

    services.save_event(regional_day)

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.WAITING


# What the participant's page and the door say after a cancellation.


def test_ticket_page_of_a_cancelled_event_says_so_and_shows_no_ticket(
    client, regional_day, people
):
    Event.objects.filter(pk=regional_day.pk).update(is_cancelled=True)
    maria = people["maria"]

    html = client.get(f"/registrations/{maria.token}/").content.decode()
    qr = client.get(f"/registrations/{maria.token}/qr.svg")

    assert "Мероприятие отменено" in html
    assert "Организаторы отменили это мероприятие" in html
    assert "ticket-qr" not in html
    assert qr.status_code == 404


def test_checkin_of_a_ticket_for_a_cancelled_event_says_event_cancelled(
    organiser_client, regional_day, people
):
    Event.objects.filter(pk=regional_day.pk).update(is_cancelled=True)
    code = people["maria"].ticket_code

    page = organiser_client.get(f"/checkin/{code}/").content.decode()
    response = organiser_client.post(f"/checkin/{code}/")

    assert "Мероприятие отменено" in page
    assert "Отметить приход" not in page
    assert response.status_code == 409
    people["maria"].refresh_from_db()
    assert people["maria"].checked_in_at is None


def test_checkin_of_a_cancelled_and_erased_registration_says_cancelled_not_unknown(
    organiser_client, regional_day, people, committed
):
    from registrations import services

    maria = people["maria"]
    with committed():
        services.cancel(maria)  # the farewell letter erases the data
    maria.refresh_from_db()
    assert maria.erased_at is not None

    response = organiser_client.get(f"/checkin/{maria.ticket_code}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Регистрация отменена: билет недействителен." in html
    assert "Иванова" not in html


def test_checkin_twice_says_already_checked_in_with_the_time(
    organiser_client, regional_day, people, clock
):
    code = people["maria"].ticket_code
    clock("2023-11-10T09:41+03:00")
    organiser_client.post(f"/checkin/{code}/", follow=True)  # "checked in now"

    html = organiser_client.get(f"/checkin/{code}/").content.decode()

    assert "Вход уже отмечен" in html
    assert "09:41, 10 ноября" in html


def test_change_letter_task_for_a_missing_notice_sends_nothing(db, mailoutbox):
    assert tasks.announce_change.call(12345) == 0

    assert mailoutbox == []


def test_change_letters_follow_the_start_moscow_time(regional_day):
    from events import changes

    before = changes.snapshot(regional_day)
    regional_day.start = moscow(2023, 11, 10, 9)
    change = changes.Change(before=before, after=changes.snapshot(regional_day))

    [line] = change.lines()

    assert (line.label, line.before, line.after) == (
        "Когда, по московскому времени",
        "Пятница, 10 ноября 2023, 10:00–18:00",
        "Пятница, 10 ноября 2023, 09:00–18:00",
    )
