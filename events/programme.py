"""The published programme of an edition, filtered and laid out by day."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from . import search
from .models import Edition, Event


@dataclass
class Day:
    date: datetime.date
    is_quality_day: bool
    events: list = field(default_factory=list)  # (event, continues_from_earlier_day)
    in_schedule: int = 0  # on the home page: all that the schedule shows that day


def filtered_events(edition: Edition, filters: dict) -> list:
    """Published events and approved activations of the edition that pass every
    filter, in time order; with a text, the best matches first."""
    from activations import search as activation_search
    from activations.models import PROGRAMME_KIND

    kind = filters.get("kind")
    activations = []
    if not kind or kind == PROGRAMME_KIND:
        activations = activation_search.filtered(
            edition, {**filters, "kind": None, "q": None}
        )
    if kind == PROGRAMME_KIND:
        return search_both(activations, filters.get("q"))
    events = Event.objects.published().of_edition(edition).for_schedule()
    if filters.get("day"):
        events = events.during_day(filters["day"])
    if filters.get("kind"):
        events = events.of_kind(filters["kind"])
    if filters.get("format"):
        events = events.in_format(filters["format"])
    if filters.get("region"):
        events = events.in_region(filters["region"])
    entries = sorted(
        [*events, *activations], key=lambda entry: (entry.start, entry.end, entry.title)
    )
    return search_both(entries, filters.get("q"))


def search_both(entries: list, query: str | None) -> list:
    """Events and activations that match the text, best first (see `search`)."""
    from activations import search as activation_search

    if not query:
        return entries
    return search.ranked(
        entries,
        query,
        lambda entry: (
            activation_search.activation_texts(entry)
            if getattr(entry, "is_activation", False)
            else search.event_texts(entry)
        ),
    )


def by_day(
    edition: Edition, events: list[Event], *, only_day=None, keep_empty=False
) -> list[Day]:
    """The days of the week with their events; a multi-day event shows on each day."""
    days = {
        date: Day(date, date == edition.quality_day)
        for date in edition.days()
        if only_day is None or date == only_day
    }
    for event in events:
        date = event.day
        while date <= event.last_day:
            if date in days:
                days[date].events.append((event, date != event.day))
            date += datetime.timedelta(days=1)
    return [day for day in days.values() if day.events or keep_empty]


def entries_by_day(edition: Edition) -> dict[datetime.date, int]:
    """How many events and activations the schedule shows on each day of the week."""
    from activations.models import Activation

    entries = [
        *Event.objects.published().of_edition(edition).only("start", "end"),
        *Activation.objects.approved()
        .of_edition(edition)
        .only("first_day", "last_day"),
    ]
    return {day.date: len(day.events) for day in by_day(edition, entries)}


# What is on now and next, during the week.

NEXT_SHOWN = 3


@dataclass
class NowAndNext:
    moment: datetime.datetime
    today: datetime.date  # the moment's Moscow date
    now: list = field(default_factory=list)
    ongoing: list = field(default_factory=list)  # of several days, or whole days
    next: list = field(default_factory=list)


def _week_events(edition: Edition) -> list[Event]:
    """The edition's published, not cancelled events, in time order."""
    return list(
        Event.objects.published()
        .of_edition(edition)
        .filter(is_cancelled=False)
        .select_related("venue", "parent")
        .order_by("start", "end", "title")
    )


def _is_timed(event: Event) -> bool:
    """Held within one day at set times: what can be "on now". A forum of three
    days is on for days; its sessions say what is happening."""
    return not event.spans_whole_days and not event.is_multi_day


def moments(edition: Edition) -> list[datetime.datetime]:
    """Every moment at which what is on changes: the events' starts and ends."""
    return sorted(
        {
            moment
            for event in _week_events(edition)
            for moment in (event.start, event.end)
        }
    )


def now_and_next(edition: Edition, moment: datetime.datetime) -> NowAndNext | None:
    """The events on at `moment`, those of several days going on around it, and
    the next to begin, on the week's days only."""
    today = timezone.localtime(moment).date()
    if not edition.first_day <= today <= edition.last_day:
        return None
    events = _week_events(edition)
    on = [event for event in events if event.is_on_at(moment)]
    upcoming = [event for event in events if event.start > moment and _is_timed(event)]
    return NowAndNext(
        moment=moment,
        today=today,
        now=[event for event in on if _is_timed(event)],
        ongoing=[event for event in on if not _is_timed(event)],
        next=upcoming[:NEXT_SHOWN],
    )
