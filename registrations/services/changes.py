"""What an organiser's change of an event does to the people registered for it.

`events.changes` calls `SeatHolders` (registered in `RegistrationsConfig.ready()`)
inside the event-save transaction, with the event's row locked: more seats go to
the waiting list at once, and a new stream link goes to those taking part online;
and once the change's notice falls due, everyone who holds a seat or waits for
one gets one letter about it.
"""

import datetime
import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from events import changes
from events.models import Event
from qualityweek import clock
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


def stream_letter_key(registration_pk: int, stream_url: str, moment: str) -> str:
    """The one letter key of a person's letter about one change of the link:
    however often its task runs, the mail machinery (SentLetter) sends it once."""
    name = f"stream-link:{registration_pk}:{moment}:{stream_url}"
    return uuid.uuid5(uuid.NAMESPACE_URL, name).hex


def write_stream_letters(event: Event) -> int:
    """The event's stream link changed: queue one letter with the new link to
    each person taking part online (no one else: the hall's people are told of
    what the change letters tell); how many. The letters wait as change letters
    do, and one whose link is no longer the event's when it falls due is not
    sent: the edits of those minutes make one letter with the last link."""
    if (
        not event.stream_url
        or not event.is_published
        or event.is_cancelled
        or event.end <= clock.now()
    ):
        return 0  # a link removed, or nobody to watch it: no letter
    people = list(
        told(event)
        .filter(status=Registration.Status.ONLINE)
        .values_list("pk", flat=True)
    )
    moment = timezone.now().isoformat()
    delay = settings.QUALITYWEEK_CHANGE_LETTER_DELAY_SECONDS
    task = tasks.send_mail
    if delay:
        # The queue runs on real time, whatever the site clock says.
        task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    for pk in people:
        task.enqueue(
            pk,
            Registration.Mail.STREAM_CHANGED,
            letter=stream_letter_key(pk, event.stream_url, moment),
            link=event.stream_url,
        )
    logger.info("Event %s: stream link changed, %s letters", event.pk, len(people))
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
        if change.changed("stream_url"):
            write_stream_letters(event)

    def announce(self, event: Event, change: changes.Change, *, notice: int) -> int:
        return write_change_letters(event, notice=notice)
