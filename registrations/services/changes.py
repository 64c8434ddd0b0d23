"""What an organiser's change of an event does to the people registered for it.

`events.services.save_event()` calls `SeatHolders.changed()` (registered in
`RegistrationsConfig.ready()`) inside its transaction, with the event's row
locked: more seats go to the waiting list at once, and a change of time, place,
format or status is owed as one letter to everyone who holds a seat or waits.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from events import changes
from events.models import Event
from qualityweek import mail as site_mail

from .. import tasks
from ..models import ChangeNotice, Registration
from .seats import _lock_event, _promote

logger = logging.getLogger(__name__)

# Who hears of a change: those with a seat and those in line for one.
TOLD_STATUSES = (Registration.Status.CONFIRMED, Registration.Status.WAITING)


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


def queue_change_letter(event: Event, change: changes.Change) -> ChangeNotice:
    """Owe the event's seat holders one letter about the change: the first edit
    opens a notice that falls due after a short delay, later ones join it."""
    with transaction.atomic():
        notice = (
            ChangeNotice.objects.select_for_update()
            .filter(event_id=event.pk, sent_at__isnull=True)
            .first()
        )
        if notice is not None:
            return notice  # it keeps the state people knew before the first edit
        delay = datetime.timedelta(
            seconds=settings.QUALITYWEEK_CHANGE_LETTER_DELAY_SECONDS
        )
        notice = ChangeNotice.objects.create(
            event_id=event.pk, before=change.before, due_at=timezone.now() + delay
        )
        task = tasks.send_change_letters
        if delay:
            task = task.using(run_after=notice.due_at)
        task.enqueue(notice.pk)
        logger.info("Event %s: change letter %s due", event.pk, notice.pk)
    return notice


def send_change_letters(notice_pk: int) -> int:
    """Queue the letters a due notice owes; how many. Safe to run twice."""
    with transaction.atomic():
        notice = (
            ChangeNotice.objects.select_for_update()
            .filter(pk=notice_pk, sent_at__isnull=True)
            .first()
        )
        if notice is None:
            return 0  # sent already
        # The seat lock: nobody takes or gives up a seat while the list is read.
        event = _lock_event(notice.event_id)
        event = Event.objects.get(pk=event.pk)
        notice.after = changes.snapshot(event)
        notice.sent_at = timezone.now()
        change = changes.Change(before=notice.before, after=notice.after)
        people = list(told(event).values_list("pk", flat=True)) if change.told else []
        notice.recipients = len(people)
        notice.save(update_fields=["after", "sent_at", "recipients"])
        for pk in people:
            tasks.send_mail.enqueue(
                pk,
                Registration.Mail.CHANGED,
                letter=site_mail.new_key(),
                notice=notice.pk,
            )
    logger.info("Change letter %s: %s letters queued", notice_pk, len(people))
    return len(people)


class SeatHolders:
    """The registrations' side of a change of an event (events.changes)."""

    def audience(self, event: Event) -> int:
        return told(event).count()

    def preview(self, event: Event, change: changes.Change) -> dict:
        from .. import emails

        return emails.change_preview(event, change)

    def changed(self, event: Event, change: changes.Change, *, notify: bool) -> None:
        if change.seats_added:
            fill_free_seats(event)
        if notify and change.told and told(event).exists():
            queue_change_letter(event, change)
