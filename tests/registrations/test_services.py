import pytest
from django.core import mail

from events.models import Event
from qualityweek.models import ConsentText
from registrations import links, services
from registrations.models import Registration
from tests.factories import ConsentTextFactory, RegistrationFactory, moscow, region
from tests.registrations.helpers import JustAfter, link_in

PERSON = {
    "surname": "Петров",
    "name": "Иван",
    "patronymic": "",
    "email": "Ivan.Petrov@Example.ru",
    "phone": "+79161234567",
    "organisation": "ООО «Завод»",
    "position": "директор по качеству",
    "consent": True,
}


@pytest.fixture
def person():
    return {**PERSON, "region": region("43")}


def test_register_stores_a_pending_registration_with_consent(regional_day, person):
    registration = services.register(regional_day, person, language="en")

    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING
    assert registration.email == "ivan.petrov@example.ru"
    assert registration.language == "en"
    assert registration.consent_text == regional_day.consent_text
    assert registration.consent_given_at == JustAfter(moscow(2023, 11, 1, 10))


def test_register_holds_no_seat(regional_day, person):
    services.register(regional_day, person, language="ru")

    regional_day.refresh_from_db()
    assert regional_day.seats_taken == 0


def test_register_sends_the_confirmation_link_after_commit(
    regional_day, person, committed
):
    with committed():
        registration = services.register(regional_day, person, language="ru")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ivan.petrov@example.ru"]
    link = link_in(mail.outbox[0], "/registrations/confirm/")
    signed = link.rstrip("/").rsplit("/", 1)[-1]
    # The link carries the random key, signed; never the address.
    assert links.unsign_confirmation(signed) == registration.confirmation_key
    assert "ivan.petrov" not in link


def test_register_same_email_again_makes_no_second_registration(
    regional_day, person, committed
):
    first = services.register(regional_day, person, language="ru")
    services.confirm(first)
    again = {**person, "email": "ivan.petrov@EXAMPLE.ru", "surname": "Другой"}

    with committed():
        second = services.register(regional_day, again, language="ru")

    assert second.pk == first.pk
    assert Registration.objects.count() == 1
    second.refresh_from_db()
    assert second.surname == "Петров"
    assert second.status == Registration.Status.CONFIRMED
    assert [m.subject for m in mail.outbox] == [
        "Вы уже зарегистрированы: Региональный день форума «Всемирный день качества»"
    ]
    assert first.get_absolute_url() in mail.outbox[0].body


def test_register_same_email_while_pending_sends_a_new_confirmation_link(
    regional_day, person, committed
):
    services.register(regional_day, person, language="ru")

    with committed():
        services.register(regional_day, person, language="ru")

    assert Registration.objects.count() == 1
    assert "/registrations/confirm/" in mail.outbox[0].body


def test_register_after_cancelling_starts_afresh(regional_day, person):
    first = services.register(regional_day, person, language="ru")
    services.confirm(first)
    services.cancel(first)

    again = services.register(
        regional_day, {**person, "position": "главный инженер"}, language="en"
    )

    again.refresh_from_db()
    assert again.pk == first.pk
    assert again.status == Registration.Status.PENDING
    assert again.position == "главный инженер"
    assert again.language == "en"
    assert again.cancelled_at is None


def test_register_without_consent_is_refused(regional_day, person):
    with pytest.raises(services.RegistrationError):
        services.register(regional_day, {**person, "consent": False}, language="ru")

    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (
            "2023-10-01T10:00+03:00",
            "Регистрация откроется 16 октября 2023 в 10:00 по московскому времени.",
        ),
        ("2023-11-09T18:00+03:00", "Регистрация на это мероприятие закрыта."),
        ("2023-11-10T12:00+03:00", "Регистрация на это мероприятие закрыта."),
        ("2023-11-10T18:00+03:00", "Это мероприятие уже прошло."),
    ],
)
def test_register_outside_the_window_is_refused(
    regional_day, person, clock, moment, message
):
    clock(moment)

    with pytest.raises(services.RegistrationError) as refusal:
        services.register(regional_day, person, language="ru")

    assert str(refusal.value) == message


def test_register_for_a_cancelled_event_is_refused(regional_day, person):
    Event.objects.filter(pk=regional_day.pk).update(is_cancelled=True)
    regional_day.refresh_from_db()

    with pytest.raises(services.RegistrationError) as refusal:
        services.register(regional_day, person, language="ru")

    assert str(refusal.value) == "Это событие отменено."


