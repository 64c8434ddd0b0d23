"""An organiser changes only an event's stream link: those taking part online
get one letter with the new link per change, nobody else is written to."""

import pytest
from django.core import mail

from events.models import Event
from registrations import tasks
from registrations.models import Registration
from registrations.services.changes import stream_letter_key
from tests.admin_forms import change_form_data
from tests.factories import EventFactory, RegistrationFactory, VenueFactory, moscow
from tests.registrations.test_views import SITE

OLD = "https://stream.example.ru/old"
NEW = "https://stream.example.ru/new"
NEWER = "https://stream.example.ru/newer"

# Locks and the change machinery: both databases.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.QUALITYWEEK_SITE_URL = SITE


@pytest.fixture
def at_once(settings):
    """Letters fall due at once (the delay has its own test)."""
    settings.QUALITYWEEK_CHANGE_LETTER_DELAY_SECONDS = 0


@pytest.fixture
def plenary(regional_day):
    return EventFactory(
        edition=regional_day.edition,
        slug="plenary",
        title="Пленарное заседание",
        title_en="Plenary session",
        format=Event.Format.HYBRID,
        venue=VenueFactory(),
        stream_url=OLD,
        start=moscow(2023, 11, 8, 10),
        end=moscow(2023, 11, 8, 12),
        takes_registrations=True,
        seats=10,
        consent_text=regional_day.consent_text,
    )


@pytest.fixture
def people(plenary):
    """Two taking part online, one with a seat, one online not yet confirmed and
    one who gave up."""
    return {
        "olga": RegistrationFactory(
            event=plenary, mode="online", status="online", email="olga@example.ru"
        ),
        "john": RegistrationFactory(
            event=plenary,
            mode="online",
            status="online",
            email="john@example.com",
            name="John",
            patronymic="",
            language="en",
        ),
        "seat": RegistrationFactory(
            event=plenary, confirmed=True, email="seat@example.ru"
        ),
        "pending": RegistrationFactory(
            event=plenary, mode="online", email="pending@example.ru"
        ),
        "gone": RegistrationFactory(
            event=plenary, mode="online", cancelled=True, email="gone@example.ru"
        ),
    }


@pytest.fixture
def save_link(organiser_client, committed):
    """Post the event's admin form with this stream link, as an organiser, and
    run what it queues; the response."""

    def post(event, link):
        data = {**change_form_data(organiser_client, event), "stream_url": link}
        with committed():
            return organiser_client.post(
                f"/admin/events/event/{event.pk}/change/", data
            )

    return post


def test_a_new_stream_link_goes_once_to_each_person_taking_part_online(
    plenary, people, save_link, at_once
):
    response = save_link(plenary, NEW)

    assert response.status_code == 302  # saved at once: nothing to ask
    assert sorted(letter.to[0] for letter in mail.outbox) == [
        "john@example.com",
        "olga@example.ru",
    ]
    letters = {letter.to[0]: letter for letter in mail.outbox}
    olga, john = letters["olga@example.ru"], letters["john@example.com"]
    assert olga.subject == "Новая ссылка на трансляцию: Пленарное заседание"
    assert f"Смотреть трансляцию: {NEW}" in olga.body
    assert NEW in olga.alternatives[0][0]
    assert OLD not in olga.body
    assert john.subject == "A new stream link: Plenary session"
    assert f"Watch the broadcast: {NEW}" in john.body


def test_saving_again_without_a_change_of_the_link_writes_nothing_more(
    plenary, people, save_link, at_once
):
    save_link(plenary, NEW)
    plenary.refresh_from_db()

    save_link(plenary, NEW)

    assert len(mail.outbox) == 2


def test_a_second_change_of_the_link_writes_one_more_letter_each(
    plenary, people, save_link, at_once
):
    save_link(plenary, NEW)
    plenary.refresh_from_db()

    save_link(plenary, NEWER)

    olga = [letter for letter in mail.outbox if letter.to == ["olga@example.ru"]]
    assert len(mail.outbox) == 4
    assert [NEW in olga[0].body, NEWER in olga[1].body] == [True, True]


def test_a_change_of_wording_beside_the_link_writes_to_nobody(
    organiser_client, plenary, people, committed, at_once
):
    data = change_form_data(organiser_client, plenary)
    data["description"] = "Новое описание"

    with committed():
        organiser_client.post(f"/admin/events/event/{plenary.pk}/change/", data)

    assert mail.outbox == []


def test_removing_the_link_writes_to_nobody(plenary, people, save_link, at_once):
    save_link(plenary, "")

    assert mail.outbox == []


def test_the_link_of_a_cancelled_or_past_event_writes_to_nobody(
    plenary, people, save_link, at_once, clock
):
    Event.objects.filter(pk=plenary.pk).update(is_cancelled=True)
    save_link(plenary, NEW)
    Event.objects.filter(pk=plenary.pk).update(is_cancelled=False)
    plenary.refresh_from_db()
    clock("2023-11-08T12:30+03:00")

    save_link(plenary, NEWER)

    assert mail.outbox == []


def test_edits_of_the_link_within_the_delay_make_one_letter_with_the_last(
    plenary,
    people,
    save_link,
    settings,
    deferred_tasks,
    django_capture_on_commit_callbacks,
):
    settings.QUALITYWEEK_CHANGE_LETTER_DELAY_SECONDS = 600
    save_link(plenary, NEW)
    plenary.refresh_from_db()
    save_link(plenary, NEWER)
    assert mail.outbox == []  # they wait

    with django_capture_on_commit_callbacks(execute=True):
        for task, args, kwargs in list(deferred_tasks):
            task.func(*args, **kwargs)

    assert len(deferred_tasks) == 4
    assert sorted(letter.to[0] for letter in mail.outbox) == [
        "john@example.com",
        "olga@example.ru",
    ]
    assert all(NEWER in letter.body for letter in mail.outbox)


def test_stream_letter_task_run_twice_sends_one_letter(plenary, people, committed):
    Event.objects.filter(pk=plenary.pk).update(stream_url=NEW)
    olga = people["olga"]
    key = stream_letter_key(olga.pk, NEW, "2023-11-01T10:00:00+00:00")

    with committed():
        for _ in range(2):
            tasks.send_mail.call(
                olga.pk, Registration.Mail.STREAM_CHANGED, letter=key, link=NEW
            )

    assert [letter.to for letter in mail.outbox] == [["olga@example.ru"]]


def test_a_new_link_of_the_regional_day_reaches_those_online_not_the_seats(
    regional_day, save_link, at_once
):
    RegistrationFactory(
        event=regional_day, mode="online", status="online", email="online@ex.ru"
    )
    RegistrationFactory(event=regional_day, confirmed=True, email="seat@ex.ru")

    save_link(regional_day, NEW)

    assert [letter.to for letter in mail.outbox] == [["online@ex.ru"]]
