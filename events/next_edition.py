"""The next year's edition from this one's structure, in one step.

Quality Week comes back every November by the same rule (dates.quality_week), so
the next edition keeps this one's shape: Quality Day, the forum and its sessions,
the regional day, their venues and organisers, each moved to the same weekday
and Moscow time of the new week. The copy starts unpublished, with no
registrations, no seats taken and a fresh calendar revision, and every copied
event is marked for organisers to review: times, speakers and texts of a new
year are theirs to confirm.
"""

import datetime
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import ngettext

from .dates import quality_week
from .models import Edition, Event


class AlreadyExists(Exception):
    """The next year's edition is there already: nothing is copied twice."""

    def __init__(self, edition: Edition):
        super().__init__(str(edition))
        self.edition = edition


@dataclass(frozen=True)
class PlannedEvent:
    source: Event
    slug: str
    start: datetime.datetime
    end: datetime.datetime
    registration_opens: datetime.datetime | None
    registration_closes: datetime.datetime | None

    @property
    def preview(self) -> Event:
        """The copy's time as an unsaved event, for the filters that state times."""
        return Event(start=self.start, end=self.end)


@dataclass(frozen=True)
class Plan:
    """What copying `source` will create, for the preview and for the copy."""

    source: Edition
    year: int
    first_day: datetime.date
    quality_day: datetime.date
    last_day: datetime.date
    title: str
    title_en: str
    events: list[PlannedEvent]
    existing: Edition | None

    @property
    def day_shift(self) -> datetime.timedelta:
        return self.first_day - self.source.first_day


def _moved(moment, days: datetime.timedelta):
    """The same Moscow wall-clock time, `days` later (whatever the offset then)."""
    if moment is None:
        return None
    local = timezone.localtime(moment)
    return timezone.make_aware(local.replace(tzinfo=None) + days)


def _next_year_text(text: str, year: int, next_year: int) -> str:
    return text.replace(str(year), str(next_year))


YEAR_SUFFIX = re.compile(r"-\d{4}$")


def _slug(slug: str, year: int, next_year: int, taken: set[str]) -> str:
    if str(year) in slug:
        candidate = slug.replace(str(year), str(next_year))
    else:
        stem = YEAR_SUFFIX.sub("", slug)
        candidate = f"{stem}-{next_year}"[:120]
    base, number = candidate, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    taken.add(candidate)
    return candidate


def plan(source: Edition) -> Plan:
    """The next edition of `source`, computed and not yet saved."""
    year = source.year + 1
    week = quality_week(year)
    shift = week.first_day - source.first_day
    taken = set(Event.objects.values_list("slug", flat=True))
    events = [
        PlannedEvent(
            source=event,
            slug=_slug(event.slug, source.year, year, taken),
            start=_moved(event.start, shift),
            end=_moved(event.end, shift),
            registration_opens=_moved(event.registration_opens, shift),
            registration_closes=_moved(event.registration_closes, shift),
        )
        # Parents before their sessions, so that a session finds its copied parent.
        for event in source.events.select_related("venue").order_by("start", "pk")
    ]
    events.sort(key=lambda planned: planned.source.parent_id is not None)
    return Plan(
        source=source,
        year=year,
        first_day=week.first_day,
        quality_day=week.quality_day,
        last_day=week.last_day,
        title=_next_year_text(source.title, source.year, year),
        title_en=_next_year_text(source.title_en, source.year, year),
        events=events,
        existing=Edition.objects.filter(year=year).first(),
    )


# What a copy does not carry over: the new year's own facts and counters.
RESET = {
    "is_published": False,
    "is_cancelled": False,
    "is_time_confirmed": False,
    "needs_review": True,
    "seats_taken": 0,
    "sequence": 0,
    "stream_url": "",
}


@transaction.atomic
def copy(source: Edition) -> Edition:
    """Create the next edition of `source` as `plan` describes; AlreadyExists if
    that year is there already (running it twice makes one copy)."""
    planned = plan(source)
    if planned.existing is not None:
        raise AlreadyExists(planned.existing)
    try:
        with transaction.atomic():
            edition = Edition.objects.create(
                year=planned.year,
                title=planned.title,
                title_en=planned.title_en,
                first_day=planned.first_day,
                quality_day=planned.quality_day,
                last_day=planned.last_day,
                contact_email=source.contact_email,
                official_sites=source.official_sites,
                # The motto is the year's own: organisers choose the new one.
            )
    except IntegrityError:  # another organiser's copy got there first
        raise AlreadyExists(Edition.objects.get(year=planned.year)) from None
    # What companies are invited to do carries over; organisers edit it.
    for idea in source.ideas.all():
        idea.pk, idea.edition = None, edition
        idea.save()
    copies: dict[int, Event] = {}
    for item in planned.events:
        event = item.source
        organisers = list(event.organisers.all())
        copied = Event(
            **{
                field.attname: getattr(event, field.attname)
                for field in Event._meta.concrete_fields
                if not field.primary_key
                and field.name not in ("created_at", "updated_at")
            }
        )
        copied.edition = edition
        copied.slug = item.slug
        copied.title = _next_year_text(event.title, source.year, planned.year)
        copied.title_en = _next_year_text(event.title_en, source.year, planned.year)
        copied.start, copied.end = item.start, item.end
        copied.registration_opens = item.registration_opens
        copied.registration_closes = item.registration_closes
        copied.parent = copies.get(event.parent_id)
        for name, value in RESET.items():
            setattr(copied, name, value)
        copied.save()
        copied.organisers.set(organisers)
        copies[event.pk] = copied
    return edition


def summary(edition: Edition) -> str:
    """The organiser's message after a copy."""
    count = edition.events.count()
    return ngettext(
        "%(edition)s created with %(count)d event, unpublished and marked for "
        "review: check its time, speakers and texts, then publish it.",
        "%(edition)s created with %(count)d events, unpublished and marked for "
        "review: check their times, speakers and texts, then publish them.",
        count,
    ) % {"edition": edition, "count": count}