def test_register_when_full_without_waiting_list_is_refused(regional_day, person):
    RegistrationFactory.create_batch(2, event=regional_day, confirmed=True)
    Event.objects.filter(pk=regional_day.pk).update(keeps_waiting_list=False)
    regional_day.refresh_from_db()

    with pytest.raises(services.RegistrationError) as refusal:
        services.register(regional_day, person, language="ru")

    assert str(refusal.value) == "К сожалению, все места заняты."


def test_register_when_full_with_waiting_list_is_taken(regional_day, person):
    RegistrationFactory.create_batch(2, event=regional_day, confirmed=True)
    regional_day.refresh_from_db()

    registration = services.register(regional_day, person, language="ru")

    assert registration.status == Registration.Status.PENDING


def test_confirm_takes_a_seat(regional_day, committed):
    pending = RegistrationFactory(event=regional_day)

    with committed():
        services.confirm(pending)

    pending.refresh_from_db()
    regional_day.refresh_from_db()
    assert pending.status == Registration.Status.CONFIRMED
    assert pending.confirmed_at == JustAfter(moscow(2023, 11, 1, 10))
    assert regional_day.seats_taken == 1
    assert mail.outbox[0].subject == (
        "Ваше место подтверждено: Региональный день форума «Всемирный день качества»"
    )


def test_confirm_twice_takes_one_seat(regional_day, committed):
    pending = RegistrationFactory(event=regional_day)

    with committed():
        services.confirm(pending)
        services.confirm(pending)

    regional_day.refresh_from_db()
    assert regional_day.seats_taken == 1
    assert len(mail.outbox) == 1


def test_confirm_when_seats_are_gone_puts_person_on_waiting_list(regional_day):
    RegistrationFactory.create_batch(2, event=regional_day, confirmed=True)
    pending = RegistrationFactory(event=regional_day)

    services.confirm(pending)

    pending.refresh_from_db()
    regional_day.refresh_from_db()
    assert pending.status == Registration.Status.WAITING
    assert pending.waiting_since == JustAfter(moscow(2023, 11, 1, 10))
    assert regional_day.seats_taken == 2


def test_confirm_numbers_the_waiting_list_in_lock_order_whatever_the_clock(
    regional_day, clock
):
    RegistrationFactory.create_batch(2, event=regional_day, confirmed=True)
    first, second = RegistrationFactory.create_batch(2, event=regional_day)

    services.confirm(first)
    clock("2023-11-01T09:59:55+03:00")  # the next host's clock lags behind
    services.confirm(second)

    waiting = list(regional_day.registrations.waiting())
    assert waiting == [first, second]
    assert [r.waiting_position for r in waiting] == [1, 2]
    assert Registration.objects.ahead_of(waiting[1]).get() == first


def test_confirm_when_full_without_waiting_list_is_refused(regional_day):
    RegistrationFactory.create_batch(2, event=regional_day, confirmed=True)
    Event.objects.filter(pk=regional_day.pk).update(keeps_waiting_list=False)
    pending = RegistrationFactory(event=regional_day)

    with pytest.raises(services.RegistrationError) as refusal:
        services.confirm(pending)

    pending.refresh_from_db()
    assert pending.status == Registration.Status.PENDING
    assert str(refusal.value) == "К сожалению, все места заняты."


def test_confirm_after_the_event_has_started_is_refused(regional_day, clock):
    pending = RegistrationFactory(event=regional_day)
    clock("2023-11-10T10:30+03:00")

    with pytest.raises(services.RegistrationError):
        services.confirm(pending)

    pending.refresh_from_db()
    assert pending.status == Registration.Status.PENDING


def test_cancel_frees_the_seat_and_gives_it_to_the_first_in_line(
    regional_day, committed
):
    holder, _other = RegistrationFactory.create_batch(
        2, event=regional_day, confirmed=True
    )
    first = RegistrationFactory(event=regional_day, waiting=True)
    second = RegistrationFactory(event=regional_day, waiting=True)
    holder_email = holder.email

    with committed():
        services.cancel(holder)

    holder.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    regional_day.refresh_from_db()
    assert holder.status == Registration.Status.CANCELLED
    assert holder.cancelled_at == JustAfter(moscow(2023, 11, 1, 10))
    assert first.status == Registration.Status.CONFIRMED
    assert second.status == Registration.Status.WAITING
    assert regional_day.seats_taken == 2
    assert sorted((m.to[0], m.subject.split(":")[0]) for m in mail.outbox) == sorted(
        [
            (holder_email, "Ваша регистрация отменена"),
            (first.email, "Для вас освободилось место"),
        ]
    )


def test_waiting_list_is_served_first_come_first_served(regional_day):
    holders = RegistrationFactory.create_batch(2, event=regional_day, confirmed=True)
    late = RegistrationFactory(event=regional_day, waiting=True, waiting_position=2)
    early = RegistrationFactory(event=regional_day, waiting=True, waiting_position=1)

    services.cancel(holders[0])
    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.status, late.status) == ("confirmed", "waiting")

    services.cancel(holders[1])
    late.refresh_from_db()
    assert late.status == "confirmed"


