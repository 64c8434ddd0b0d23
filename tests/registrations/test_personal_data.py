import io
import logging

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import CommandError, call_command

from qualityweek import personal_data
from registrations import services
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory, moscow
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
