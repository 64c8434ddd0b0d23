"""Seats are never overbooked under simultaneous confirmations and cancellations.

Every confirmation has its own thread and its own database connection, as separate
server processes would, all released at once by a barrier. PostgreSQL allows 100
connections on this machine, so `make test` runs its pass with psycopg's pool
(QUALITYWEEK_DB_POOL): 200 threads, at most that many connections at a time, the
others queueing for one.
"""

import threading

import pytest
from django.db import connections

from events.models import Event
from registrations import services
from registrations.models import Registration
from registrations.services.seats import SEAT_FIELDS
from tests.factories import RegistrationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _letters_queued_not_sent(settings, _tasks_run_on_commit):
    """The race is about seats: the letters each change queues are recorded, not
    built and sent in the racing threads, whose extra writes (the sent-letter
    records) would only make SQLite's one write lock the bottleneck of a busy
    machine."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }


@pytest.fixture(autouse=True)
def _sqlite_waits_for_the_crowd():
    """SQLite lets one writer in at a time: on a busy machine 200 threads can
    queue longer than the site's 20 s for the lock and fail "database is locked"
    (the visitor's "try again" page). The race is about the seats, not the wait:
    the threads' own connections (made from these settings) wait up to 5 minutes."""
    database = connections.settings["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        yield
        return
    options = database.setdefault("OPTIONS", {})
    before = options.get("timeout")
    options["timeout"] = 300
    yield
    options["timeout"] = before


SEATS = 50
THREADS = 200
CONFIRMATIONS = 200


def run_at_once(jobs: list[list]) -> list[Exception]:
    """Run each list of calls in its own thread, all starting together."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def work(calls):
        try:
            barrier.wait()
            for call in calls:
                call()
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(calls,)) for calls in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def confirmations(registrations) -> list[list]:
    return [
        [
            (lambda r=registration: services.confirm(r))
            for registration in registrations[n::THREADS]
        ]
        for n in range(THREADS)
    ]


@pytest.fixture
def crowd(regional_day):
    Event.objects.filter(pk=regional_day.pk).update(seats=SEATS)
    return RegistrationFactory.create_batch(CONFIRMATIONS, event=regional_day)


def test_confirm_by_200_at_once_gives_exactly_the_seats(regional_day, crowd):
    errors = run_at_once(confirmations(crowd))

    assert errors == []
    registrations = Registration.objects.filter(event=regional_day)
    assert registrations.confirmed().count() == SEATS
    assert registrations.waiting().count() == CONFIRMATIONS - SEATS
    assert registrations.pending().count() == 0
    regional_day.refresh_from_db()
    assert regional_day.seats_taken == SEATS


# SQLite begins every write transaction IMMEDIATE, taking its one write lock; no
# hook can switch that off, so there it cannot oversell: PostgreSQL runs only.
@pytest.mark.postgres_only
def test_confirm_without_the_lock_oversells(regional_day, crowd, monkeypatch):
    """Proof that the test above can catch a race: a racy version of the seat
    code, written here (the event read without its lock, the counter written
    from that read), oversells under the same crowd."""

    def read_without_lock(event_id):
        return Event.objects.only(*SEAT_FIELDS).get(pk=event_id)

    def count_from_the_read(event):
        Event.objects.filter(pk=event.pk).update(seats_taken=event.seats_taken + 1)
        event.seats_taken += 1

    monkeypatch.setattr(services.seats, "_lock_event", read_without_lock)
    monkeypatch.setattr(services.seats, "_take_seat", count_from_the_read)

    errors = run_at_once(confirmations(crowd))

    assert errors == []
    confirmed = Registration.objects.filter(event=regional_day).confirmed().count()
    assert confirmed > SEATS


def test_confirm_and_cancel_at_once_never_exceed_seats_and_serve_in_order(
    regional_day,
):
    Event.objects.filter(pk=regional_day.pk).update(seats=SEATS)
    holders = RegistrationFactory.create_batch(SEATS, event=regional_day)
    for registration in holders:
        services.confirm(registration)
    waiting = RegistrationFactory.create_batch(SEATS, event=regional_day)
    for registration in waiting:
        services.confirm(registration)  # in this order onto the waiting list
    newcomers = RegistrationFactory.create_batch(
        CONFIRMATIONS - SEATS, event=regional_day
    )
    leaving = holders[: SEATS // 2]
    calls = [(lambda r=r: services.confirm(r)) for r in newcomers] + [
        (lambda r=r: services.cancel(r)) for r in leaving
    ]
    seen = []
    watching = threading.Event()

    def watch():
        while not watching.is_set():
            seen.append(
                Registration.objects.filter(event=regional_day).confirmed().count()
            )
        connections.close_all()

    watcher = threading.Thread(target=watch)
    watcher.start()
    errors = run_at_once([calls[n::THREADS] for n in range(THREADS)])
    watching.set()
    watcher.join()

    assert errors == []
    assert max(seen) <= SEATS
    registrations = Registration.objects.filter(event=regional_day)
    assert registrations.confirmed().count() == SEATS
    # The cancelled seats went to the first in line, in their order.
    promoted = registrations.confirmed().filter(pk__in=[r.pk for r in waiting])
    assert sorted(promoted.values_list("pk", flat=True)) == [
        r.pk for r in waiting[: len(leaving)]
    ]
    regional_day.refresh_from_db()
    assert regional_day.seats_taken == SEATS
