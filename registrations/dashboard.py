"""The organisers' live view of the day: seats, waiting lists, confirmations and
check-ins of every event of the current edition that takes registrations, and
how many take part online.

Four queries, whatever the number of events and people: during the check-in rush
the page is reloaded every half minute by everyone at the desk, so it reads the
events' seat counters and grouped counts over indexed columns, never rows.
"""

import dataclasses
import datetime

from django.db.models import Count, Q
from django.utils import timezone

from events.models import Edition, Event, Region

from .models import Registration

REFRESH_SECONDS = 30  # the page reloads itself: no script needed
HOURS = 12  # of confirmations shown, the current one last
HOUR = datetime.timedelta(hours=1)
QUARTER = datetime.timedelta(minutes=15)
# The doors open about an hour before the start: the chart begins there.
DOORS_OPEN = datetime.timedelta(hours=1)
LEVELS = 20  # a bar's length in 5 % steps, one CSS class each


@dataclasses.dataclass
class Bar:
    start: datetime.datetime  # Moscow time
    count: int
    level: int = 0
    is_ahead: bool = False  # still to come


@dataclasses.dataclass
class RegionRow:
    region: Region | None  # None: from abroad
    confirmed: int
    checked_in: int


@dataclasses.dataclass
class EventFigures:
    event: Event
    seats: int
    taken: int
    waiting: int
    checked_in: int
    hours: list[Bar]
    quarters: list[Bar]
    regions: list[RegionRow]
    # People whose address the mail server refused for good: letters miss them.
    refused: int = 0
    online: int = 0  # confirmed to take part online: no seat, not in `taken`

    @property
    def left(self) -> int:
        return max(self.seats - self.taken, 0)

    @property
    def taken_level(self) -> int:
        return level(self.taken, self.seats)

    @property
    def checked_in_level(self) -> int:
        return level(self.checked_in, self.seats)

    @property
    def confirmed_total(self) -> int:
        return sum(row.confirmed for row in self.regions)


def level(count: int, whole: int) -> int:
    """A bar's length in steps of LEVELS; anything above zero shows."""
    if count <= 0 or whole <= 0:
        return 0
    return max(1, min(LEVELS, round(LEVELS * count / whole)))


def day_figures(now: datetime.datetime) -> list[EventFigures]:
    """The figures of every event of the current edition that takes registrations."""
    status = Registration.Status
    events = list(
        Event.objects.filter(
            edition=Edition.objects.current_pk(), takes_registrations=True
        )
        .annotate(
            waiting_count=Count(
                "registrations", filter=Q(registrations__status=status.WAITING)
            ),
            checked_in_count=Count(
                "registrations",
                filter=Q(registrations__checked_in_at__isnull=False),
            ),
            online_count=Count(
                "registrations", filter=Q(registrations__status=status.ONLINE)
            ),
            refused_count=Count(
                "registrations",
                filter=Q(
                    registrations__email_failed_at__isnull=False,
                    registrations__erased_at__isnull=True,
                ),
            ),
        )
        .order_by("start", "title")
    )
    if not events:
        return []
    registrations = Registration.objects.filter(event__in=[e.pk for e in events])

    this_hour = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    first_hour = this_hour - (HOURS - 1) * HOUR
    hourly = {
        (row["event"], row["hour"]): row["count"]
        for row in registrations.confirmations_by_hour(first_hour, this_hour + HOUR)
    }

    days = {event.pk: _days_of(event) for event in events}
    per_minute = registrations.check_ins_by_minute(
        min(since for since, _ in days.values()),
        max(until for _, until in days.values()),
    )
    quarterly = {}
    for row in per_minute:
        key = (row["event"], _quarter_of(row["minute"]))
        quarterly[key] = quarterly.get(key, 0) + row["count"]

    regions = {}
    for row in registrations.counts_by_region():
        region = None
        if row["region__code"] is not None:
            region = Region(
                code=row["region__code"],
                name=row["region__name"],
                name_en=row["region__name_en"],
            )
        regions.setdefault(row["event"], []).append(
            RegionRow(region, row["confirmed"], row["checked_in"])
        )

    return [
        EventFigures(
            event=event,
            seats=event.seats,
            taken=event.seats_taken,  # the counter the seat services keep
            waiting=event.waiting_count,
            checked_in=event.checked_in_count,
            hours=_bars(
                [first_hour + n * HOUR for n in range(HOURS)], event.pk, hourly
            ),
            quarters=_bars(
                _quarters_shown(event, now, days[event.pk], quarterly),
                event.pk,
                quarterly,
                now=now,
            ),
            regions=sorted(regions.get(event.pk, []), key=_region_order),
            refused=event.refused_count,
            online=event.online_count,
        )
        for event in events
    ]


def _days_of(event: Event) -> tuple[datetime.datetime, datetime.datetime]:
    """From the Moscow midnight the event starts on to the one after it ends."""
    since = event.local_start.replace(hour=0, minute=0, second=0, microsecond=0)
    until = timezone.make_aware(
        datetime.datetime.combine(
            event.last_day + datetime.timedelta(days=1), datetime.time()
        )
    )
    return since, until


def _quarter_of(moment: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(moment)
    return local.replace(
        minute=local.minute - local.minute % 15, second=0, microsecond=0
    )


def _quarters_shown(event, now, day, quarterly) -> list[datetime.datetime]:
    """From the doors opening to the end, the whole time the desk is open (and any
    check-in outside it), so that the chart keeps its place through the day."""
    since, until = day
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    if since <= today < until:  # an event of several days: today's part
        since, until = today, today + datetime.timedelta(days=1)
    first = max(_quarter_of(event.start - DOORS_OPEN), since)
    last = min(_quarter_of(event.end - datetime.timedelta(seconds=1)), until - QUARTER)
    moments = [
        moment for pk, moment in quarterly if pk == event.pk and since <= moment < until
    ]
    if not moments and now < first:
        return []  # the doors have not opened yet
    if moments:
        first, last = min(first, *moments), max(last, *moments)
    count = int((last - first) / QUARTER) + 1
    return [first + n * QUARTER for n in range(count)]


def _bars(moments, event_pk, counts, *, now=None) -> list[Bar]:
    bars = [
        Bar(
            moment,
            counts.get((event_pk, moment), 0),
            is_ahead=bool(now and moment > now),
        )
        for moment in moments
    ]
    highest = max((bar.count for bar in bars), default=0)
    for bar in bars:
        bar.level = level(bar.count, highest)
    return bars


def _region_order(row: RegionRow):
    # The largest delegations first; people from abroad after the regions.
    return (
        -row.confirmed,
        row.region is None,
        row.region.sort_key() if row.region else "",
    )
