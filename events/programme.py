"""The published programme of an edition, filtered and laid out by day."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import pgettext

from . import certainty, entries, ics, search
from .models import Edition, Event


@dataclass
class Day:
    date: datetime.date
    is_quality_day: bool
    events: list = field(default_factory=list)  # (entry or event, continues)
    in_schedule: int = 0  # on the home page: all that the schedule shows that day


def filtered_events(edition: Edition, filters: dict) -> list[entries.Entry]:
    """Every source's entries of the edition (its published events, and what
    other apps add) that pass every filter, in time order; with a text, the
    best matches first."""
    return entries.filtered(edition, filters)


def by_day(
    edition: Edition, events: list, *, only_day=None, keep_empty=False
) -> list[Day]:
    """The days of the week with their events or entries; one of several days
    shows on each of them."""
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
    """How many entries the schedule shows on each day of the week."""
    return entries.count_by_day(edition)


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


# The programme's own events, as the first of its sources.


class EventSource(entries.Source):
    label = "events"
    model = Event

    def kinds(self) -> list[tuple[str, str]]:
        return list(Event.Kind.choices)

    def filtered(self, edition: Edition, filters: dict):
        events = Event.objects.published().of_edition(edition).for_schedule()
        if filters.get("day"):
            events = events.during_day(filters["day"])
        if filters.get("kind"):
            events = events.of_kind(filters["kind"])
        if filters.get("format"):
            events = events.in_format(filters["format"])
        if filters.get("region"):
            events = events.in_region(filters["region"])
        return events

    def entry(self, event: Event) -> entries.Entry:
        """The event as the programme states it; it comes with what
        `Event.objects.for_schedule()` loads."""
        marks = certainty.of(event)
        venue = event.venue
        kind_label = str(event.get_kind_display())
        format_label = str(event.get_format_display())
        return entries.Entry(
            source=self.label,
            uid=ics.event_uid(event),
            title=event.title_i18n,
            url=event.get_absolute_url(),
            start=event.start,
            end=event.end,
            whole_day=event.spans_whole_days,
            kind=event.kind,
            kind_label=kind_label,
            format=event.format,
            format_label=format_label,
            place=place(event, marks),
            region=event.place_region,
            certainty=marks,
            is_cancelled=event.is_cancelled,
            summary=event.summary_i18n,
            description=event.description_i18n,
            stream_url=event.stream_url if event.is_online else "",
            speakers=tuple(speaker.name_i18n for speaker in event.speakers.all()),
            categories=(kind_label, format_label),
            geo=(
                (float(venue.latitude), float(venue.longitude))
                if venue and venue.has_coordinates
                else None
            ),
            sequence=event.sequence,
            created=event.created_at,
            updated=event.updated_at,
            row_template="events/includes/event_entry_row.html",
            object=event,
        )

    def texts(self, event: Event) -> tuple:
        return search.event_texts(event)

    def spans(self, edition: Edition):
        events = Event.objects.published().of_edition(edition).only("start", "end")
        return [(event.day, event.last_day) for event in events]

    def sitemap_items(self):
        # Demo sessions show how the site works; they are not for search engines.
        return Event.objects.published().filter(is_demo=False).order_by("pk")


def place(event: Event, marks: certainty.Certainty) -> str:
    """Where the event is, as far as it is known: never "online" for a place
    still to be announced, nothing where nothing is known."""
    if event.venue:
        return ", ".join(
            part for part in (event.venue.name_i18n, event.venue.address_i18n) if part
        )
    unknown = marks.place_tba or marks.format_tba
    if not unknown and event.format == Event.Format.ONLINE:
        return str(pgettext("event format", "Online"))
    region = event.place_region
    return region.name_i18n if region else ""
