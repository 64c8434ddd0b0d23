"""The programme's sources: every kind of thing the schedule lists.

The programme shows more than its own events: companies' activations, and
whatever comes next. Each app whose rows belong in the programme registers a
`Source` from its `AppConfig.ready()`; the source turns its rows into plain
`Entry` objects. The schedule, the calendar feeds, the search and the sitemap
read entries and sources from here, never another app's models.
"""

import dataclasses
import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from . import search
from .certainty import Certainty

# How the schedule shows an entry whose source names no row template of its own.
ROW_TEMPLATE = "events/includes/entry_row.html"


@dataclasses.dataclass(frozen=True, eq=False)
class Entry:
    """One thing in the programme, as every channel states it, in the language
    that was active when its source made it."""

    source: str  # the label of the source that made it
    uid: str  # the calendar UID: the same in every file and after every edit
    title: str
    url: str  # its page, as a path in the active language
    start: datetime.datetime  # aware
    end: datetime.datetime
    whole_day: bool  # held on whole days: calendars show dates, not times
    kind: str  # a value of the schedule's kind filter
    kind_label: str
    format: str  # a value of Event.Format
    format_label: str
    place: str = ""  # where, as far as it is known: the calendars' LOCATION
    region: Any = None  # the Region it counts in, if any
    certainty: Certainty = dataclasses.field(default_factory=Certainty)
    is_cancelled: bool = False
    summary: str = ""
    description: str = ""
    stream_url: str = ""  # where to watch it, when it is online
    speakers: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()  # the calendars' CATEGORIES
    geo: tuple[float, float] | None = None
    sequence: int = 0  # the calendars' SEQUENCE: rises as its time or place changes
    created: datetime.datetime | None = None
    updated: datetime.datetime | None = None
    row_template: str = ROW_TEMPLATE  # its row in the schedule's days
    object: Any = None  # the row it was made of, for its own row template

    @property
    def is_demo(self) -> bool:
        return self.certainty.demo

    # The time as the programme's filters (`event_time`, `event_when`) read it,
    # named as on Event.

    @property
    def spans_whole_days(self) -> bool:
        return self.whole_day

    @property
    def local_start(self) -> datetime.datetime:
        return timezone.localtime(self.start)

    @property
    def local_end(self) -> datetime.datetime:
        return timezone.localtime(self.end)

    @property
    def day(self) -> datetime.date:
        return self.local_start.date()

    @property
    def last_day(self) -> datetime.date:
        return (self.local_end - datetime.timedelta(microseconds=1)).date()

    @property
    def is_multi_day(self) -> bool:
        return self.last_day != self.day

    def get_absolute_url(self) -> str:
        return self.url


class Source:
    """A kind of thing the programme lists. Subclass it and register an instance
    from the app's `AppConfig.ready()`.

    Filters are the schedule's cleaned values: `day` (a date), `kind` (a value
    among the source's `kinds()`), `format` (a value of Event.Format) and
    `region` (a Region); an empty filter is None or "".
    """

    label = ""  # unique among the sources
    model = None  # the model of its rows: `of(row)` finds the source by it

    def kinds(self) -> list[tuple[str, str]]:
        """The (value, label) choices it adds to the schedule's kind filter."""
        return []

    def filtered(self, edition, filters: dict) -> Iterable:
        """Its public rows of the edition that pass every filter, in time order."""
        raise NotImplementedError

    def entry(self, row) -> Entry:
        """The row as the programme shows it, in the active language."""
        raise NotImplementedError

    def texts(self, row) -> tuple:
        """The (title, text, context) strings that the text search weighs
        (see `events.search`)."""
        entry = self.entry(row)
        return [entry.title], [entry.summary, entry.description], [entry.place]

    def spans(self, edition) -> Iterable[tuple[datetime.date, datetime.date]]:
        """The first and last day of each row the schedule shows: the home page
        counts what is on each day from these, without building entries."""
        return [
            (entry.day, entry.last_day)
            for entry in map(self.entry, self.filtered(edition, {}))
        ]

    def chosen(self, edition, pks: Iterable[int]) -> Iterable:
        """Its public rows of the edition among these primary keys, in time
        order: what a visitor marked for their own week."""
        pks = set(pks)
        rows = self.filtered(edition, {})
        if hasattr(rows, "filter"):  # a queryset: the database picks them
            return rows.filter(pk__in=pks)
        return [row for row in rows if row.pk in pks]

    def sitemap_items(self) -> Iterable:
        """The rows whose pages search engines may list (`get_absolute_url`)."""
        return []

    def lastmod(self, row) -> datetime.datetime | None:
        """When the row's page last changed, for the sitemap."""
        return getattr(row, "updated_at", None)