def test_cancel_from_the_waiting_list_just_leaves_it(regional_day):
    RegistrationFactory.create_batch(2, event=regional_day, confirmed=True)
    first = RegistrationFactory(event=regional_day, waiting=True)
    second = RegistrationFactory(event=regional_day, waiting=True)

    services.cancel(first)

    first.refresh_from_db()
    regional_day.refresh_from_db()
    assert first.status == Registration.Status.CANCELLED
    assert regional_day.seats_taken == 2
    assert list(regional_day.registrations.waiting()) == [second]


def test_cancel_a_pending_registration_frees_nothing(regional_day):
    RegistrationFactory(event=regional_day, confirmed=True)
    pending = RegistrationFactory(event=regional_day)

    services.cancel(pending)

    regional_day.refresh_from_db()
    assert regional_day.seats_taken == 1


def test_cancel_twice_changes_nothing(regional_day, committed):
    holder = RegistrationFactory(event=regional_day, confirmed=True)

    with committed():
        services.cancel(holder)
        services.cancel(holder)

    regional_day.refresh_from_db()
    assert regional_day.seats_taken == 0
    assert len(mail.outbox) == 1


def test_cancel_after_check_in_is_refused(regional_day):
    holder = RegistrationFactory(
        event=regional_day, confirmed=True, checked_in_at=moscow(2023, 11, 10, 9)
    )

    with pytest.raises(services.RegistrationError):
        services.cancel(holder)

    holder.refresh_from_db()
    assert holder.status == Registration.Status.CONFIRMED


def test_cancel_after_the_event_is_refused(regional_day, clock):
    holder = RegistrationFactory(event=regional_day, confirmed=True)
    clock("2023-11-11T10:00+03:00")

    with pytest.raises(services.RegistrationError) as refusal:
        services.cancel(holder)

    assert str(refusal.value) == "Это мероприятие уже прошло."


def test_cancel_during_the_event_promotes_nobody(regional_day, clock):
    holder = RegistrationFactory(event=regional_day, confirmed=True)
    waiting = RegistrationFactory(event=regional_day, waiting=True)
    clock("2023-11-10T11:00+03:00")

    services.cancel(holder)

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.WAITING


def test_promote_from_waiting_list_fills_seats_added_by_organisers(regional_day):
    RegistrationFactory.create_batch(2, event=regional_day, confirmed=True)
    first = RegistrationFactory(event=regional_day, waiting=True)
    Event.objects.filter(pk=regional_day.pk).update(seats=3)

    promoted = services.promote_from_waiting_list(regional_day)

    regional_day.refresh_from_db()
    assert promoted == first
    assert promoted.status == Registration.Status.CONFIRMED
    assert regional_day.seats_taken == 3


def test_promote_from_waiting_list_without_a_free_seat_gives_none(regional_day):
    RegistrationFactory.create_batch(2, event=regional_day, confirmed=True)
    waiting = RegistrationFactory(event=regional_day, waiting=True)

    promoted = services.promote_from_waiting_list(regional_day)

    waiting.refresh_from_db()
    assert promoted is None
    assert waiting.status == Registration.Status.WAITING


def test_waiting_position_counts_those_ahead(regional_day):
    first, second, third = RegistrationFactory.create_batch(
        3, event=regional_day, waiting=True
    )

    positions = [
        Registration.objects.ahead_of(r).count() + 1 for r in (first, second, third)
    ]

    assert positions == [1, 2, 3]


@pytest.mark.parametrize(
    ("trait", "subject"),
    [
        ({}, "Подтвердите регистрацию"),
        ({"confirmed": True}, "Ваше место подтверждено"),
        ({"waiting": True}, "Вы в листе ожидания"),
        ({"cancelled": True}, "Ваша регистрация отменена"),
    ],
)
def test_resend_email_sends_what_fits_the_status(
    regional_day, trait, subject, committed
):
    registration = RegistrationFactory(event=regional_day, **trait)

    with committed():
        services.resend_email(registration)

    assert [m.subject.split(":")[0] for m in mail.outbox] == [subject]


def test_mail_server_failure_loses_no_registration_and_is_retried(
    regional_day, person, settings, committed, deferred_tasks
):
    settings.EMAIL_BACKEND = "tests.registrations.mail.FailingBackend"
    with committed():
        registration = services.register(regional_day, person, language="ru")

    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING
    assert mail.outbox == []
    [(task, args, kwargs)] = deferred_tasks
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert task.call(*args, **kwargs) == "sent"
    assert mail.outbox[0].subject.startswith("Подтвердите регистрацию")


