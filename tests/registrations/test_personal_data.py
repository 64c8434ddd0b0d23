import datetime
import io
import logging

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from qualityweek import personal_data
from registrations import services
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory, moscow
from tests.pages import text_of
from tests.registrations.helpers import JustAfter

pytestmark = pytest.mark.django_db

PERSONAL_VALUES = ["Иванова", "Мария", "Петровна", "+79161234567", "АО «Качество»"]


@pytest.mark.postgres
def test_export_personal_data_gives_every_registration_of_the_email(
    regional_day, edition_2023
):
    forum = EventFactory(edition=edition_2023, title="Форум", in_person=True)
    RegistrationFactory(event=regional_day, email="maria@example.ru", confirmed=True)
    RegistrationFactory(event=forum, email="Maria@Example.ru", position="директор")
    RegistrationFactory(event=forum, email="someone@example.ru", surname="Петров")

    data = personal_data.export_person(" maria@example.ru ")

    assert data["email"] == "maria@example.ru"
    assert [r["event"] for r in data["registrations"]] == [regional_day.title, "Форум"]
    first = data["registrations"][0]
    assert first["surname"] == "Иванова"
    assert first["phone"] == "+79161234567"
    assert first["status"] == "confirmed"
    assert first["region"] == "Москва"
    assert first["consent_text_version"] == "test-1"
    assert first["consent_given_at"] == "2023-11-01T10:00:00+03:00"
    assert data["registrations"][1]["position"] == "директор"


def test_export_personal_data_leaves_out_erased_registrations(regional_day):
    registration = RegistrationFactory(event=regional_day, email="maria@example.ru")
    services.erase_personal_data(registration)

    data = personal_data.export_person("maria@example.ru")

    assert data["registrations"] == []


def test_erase_personal_data_after_the_event_keeps_status_and_counts(
    regional_day, clock
):
    clock("2023-11-20T10:00+03:00")
    registration = RegistrationFactory(
        event=regional_day, confirmed=True, checked_in_at=moscow(2023, 11, 10, 9, 40)
    )
    token, ticket_code = registration.token, registration.ticket_code

    services.erase_personal_data(registration)

    registration.refresh_from_db()
    assert [getattr(registration, field) for field in services.PERSONAL_FIELDS] == [
        ""
    ] * 7
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.checked_in_at == moscow(2023, 11, 10, 9, 40)
    assert registration.region.code == "77"
    assert registration.erased_at == JustAfter(moscow(2023, 11, 20, 10))
    assert registration.token != token
    assert registration.ticket_code != ticket_code
    assert regional_day.registrations.confirmed().count() == 1
    assert regional_day.registrations.checked_in().count() == 1


@pytest.mark.postgres
def test_erase_personal_data_of_a_seat_to_come_frees_it_for_the_waiting_list(
    regional_day, clock
):
    erased = RegistrationFactory.create_batch(2, event=regional_day, confirmed=True)[0]
    waiting = RegistrationFactory(event=regional_day, waiting=True)

    services.erase_personal_data(erased)

    erased.refresh_from_db()
    waiting.refresh_from_db()
    regional_day.refresh_from_db()
    assert erased.status == Registration.Status.CANCELLED
    assert erased.surname == ""
    assert waiting.status == Registration.Status.CONFIRMED
    assert regional_day.seats_taken == 2


def test_erase_personal_data_of_a_pending_sign_up_closes_it(regional_day, clock):
    pending = RegistrationFactory(event=regional_day)
    confirmation_key = pending.confirmation_key

    services.erase_personal_data(pending)

    pending.refresh_from_db()
    assert pending.status == Registration.Status.CANCELLED
    assert pending.confirmation_key != confirmation_key
    assert services.confirm(pending).status == Registration.Status.CANCELLED


