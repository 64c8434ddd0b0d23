"""What an organiser's change of an event does to the people registered for it.

`events.changes` calls `SeatHolders` (registered in `RegistrationsConfig.ready()`)
inside the event-save transaction, with the event's row locked: more seats go to
the waiting list at once; and once the change's notice falls due, everyone who
holds a seat or waits for one gets one letter about it.
"""

import logging

from django.db import transaction
from django.utils.translation import gettext

from events import changes
from events.models import Event
from qualityweek import mail as site_mail

from .. import tasks
from ..models import Registration
from .seats import _lock_event, _promote

logger = logging.getLogger(__name__)

# Who hears of a change: those with a seat, those in line for one, and those
# taking part online.
TOLD_STATUSES = (
    Registration.Status.CONFIRMED,
    Registration.Status.WAITING,
    Registration.Status.ONLINE,
)


def told(event: Event):
    """The registrations a change of the event is written to."""
    return Registration.objects.filter(
        event_id=event.pk, status__in=TOLD_STATUSES, erased_at__isnull=True
    )


def fill_free_seats(event: Event) -> list[Registration]:
    """Give every free seat to the waiting list, in its order, before anyone new
    can take one; each person promoted gets the seat letter."""
    promoted = []
    with transaction.atomic():
        locked = _lock_event(event.pk)
        while (registration := _promote(locked)) is not None:
            promoted.append(registration)
    return promoted


def write_change_letters(event: Event, *, notice: int) -> int:
    """Queue one letter about the notice's change to each seat holder, each
    person in line and each taking part online; how many."""
    people = list(told(event).values_list("pk", flat=True))
    for pk in people:
        tasks.send_mail.enqueue(
            pk, Registration.Mail.CHANGED, letter=site_mail.new_key(), notice=notice
        )
    return len(people)


class SeatHolders:
    """The registrations' side of a change of an event (events.changes)."""

    def audience(self, event: Event) -> int:
        return told(event).count()

    def preview(self, event: Event, change: changes.Change) -> dict | None:
        from .. import emails

        count = self.audience(event)
        if not count:
            return None
        return {
            "who": gettext("People with a seat, on the waiting list or online")
            if told(event).online().exists()
            else gettext("People with a seat or on the waiting list"),
            "count": count,
            **emails.change_preview(event, change),
        }

    def changed(self, event: Event, change: changes.Change) -> None:
        if change.seats_added:
            fill_free_seats(event)

    def announce(self, event: Event, change: changes.Change, *, notice: int) -> int:
        return write_change_letters(event, notice=notice)