def test_retried_email_that_no_longer_fits_is_dropped(regional_day, deferred_tasks):
    from registrations import tasks

    registration = RegistrationFactory(event=regional_day, cancelled=True)

    outcome = tasks.send_mail.call(registration.pk, Registration.Mail.SEAT)

    assert (outcome, mail.outbox, deferred_tasks) == ("not due", [], [])


def test_retries_stop_after_about_a_day(regional_day, settings, deferred_tasks):
    from registrations import tasks

    settings.EMAIL_BACKEND = "tests.registrations.mail.FailingBackend"
    registration = RegistrationFactory(event=regional_day, confirmed=True)

    tasks.send_mail.call(registration.pk, Registration.Mail.SEAT, attempt=8)

    assert deferred_tasks == []


def test_services_log_the_pk_only(regional_day, person, caplog, committed):
    caplog.set_level("INFO")

    with committed():
        registration = services.register(regional_day, person, language="ru")
        services.confirm(registration)
        services.cancel(registration)

    assert f"Registration {registration.pk}: cancelled" in caplog.text
    for value in ("Петров", "Иван", "ivan.petrov", "79161234567", "Завод"):
        assert value not in caplog.text


def test_send_reminder_once(regional_day, committed):
    holder = RegistrationFactory(event=regional_day, confirmed=True)

    with committed():
        first = services.send_reminder(holder)
        second = services.send_reminder(holder)

    holder.refresh_from_db()
    assert (first, second) == (True, False)
    assert holder.reminder_sent_at == JustAfter(moscow(2023, 11, 1, 10))
    assert len(mail.outbox) == 1


def test_send_reminders_reaches_confirmed_people_of_events_soon(
    regional_day, clock, committed
):
    holder = RegistrationFactory(event=regional_day, confirmed=True)
    RegistrationFactory(event=regional_day, waiting=True)
    RegistrationFactory(event=regional_day, cancelled=True)
    RegistrationFactory(event=regional_day)
    clock("2023-11-08T09:00+03:00")

    with committed():
        sent = services.send_reminders(days=2)  # to 10 November

    assert sent == 1
    assert [m.to for m in mail.outbox] == [[holder.email]]


def test_send_reminders_leaves_events_further_off(regional_day, committed):
    RegistrationFactory(event=regional_day, confirmed=True)

    with committed():
        sent = services.send_reminders(days=3)

    assert sent == 0
    assert mail.outbox == []


def test_availability_moves_through_the_window(regional_day, clock):
    moments = [
        "2023-10-16T09:59+03:00",
        "2023-10-16T10:00+03:00",
        "2023-11-09T17:59+03:00",
        "2023-11-09T18:00+03:00",
        "2023-11-10T18:00+03:00",
    ]
    states = []
    for moment in moments:
        clock(moment)
        states.append(services.availability(regional_day))

    assert states == ["not_open_yet", "open", "open", "closed", "over"]


def test_availability_when_seats_are_gone(regional_day):
    RegistrationFactory.create_batch(2, event=regional_day, confirmed=True)
    regional_day.refresh_from_db()

    full = services.availability(regional_day)
    regional_day.keeps_waiting_list = False
    sold_out = services.availability(regional_day)

    assert (full, sold_out) == ("full", "sold_out")


def test_seats_left_never_below_zero(regional_day):
    regional_day.seats = 1
    regional_day.seats_taken = 2

    assert services.seats_left(regional_day) == 0


def test_register_stamps_the_registration_with_the_site_clock(
    regional_day, person, clock
):
    clock("2023-11-02T12:00+03:00")

    registration = services.register(regional_day, person, language="ru")

    registration.refresh_from_db()
    assert registration.created_at == JustAfter(moscow(2023, 11, 2, 12))


def test_consent_text_for_an_event_without_its_own_is_registrations_newest(
    regional_day,
):
    regional_day.consent_text = None
    registration_text = ConsentTextFactory(purpose="registration", version="r-2")
    ConsentTextFactory(purpose="activation", version="a-9")

    assert services.consent_text_for(regional_day) == registration_text
    assert ConsentText.objects.count() == 3


def test_confirming_reads_no_consent_text_under_the_events_lock(regional_day, clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    registration = RegistrationFactory(event=regional_day)

    with CaptureQueriesContext(connection) as queries:
        services.confirm(registration)

    # The event names its consent text: that it is in force needs no read, and
    # every statement inside the lock holds up the rush's next confirmation.
    assert registration.status == Registration.Status.CONFIRMED
    assert not [query for query in queries if "consenttext" in query["sql"]]