def test_erase_personal_data_twice_changes_nothing_more(regional_day, clock):
    registration = RegistrationFactory(event=regional_day, confirmed=True)
    services.erase_personal_data(registration)
    registration.refresh_from_db()
    first = (registration.erased_at, registration.token)

    services.erase_personal_data(registration)

    registration.refresh_from_db()
    assert (registration.erased_at, registration.token) == first


@pytest.mark.postgres
def test_erased_person_can_register_again_with_the_same_email(regional_day, clock):
    registration = RegistrationFactory(event=regional_day, email="maria@example.ru")
    services.erase_personal_data(registration)

    again = RegistrationFactory(event=regional_day, email="maria@example.ru")

    assert regional_day.registrations.filter(erased_at__isnull=True).get() == again


def test_erase_person_erases_every_registration_of_the_email_only(
    regional_day, edition_2023, clock
):
    forum = EventFactory(edition=edition_2023, in_person=True)
    RegistrationFactory(event=regional_day, email="maria@example.ru")
    RegistrationFactory(event=forum, email="MARIA@example.ru")
    other = RegistrationFactory(event=forum, email="other@example.ru")

    counts = personal_data.erase_person("maria@example.ru")

    other.refresh_from_db()
    assert counts["registrations"] == 2
    assert Registration.objects.filter(erased_at__isnull=False).count() == 2
    assert other.erased_at is None
    assert other.surname == "Иванова"


def test_erase_person_command_erases_and_does_not_echo_the_email(regional_day, clock):
    RegistrationFactory(event=regional_day, email="maria@example.ru")
    out = io.StringIO()

    call_command(
        "erase_person", "--email", "maria@example.ru", "--no-input", stdout=out
    )

    assert out.getvalue().startswith("Personal data erased: registrations: 1")
    assert Registration.objects.get().email == ""


def test_erase_person_command_without_a_yes_erases_nothing(
    regional_day, clock, monkeypatch
):
    RegistrationFactory(event=regional_day, email="maria@example.ru")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    with pytest.raises(CommandError, match="Nothing erased"):
        call_command("erase_person", "--email", "maria@example.ru")

    assert Registration.objects.get().email == "maria@example.ru"


@pytest.mark.postgres
def test_purge_personal_data_command_erases_events_ended_days_ago(edition_2023, clock):
    clock("2023-12-20T12:00+03:00")
    # The regional day ended on 10 Nov 18:00 (40 days ago); the forum on 12 Nov.
    old = EventFactory(
        edition=edition_2023,
        in_person=True,
        seats=10,
        start=moscow(2023, 11, 10, 10),
        end=moscow(2023, 11, 10, 18),
    )
    recent = EventFactory(
        edition=edition_2023,
        in_person=True,
        seats=10,
        start=moscow(2023, 11, 12, 10),
        end=moscow(2023, 11, 12, 18),
    )
    gone = RegistrationFactory(event=old, confirmed=True)
    kept = RegistrationFactory(event=recent, confirmed=True)
    out = io.StringIO()

    call_command("purge_personal_data", "--days", "38", stdout=out)

    gone.refresh_from_db()
    kept.refresh_from_db()
    assert out.getvalue().startswith("Personal data erased: registrations: 1")
    assert (gone.surname, gone.status) == ("", Registration.Status.CONFIRMED)
    assert kept.surname == "Иванова"


def test_purge_personal_data_command_refuses_negative_days(db):
    with pytest.raises(CommandError, match="negative"):
        call_command("purge_personal_data", "--days", "-1")


def test_registration_text_form_carries_only_the_number(regional_day):
    registration = RegistrationFactory(event=regional_day, email="maria@example.ru")

    text = str(registration)

    assert str(registration.pk) in text
    assert not any(value in text for value in [*PERSONAL_VALUES, "maria@"])