_sources: dict[str, Source] = {}


def register(source: Source) -> Source:
    """Add a kind of thing to the programme; the last registered lists last."""
    _sources[source.label] = source
    return source


def unregister(label: str) -> None:
    _sources.pop(label, None)


def sources() -> list[Source]:
    return list(_sources.values())


def source(label: str) -> Source:
    return _sources[label]


def of(row) -> Entry:
    """The entry of a row of any registered source (an entry stays as it is)."""
    if isinstance(row, Entry):
        return row
    for candidate in _sources.values():
        if candidate.model is not None and isinstance(row, candidate.model):
            return candidate.entry(row)
    raise LookupError(f"No programme source registered for {type(row).__name__}")


def identity(row) -> tuple[str, int]:
    """The (source label, primary key) that names an entry or a row of any
    registered source, from one page view to the next."""
    if isinstance(row, Entry):
        return row.source, row.object.pk
    for candidate in _sources.values():
        if candidate.model is not None and isinstance(row, candidate.model):
            return candidate.label, row.pk
    raise LookupError(f"No programme source registered for {type(row).__name__}")


def kind_choices() -> list[tuple[str, str]]:
    """Every source's kinds, for the schedule's kind filter."""
    return [choice for source in _sources.values() for choice in source.kinds()]


def is_kind(value: str) -> bool:
    """Whether a value of the kind filter is one that some source offers."""
    return any(str(choice) == value for choice, _label in kind_choices())


def filtered(edition, filters: dict) -> list[Entry]:
    """Every source's entries of the edition that pass every filter, in time
    order; with a text (`q`), the best matches first."""
    kind = filters.get("kind")
    row_filters = {**filters, "q": None}
    made = []
    for source in _sources.values():
        if kind and kind not in {str(value) for value, _label in source.kinds()}:
            continue
        made += [
            (source.entry(row), source, row)
            for row in source.filtered(edition, row_filters)
        ]
    # Stable: at the same time, the sources' order, then each source's own.
    made.sort(key=lambda made: (made[0].start, made[0].end, made[0].title))
    query = filters.get("q")
    if not query:
        return [entry for entry, _source, _row in made]
    texts = {id(entry): source.texts(row) for entry, source, row in made}
    return search.ranked(
        [entry for entry, _source, _row in made],
        query,
        lambda entry: texts[id(entry)],
    )


def count_by_day(edition) -> dict[datetime.date, int]:
    """How many entries the schedule shows on each day of the edition; an entry
    of several days counts on each."""
    counts = dict.fromkeys(edition.days(), 0)
    for source in _sources.values():
        for first, last in source.spans(edition):
            day = first
            while day <= last:
                if day in counts:
                    counts[day] += 1
                day += datetime.timedelta(days=1)
    return {day: count for day, count in counts.items() if count}


def sitemap_items() -> list[tuple[Any, datetime.datetime | None]]:
    """Every source's pages for search engines, with when each last changed."""
    return [
        (row, source.lastmod(row))
        for source in _sources.values()
        for row in source.sitemap_items()
    ]
