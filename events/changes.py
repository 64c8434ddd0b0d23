"""What organisers change about an event, and who hears of it.

The programme does not know who holds a seat, waits for one or connects to an
event: each feature that keeps people for events registers a `Listener` from its
`AppConfig.ready()`. `services.save_event()` calls `saved()` inside its
transaction, with the event's row locked: every listener acts on the change at
once (more seats go to the waiting list), and a change of time, place, format or
status opens a `ChangeNotice` that falls due a few minutes later; then each
listener writes its people one letter about it. The admin asks the listeners,
before the organiser saves, how many people a change would reach and what they
would read.
"""

import dataclasses
import datetime
import logging
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from .models import ChangeNotice, Event, Venue

logger = logging.getLogger(__name__)

# What people who hold a seat or a place in line are told of: the event's time,
# place, format and status. A typo in its description is not worth a letter.
TOLD_FIELDS = (
    "start",
    "end",
    "is_date_confirmed",
    "is_time_confirmed",
    "venue",
    "place_to_be_announced",
    "format",
    "is_cancelled",
)
# What else a listener may act on: more seats go to the waiting list at once,
# and venues and those taking part online hear of a new stream link.
WATCHED_FIELDS = (*TOLD_FIELDS, "seats", "is_published", "stream_url")


def snapshot(event: Event) -> dict:
    """The event's told and watched fields as JSON values, to keep and compare."""
    data = {}
    for name in WATCHED_FIELDS:
        field = Event._meta.get_field(name)
        value = getattr(event, field.attname)
        if isinstance(value, datetime.datetime):
            value = value.astimezone(datetime.UTC).isoformat()
        data[name] = value
    return data


def snapshot_of_row(row: dict) -> dict:
    """The snapshot of a `values()` row read with `Event` attnames."""
    return snapshot(Event(**row))


def _complete(data: dict) -> dict:
    """A snapshot with every watched field: one kept before a field was watched
    reads as that field's default."""
    defaults = {
        name: Event._meta.get_field(name).get_default() for name in WATCHED_FIELDS
    }
    return {**defaults, **data}


@dataclasses.dataclass(frozen=True)
class Change:
    """The difference between two snapshots of one event."""

    before: dict
    after: dict

    def __post_init__(self):
        object.__setattr__(self, "before", _complete(self.before))
        object.__setattr__(self, "after", _complete(self.after))

    def changed(self, name: str) -> bool:
        return self.before.get(name) != self.after.get(name)

    @property
    def told(self) -> list[str]:
        """The told fields that differ, in the order people read them."""
        return [name for name in TOLD_FIELDS if self.changed(name)]

    @property
    def cancelled(self) -> bool:
        return not self.before["is_cancelled"] and self.after["is_cancelled"]

    @property
    def reinstated(self) -> bool:
        return self.before["is_cancelled"] and not self.after["is_cancelled"]

    @property
    def time_confirmed_only(self) -> bool:
        """The time people had is now certain, and nothing else changed."""
        confirmed = ("is_date_confirmed", "is_time_confirmed")
        return bool(self.told) and all(
            name in confirmed and self.after[name] for name in self.told
        )

    @property
    def seats_added(self) -> int:
        return max((self.after["seats"] or 0) - (self.before["seats"] or 0), 0)

    def lines(self) -> list["ChangedLine"]:
        """What changed, before and after, in the active language."""
        return describe(self.before, self.after)


def subject(event: Event, change: Change) -> str:
    """A change letter's subject, in the active language: what happened first."""
    title = {"event": event.title_i18n}
    if change.cancelled:
        return gettext("Cancelled: %(event)s") % title
    if change.reinstated:
        return gettext("Back on the programme: %(event)s") % title
    if change.time_confirmed_only:
        return gettext("Time confirmed: %(event)s") % title
    return gettext("Changed: %(event)s") % title


def letter_context(change: Change) -> dict:
    """What every change letter says happened (events/includes/change_lines.*)."""
    return {
        "change": change,
        "change_lines": change.lines(),
        "calendar_method": "CANCEL" if change.after["is_cancelled"] else "REQUEST",
    }


@dataclasses.dataclass(frozen=True)
class ChangedLine:
    label: str
    before: str
    after: str


def _event_of(data: dict) -> Event:
    """An unsaved event holding a snapshot's values, for the filters that
    format an event's time and place."""
    values = {
        name: datetime.datetime.fromisoformat(data[name])
        if name in ("start", "end")
        else data[name]
        for name in TOLD_FIELDS
        if name != "venue"
    }
    return Event(venue_id=data["venue"], **values)