def test_admin_log_entries_of_actions_carry_no_personal_data(
    organiser_client, regional_day, clock
):
    clock("2023-11-10T09:30+03:00")
    registration = RegistrationFactory(
        event=regional_day, email="maria@example.ru", confirmed=True
    )

    organiser_client.post(
        "/admin/registrations/registration/",
        {"action": "check_in", "_selected_action": [registration.pk]},
    )

    entry = LogEntry.objects.get()
    assert entry.object_repr == str(registration)
    assert not any(
        value in entry.object_repr + entry.change_message
        for value in [*PERSONAL_VALUES, "maria@"]
    )


def test_services_log_registration_numbers_only(regional_day, clock, caplog):
    registration = RegistrationFactory(
        event=regional_day, email="maria@example.ru", confirmed=True
    )
    caplog.set_level(logging.DEBUG)

    services.erase_personal_data(registration)

    assert f"Registration {registration.pk}: personal data erased" in caplog.messages
    assert not any(
        value in message
        for message in caplog.messages
        for value in [*PERSONAL_VALUES, "maria@"]
    )


# Retention: cancelling erases, unconfirmed sign-ups expire


def answers_of(registration) -> dict:
    """The form's answers that made this registration."""
    answers = {field: getattr(registration, field) for field in services.PERSON_FIELDS}
    return {**answers, "consent": True}


def test_cancel_erases_the_personal_data_once_the_farewell_letter_has_gone(
    regional_day, committed
):
    holder = RegistrationFactory(event=regional_day, confirmed=True, name="Мария")
    waiting = RegistrationFactory(event=regional_day, waiting=True)
    email, token = holder.email, holder.token

    with committed():
        services.cancel(holder)

    holder.refresh_from_db()
    waiting.refresh_from_db()
    regional_day.refresh_from_db()
    farewell = [m for m in mail.outbox if m.to == [email]]
    assert [m.subject.split(":")[0] for m in farewell] == ["Ваша регистрация отменена"]
    assert "Мария" in farewell[0].body
    assert {
        field: getattr(holder, field) for field in services.PERSONAL_FIELDS
    } == dict.fromkeys(services.PERSONAL_FIELDS, "")
    assert holder.status == Registration.Status.CANCELLED
    assert holder.erased_at == JustAfter(moscow(2023, 11, 1, 10))
    assert holder.token == token  # the person's page still says "cancelled"
    assert (waiting.status, regional_day.seats_taken) == ("confirmed", 1)
    assert regional_day.registrations.count() == 2


