"""Approved venues hear about their connection instructions when they change."""

import pytest

from tests.admin_forms import FormValues
from tests.factories import VenueApplicationFactory, moscow
from tests.pages import text_of
from tests.venues.test_views import page_path
from venues import emails, services, tasks
from venues.models import VenueApplication, VenueCall

pytestmark = pytest.mark.django_db

NEW_TEXT = "Подключение: https://forum.example.ru/room-7, репетиция 9 ноября в 15:00."
NEW_TEXT_EN = "Connect at https://forum.example.ru/room-7, rehearsal 9 Nov, 15:00."


@pytest.fixture
def at_once(settings):
    """Letters leave as the change commits, not after the pause."""
    settings.QUALITYWEEK_VENUE_INSTRUCTIONS_DELAY = 0


@pytest.fixture
def venues(open_call):
    """Approved venues in Russian and in English, and the ones never written to."""
    edition = open_call.edition
    return {
        "ru": VenueApplicationFactory(edition=edition, email="ru@example.ru"),
        "en": VenueApplicationFactory(
            edition=edition, email="en@example.com", language="en", tech_email=""
        ),
        "pending": VenueApplicationFactory(edition=edition, pending=True),
        "rejected": VenueApplicationFactory(edition=edition, rejected=True),
        "withdrawn": VenueApplicationFactory(edition=edition, status="withdrawn"),
        "erased": VenueApplicationFactory(
            edition=edition, erased_at=moscow(2023, 10, 30)
        ),
    }


def save_call(client, call, **changes):
    """The organiser's save of the call's admin form, with these fields changed."""
    url = f"/admin/venues/venuecall/{call.pk}/change/"
    parser = FormValues()
    parser.feed(client.get(url).content.decode())
    return client.post(url, {**parser.data, **changes}, follow=True)


def test_saving_new_instructions_writes_each_approved_venue_once_in_its_language(
    organiser_client, venues, open_call, mails, at_once
):
    response = mails.after(
        lambda: save_call(
            organiser_client,
            open_call,
            instructions=NEW_TEXT,
            instructions_en=NEW_TEXT_EN,
        )
    )

    assert "2 одобренные площадки получат её по почте через несколько минут." in (
        text_of(response)
    )
    by_address = {mail.to[0]: mail for mail in mails}
    assert sorted(by_address) == ["en@example.com", "ru@example.ru"]
    russian, english = by_address["ru@example.ru"], by_address["en@example.com"]
    assert russian.subject == (
        f"Новая инструкция по подключению: {venues['ru'].venue_name}"
    )
    assert NEW_TEXT in russian.body
    assert russian.cc == [venues["ru"].tech_email]
    assert english.subject == (
        f"New connection instructions: {venues['en'].venue_name}"
    )
    assert NEW_TEXT_EN in english.body
    assert english.cc == []
    open_call.refresh_from_db()
    assert open_call.instructions == NEW_TEXT


def test_saving_the_instructions_unchanged_writes_nobody(
    organiser_client, venues, open_call, mails, at_once
):
    response = mails.after(lambda: save_call(organiser_client, open_call))

    assert mails == []
    assert "получат её по почте" not in text_of(response)
    open_call.refresh_from_db()
    assert open_call.instructions_changed_at is None


def test_second_save_without_a_change_writes_nobody_again(
    organiser_client, venues, open_call, mails, mailoutbox, at_once
):
    mails.after(lambda: save_call(organiser_client, open_call, instructions=NEW_TEXT))
    assert len(mails) == 2
    mailoutbox.clear()

    mails.after(lambda: save_call(organiser_client, open_call))

    assert mails == []


def test_several_saves_within_the_pause_send_only_the_last_version(
    organiser_client, venues, open_call, mails, mailoutbox, deferred_tasks
):
    mails.after(lambda: save_call(organiser_client, open_call, instructions="Черновик"))
    mails.after(lambda: save_call(organiser_client, open_call, instructions=NEW_TEXT))
    assert mails == []  # nothing before the pause is over
    assert len(deferred_tasks) == 4

    outcomes = [task.call(*args, **kwargs) for task, args, kwargs in deferred_tasks]

    assert sorted(outcomes) == ["not due", "not due", "sent", "sent"]
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "en@example.com",
        "ru@example.ru",
    ]
    [russian] = [mail for mail in mailoutbox if mail.to == ["ru@example.ru"]]
    assert NEW_TEXT in russian.body
    assert "Черновик" not in russian.body


def test_instructions_task_run_twice_sends_once(venues, open_call, mailoutbox):
    open_call.instructions = "Новый текст"
    services.save_call(open_call)
    version = emails.instructions_version(VenueCall.objects.get())

    first = tasks.send_instructions.call(venues["ru"].pk, version)
    second = tasks.send_instructions.call(venues["ru"].pk, version)

    assert (first, second) == ("sent", "sent")
    assert len(mailoutbox) == 1


