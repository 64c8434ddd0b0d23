import threading

import pytest
from django.db import connection

from events import services
from events.models import Event
from tests.factories import EventFactory, VenueFactory, moscow

pytestmark = pytest.mark.django_db


def sequence_of(event: Event) -> int:
    return Event.objects.values_list("sequence", flat=True).get(pk=event.pk)


def test_save_event_new_event_starts_at_sequence_zero(edition_2023):
    event = EventFactory.build(edition=edition_2023)

    services.save_event(event)

    assert sequence_of(event) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("start", moscow(2023, 11, 9, 9)),
        ("end", moscow(2023, 11, 9, 13)),
        ("format", Event.Format.HYBRID),
        ("is_cancelled", True),
        ("is_published", False),
    ],
)
def test_save_event_when_time_or_status_changes_raises_sequence(
    edition_2023, field, value
):
    event = EventFactory(edition=edition_2023)
    setattr(event, field, value)

    services.save_event(event)

    assert (event.sequence, sequence_of(event)) == (1, 1)


def test_save_event_when_venue_changes_raises_sequence(edition_2023):
    event = EventFactory(edition=edition_2023, in_person=True)
    event.venue = VenueFactory()

    services.save_event(event)

    assert sequence_of(event) == 1


def test_save_event_when_only_texts_change_keeps_sequence(edition_2023):
    event = EventFactory(edition=edition_2023)
    event.title = "Новое название"
    event.description = "Новое описание"
    event.start = moscow(2023, 11, 9, 10)  # the same moment, written anew

    services.save_event(event)

    assert sequence_of(event) == 0
    assert Event.objects.get(pk=event.pk).title == "Новое название"


def test_save_event_never_writes_back_a_stale_sequence(edition_2023):
    event = EventFactory(edition=edition_2023)
    stale = Event.objects.get(pk=event.pk)
    Event.objects.filter(pk=event.pk).update(sequence=5)  # saved by someone else
    stale.start = moscow(2023, 11, 9, 11)

    services.save_event(stale)

    assert sequence_of(event) == 6


def test_save_event_keeps_fields_that_services_maintain(edition_2023):
    event = EventFactory(edition=edition_2023)
    stale = Event.objects.get(pk=event.pk)
    Event.objects.filter(pk=event.pk).update(sequence=2)
    stale.title = "Поменяли только название"

    services.save_event(stale)

    assert sequence_of(event) == 2


def test_set_published_raises_sequence_of_events_that_change_only(edition_2023):
    draft = EventFactory(edition=edition_2023, unpublished=True)
    published = EventFactory(edition=edition_2023)

    count = services.set_published(Event.objects.all(), True)

    assert count == 1
    assert (sequence_of(draft), sequence_of(published)) == (1, 0)


def test_set_published_withdrawing_raises_sequence(edition_2023):
    event = EventFactory(edition=edition_2023)

    services.set_published(Event.objects.filter(pk=event.pk), False)

    assert sequence_of(event) == 1


def test_save_venue_when_address_changes_raises_sequence_of_its_events(
    edition_2023,
):
    event = EventFactory(edition=edition_2023, in_person=True)
    other = EventFactory(edition=edition_2023, in_person=True)
    event.venue.address = "Москва, проспект Мира, 120"

    services.save_venue(event.venue)

    assert (sequence_of(event), sequence_of(other)) == (1, 0)


def test_save_venue_when_only_directions_change_keeps_sequence(edition_2023):
    event = EventFactory(edition=edition_2023, in_person=True)
    venue = event.venue
    venue.directions = "От метро ВДНХ пешком"
    venue.latitude = "55.8263"  # the same position, written differently

    services.save_venue(venue)

    assert sequence_of(event) == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_save_event_concurrent_time_changes_each_raise_sequence(edition_2023):
    event = EventFactory(edition=edition_2023)
    copies = [Event.objects.get(pk=event.pk) for _ in range(4)]
    barrier = threading.Barrier(len(copies))
    errors = []

    def save(copy, hour):
        try:
            copy.start = moscow(2023, 11, 9, hour)
            barrier.wait()
            services.save_event(copy)
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()  # each thread has its own

    threads = [
        threading.Thread(target=save, args=(copy, 6 + n))
        for n, copy in enumerate(copies)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sequence_of(event) == 4