def test_cancel_task_rows_carry_the_pk_never_the_address(regional_day, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    holder = RegistrationFactory(event=regional_day, confirmed=True)

    services.cancel(holder)

    [queued] = DBTaskResult.objects.all()
    assert queued.args_kwargs["args"] == [holder.pk, "cancelled"]
    assert list(queued.args_kwargs["kwargs"]) == ["letter"]  # a random key only


def test_cancel_with_the_mail_server_down_keeps_the_data_until_the_last_try(
    regional_day, settings, deferred_tasks
):
    from qualityweek.tasks import RETRY_DELAYS
    from registrations import tasks

    settings.EMAIL_BACKEND = "tests.registrations.mail.FailingBackend"
    holder = RegistrationFactory(event=regional_day, cancelled=True)

    tasks.send_mail.call(holder.pk, "cancelled")
    holder.refresh_from_db()
    kept = holder.email
    tasks.send_mail.call(holder.pk, "cancelled", attempt=len(RETRY_DELAYS) + 1)
    holder.refresh_from_db()

    assert kept != ""
    assert len(deferred_tasks) == 1  # the first try is retried, the last is not
    assert (holder.email, holder.erased_at is not None) == ("", True)


def test_sign_up_again_before_the_farewell_letter_keeps_the_new_sign_up(
    regional_day,
):
    from registrations import tasks

    holder = RegistrationFactory(event=regional_day, confirmed=True)
    services.cancel(holder)
    again = services.register(regional_day, answers_of(holder), language="ru")

    tasks.send_mail.call(holder.pk, "cancelled")

    again.refresh_from_db()
    assert again.pk == holder.pk
    assert (again.status, again.erased_at) == ("pending", None)
    assert again.email == holder.email
    assert mail.outbox == []


def test_cancelled_page_after_erasure_says_cancelled_without_personal_data(
    client, regional_day, committed
):
    holder = RegistrationFactory(
        event=regional_day, confirmed=True, surname="Сидорова", organisation="АО «Лак»"
    )

    with committed():
        response = client.post(f"/registrations/{holder.token}/cancel/", follow=True)

    page = text_of(response)
    assert response.status_code == 200
    assert "Ваша регистрация отменена" in page
    assert "Сидорова" not in page and "Лак" not in page
    assert client.get(f"/registrations/{holder.token}/qr.svg").status_code == 404


def test_admin_and_exports_work_with_registrations_erased_by_cancelling(
    organiser_client, officer_client, regional_day, committed
):
    holder = RegistrationFactory(event=regional_day, confirmed=True)
    RegistrationFactory(event=regional_day, confirmed=True)
    with committed():
        services.cancel(holder)
    changelist = "/admin/registrations/registration/"
    selected = list(Registration.objects.values_list("pk", flat=True))

    listing = organiser_client.get(changelist)
    change = organiser_client.get(f"{changelist}{holder.pk}/change/")
    exported = officer_client.post(  # exports are the officers' alone
        changelist, {"action": "export_csv", "_selected_action": selected}
    )

    assert (listing.status_code, change.status_code) == (200, 200)
    assert "(персональные данные удалены)" in listing.content.decode()
    assert exported.status_code == 200
    assert len(exported.content.decode("utf-8-sig").strip().splitlines()) == 3


def stale(registration, *, hours: float):
    """As if the registration was last changed so many real hours ago."""
    Registration.objects.filter(pk=registration.pk).update(
        updated_at=timezone.now() - datetime.timedelta(hours=hours)
    )


def test_expire_sign_ups_deletes_the_unconfirmed_whose_link_is_dead(regional_day):
    from registrations import tasks

    dead = RegistrationFactory(event=regional_day)
    letter_may_be_late = RegistrationFactory(event=regional_day)
    fresh = RegistrationFactory(event=regional_day)
    confirmed = RegistrationFactory(event=regional_day, confirmed=True)
    stale(dead, hours=48 + 24 + 1)
    stale(letter_may_be_late, hours=60)
    stale(confirmed, hours=24 * 30)

    first = tasks.expire_sign_ups.call()
    second = tasks.expire_sign_ups.call()

    assert (first, second) == (
        {"expired": 1, "erased": 0},
        {"expired": 0, "erased": 0},
    )
    assert set(Registration.objects.all()) == {letter_may_be_late, fresh, confirmed}


def test_expire_sign_ups_erases_cancelled_registrations_left_with_data(regional_day):
    from registrations import tasks

    left_over = RegistrationFactory(event=regional_day, cancelled=True)
    just_cancelled = RegistrationFactory(event=regional_day, cancelled=True)
    stale(left_over, hours=24 * 3)

    counts = tasks.expire_sign_ups.call()

    left_over.refresh_from_db()
    just_cancelled.refresh_from_db()
    assert counts == {"expired": 0, "erased": 1}
    assert (left_over.email, left_over.erased_at is not None) == ("", True)
    assert just_cancelled.erased_at is None


def test_sign_up_again_while_unconfirmed_renews_its_life(regional_day):
    registration = RegistrationFactory(event=regional_day)
    stale(registration, hours=48 + 24 + 1)

    services.register(regional_day, answers_of(registration), language="ru")
    services.expire_pending_sign_ups()

    assert Registration.objects.filter(pk=registration.pk).exists()


def test_expire_sign_ups_runs_every_hour_from_the_scheduler():
    from qualityweek import scheduler

    [job] = [job for job in scheduler.JOBS if job.name == "expire_sign_ups"]

    assert (job.task, job.every_minutes) == ("registrations.tasks.expire_sign_ups", 60)