def describe(before: dict, after: dict) -> list[ChangedLine]:
    """Lines of «what: before → after» in the active language, Moscow time."""
    # The events tags format time as every page does (imported here, not at the
    # top: the template library imports ics, which imports the models).
    from .templatetags.events_tags import event_when

    old, new = _event_of(before), _event_of(after)
    lines = []
    if before["is_cancelled"] != after["is_cancelled"]:
        lines.append(
            ChangedLine(
                gettext("Status"),
                _status_text(before["is_cancelled"]),
                _status_text(after["is_cancelled"]),
            )
        )
    if any(
        before[name] != after[name]
        for name in ("start", "end", "is_date_confirmed", "is_time_confirmed")
    ):
        lines.append(
            ChangedLine(gettext("When, Moscow time"), event_when(old), event_when(new))
        )
    if any(before[name] != after[name] for name in ("venue", "place_to_be_announced")):
        venues = Venue.objects.in_bulk(
            [pk for pk in (before["venue"], after["venue"]) if pk]
        )
        lines.append(
            ChangedLine(
                gettext("Where"),
                _place_text(old, venues.get(before["venue"])),
                _place_text(new, venues.get(after["venue"])),
            )
        )
    if before["format"] != after["format"]:
        lines.append(
            ChangedLine(
                gettext("Format"),
                str(old.get_format_display()),
                str(new.get_format_display()),
            )
        )
    return lines


def _status_text(cancelled: bool) -> str:
    if cancelled:
        return pgettext("event status", "cancelled")
    return pgettext("event status", "takes place")


def _place_text(event: Event, venue: Venue | None) -> str:
    if venue is not None:
        return ", ".join(part for part in (venue.name_i18n, venue.address_i18n) if part)
    if event.place_to_be_announced:
        return gettext("the place will be announced")
    if event.format == Event.Format.ONLINE:
        return str(pgettext("event format", "Online"))
    return gettext("not given")


class Listener(Protocol):
    """A feature that keeps people for events and tells them of changes."""

    def audience(self, event: Event) -> int:
        """How many people a change of this event would be written to."""

    def preview(self, event: Event, change: Change) -> dict | None:
        """The letter its people would get, for the organiser to read: `who`
        they are, their `count`, and `subject`, `html`, `text` in the active
        language; None if it writes to nobody."""

    def changed(self, event: Event, change: Change) -> None:
        """Act on a saved change at once, in its transaction, the event locked."""

    def announce(self, event: Event, change: Change, *, notice: int) -> int:
        """Queue the letters about a change that has fallen due; how many."""


_listeners: list[Listener] = []


def register(listener: Listener) -> None:
    """Called from a feature's AppConfig.ready()."""
    # One of each kind: a second ready() (tests reload apps) adds nothing.
    if not any(type(known) is type(listener) for known in _listeners):
        _listeners.append(listener)


def listeners() -> list[Listener]:
    return list(_listeners)


def audience(event: Event) -> int:
    """How many people in all a change of the event would be written to."""
    if event.pk is None:
        return 0
    return sum(listener.audience(event) for listener in _listeners)


def previews(event: Event, change: Change) -> list[dict]:
    """The letters the change would send, one per listener that writes one."""
    letters = [listener.preview(event, change) for listener in _listeners]
    return [letter for letter in letters if letter]


def saved(event: Event, change: Change, *, notify: bool) -> None:
    """A change has been saved (the caller holds the event's row lock): every
    listener acts on it, and a told change is owed as a letter unless the
    organiser chose to write to nobody."""
    for listener in _listeners:
        listener.changed(event, change)
    if notify and change.told and audience(event):
        owe_letter(event, change)


def owe_letter(event: Event, change: Change) -> ChangeNotice:
    """Open the event's notice, due after a short delay, or join the open one:
    it keeps the state people knew before the first edit."""
    from . import tasks

    with transaction.atomic():
        notice = (
            ChangeNotice.objects.select_for_update()
            .filter(event_id=event.pk, sent_at__isnull=True)
            .first()
        )
        if notice is not None:
            return notice
        delay = datetime.timedelta(
            seconds=settings.QUALITYWEEK_CHANGE_LETTER_DELAY_SECONDS
        )
        notice = ChangeNotice.objects.create(
            event_id=event.pk, before=change.before, due_at=timezone.now() + delay
        )
        task = tasks.announce_change
        if delay:
            task = task.using(run_after=notice.due_at)
        task.enqueue(notice.pk)
        logger.info("Event %s: change letter %s due", event.pk, notice.pk)
    return notice


def announce(notice_pk: int) -> int:
    """The notice has fallen due: each listener queues its letters, from the
    state people knew to the event as it is now. How many; safe to run twice."""
    with transaction.atomic():
        notice = (
            ChangeNotice.objects.select_for_update()
            .filter(pk=notice_pk, sent_at__isnull=True)
            .first()
        )
        if notice is None:
            return 0  # sent already
        # The event's row lock, which seat changes queue on: nobody takes or
        # gives up a seat while the listeners read who to write to.
        event = Event.objects.select_for_update().get(pk=notice.event_id)
        notice.after = snapshot(event)
        notice.sent_at = timezone.now()
        change = Change(before=notice.before, after=notice.after)
        count = 0
        if change.told:
            for listener in _listeners:
                count += listener.announce(event, change, notice=notice.pk)
        notice.recipients = count
        notice.save(update_fields=["after", "sent_at", "recipients"])
    logger.info("Change letter %s: %s letters queued", notice_pk, count)
    return count


def notice_change(notice_pk: int | None) -> Change | None:
    """The change a sent notice tells of, for the letters that name it."""
    notice = ChangeNotice.objects.filter(pk=notice_pk, after__isnull=False).first()
    return None if notice is None else Change(before=notice.before, after=notice.after)