def test_a_venue_erased_or_withdrawn_before_the_letter_goes_gets_none(
    organiser_client, venues, open_call, mailoutbox, deferred_tasks
):
    save_call(organiser_client, open_call, instructions=NEW_TEXT)
    services.erase_personal_data(venues["ru"])
    services.withdraw(venues["en"])
    mailoutbox.clear()  # the withdrawal's own letter

    outcomes = [task.call(*args, **kwargs) for task, args, kwargs in deferred_tasks]

    assert outcomes == ["not due", "not due"]
    assert mailoutbox == []


def test_stream_link_change_writes_approved_venues_with_the_link(
    venues, open_call, regional_day, mails, at_once
):
    regional_day.stream_url = "https://stream.example.ru/regional-day"
    regional_day.save()

    written = mails.after(lambda: services.stream_link_changed(regional_day.pk))

    assert written == 2
    assert len(mails) == 2
    assert all("https://stream.example.ru/regional-day" in mail.body for mail in mails)
    open_call.refresh_from_db()
    assert open_call.instructions_changed_at is not None


def test_organiser_setting_the_stream_link_in_admin_writes_approved_venues(
    organiser_client, venues, open_call, regional_day, mails, at_once
):
    from tests.admin_forms import change_form_data

    data = change_form_data(organiser_client, regional_day)
    data["stream_url"] = "https://stream.example.ru/regional-day"

    response = mails.after(
        lambda: organiser_client.post(
            f"/admin/events/event/{regional_day.pk}/change/", data
        )
    )

    assert response.status_code == 302  # a link is no change of time: no preview
    assert sorted(mail.to[0] for mail in mails) == ["en@example.com", "ru@example.ru"]
    assert all("https://stream.example.ru/regional-day" in mail.body for mail in mails)


def test_stream_link_of_another_event_writes_nobody(
    venues, open_call, regional_day, mails, at_once
):
    from tests.factories import EventFactory

    session = EventFactory(edition=open_call.edition, stream_url="https://x.example")

    written = mails.after(lambda: services.stream_link_changed(session.pk))

    assert (written, mails) == (0, [])


def test_venue_page_shows_when_the_instructions_last_changed(
    client, venues, open_call, clock, at_once
):
    clock("2023-11-03T14:05+03:00")
    open_call.instructions = NEW_TEXT
    services.save_call(open_call)

    response = client.get(page_path(venues["ru"]))

    text = text_of(response)
    assert "репетиция 9 ноября в 15:00." in text
    assert "Инструкция обновлена 3 ноября 2023, 14:05 по московскому времени" in text


def test_venue_page_without_a_change_shows_no_date(client, venues, open_call):
    response = client.get(page_path(venues["ru"]))

    assert "Инструкция обновлена" not in text_of(response)


def test_instructions_letter_renders_the_text_and_the_page_link(
    venues, open_call, clock, at_once
):
    clock("2023-11-03T14:05+03:00")
    open_call.instructions = NEW_TEXT
    services.save_call(open_call)

    message = emails.build(
        VenueApplication.objects.get(pk=venues["ru"].pk), emails.INSTRUCTIONS
    )

    html = message.alternatives[0].content
    assert "3 ноября 2023, 14:05 по московскому времени" in message.body
    assert emails.page_url(venues["ru"]) in message.body
    assert "room-7</a>" in html


# A change of the regional day reaches the venues that connect to it.


def test_moving_the_regional_day_writes_each_approved_venue_once(
    organiser_client, venues, open_call, regional_day, mails, settings
):
    from tests.admin_forms import change_form_data

    settings.QUALITYWEEK_CHANGE_LETTER_DELAY_SECONDS = 0
    data = change_form_data(organiser_client, regional_day)
    data["start_1"] = "12:00:00"
    preview = organiser_client.post(
        f"/admin/events/event/{regional_day.pk}/change/", data
    ).content.decode()

    mails.after(
        lambda: organiser_client.post(
            f"/admin/events/event/{regional_day.pk}/change/",
            {**data, "_change_letters": "send"},
        )
    )

    assert "Одобренные региональные площадки: 2" in preview
    letters = {mail.to[0]: mail for mail in mails}
    assert sorted(letters) == ["en@example.com", "ru@example.ru"]
    assert letters["ru@example.ru"].subject == (
        "Изменения: Региональный день форума «Всемирный день качества»"
    )
    assert "12:00–18:00" in letters["ru@example.ru"].body
    assert "10:00–18:00" in letters["ru@example.ru"].body
    assert letters["en@example.com"].subject.startswith("Changed: Regional day")


def test_a_change_of_another_event_writes_no_venue(
    organiser_client, venues, open_call, mails, settings
):
    from tests.admin_forms import change_form_data
    from tests.factories import EventFactory, RegistrationFactory

    settings.QUALITYWEEK_CHANGE_LETTER_DELAY_SECONDS = 0
    session = EventFactory(edition=open_call.edition, takes_registrations=True, seats=5)
    RegistrationFactory(event=session, confirmed=True, email="seat@example.ru")
    data = change_form_data(organiser_client, session)
    data["is_cancelled"] = "on"

    mails.after(
        lambda: organiser_client.post(
            f"/admin/events/event/{session.pk}/change/",
            {**data, "_change_letters": "send"},
        )
    )

    assert [mail.to for mail in mails] == [["seat@example.ru"]]
