"""What organisers change about an event, and who hears of it.

The programme does not know who holds a seat or waits for one: each feature that
keeps people for an event registers a `Listener` from its `AppConfig.ready()`.
`services.save_event()` calls every listener inside its transaction, with the
event's row locked, and the admin asks them how many people a change would reach
and what they would read, before the organiser saves.
"""

import dataclasses
import datetime
from typing import Protocol

from django.utils.translation import gettext, pgettext

from .models import Event, Venue

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
# and venues hear of a new stream link.
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
        """The letter one of them would get, for the organiser to read:
        `subject`, `html`, `text`, in the active language; None if none."""

    def changed(self, event: Event, change: Change, *, notify: bool) -> None:
        """Act on a saved change, in its transaction, with the event locked."""


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
    """Tell every listener of a saved change (the caller holds the row lock)."""
    for listener in _listeners:
        listener.changed(event, change, notify=notify)
