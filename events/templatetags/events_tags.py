import datetime
import zoneinfo

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext

from .. import certainty, ics
from ..entries import Entry

register = template.Library()


@register.filter
def daterange(first: datetime.date, last: datetime.date) -> str:
    """«6–12 ноября 2023», «31 октября – 2 ноября 2023», as people write dates."""
    if first == last:
        return formats.date_format(first, "j E Y")
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{formats.date_format(last, 'j E Y')}"
    end = formats.date_format(last, "j E Y")
    if first.year == last.year:
        return f"{formats.date_format(first, 'j E')} – {end}"
    return f"{formats.date_format(first, 'j E Y')} – {end}"


def _marks(event) -> certainty.Certainty:
    """How sure an event or a programme entry is."""
    return event.certainty if isinstance(event, Entry) else certainty.of(event)


@register.filter
def event_time(event) -> str:
    """The time of day, or the dates for events (or programme entries) that
    fill whole days."""
    if event.spans_whole_days:
        if event.is_multi_day:
            return daterange(event.day, event.last_day)
        return gettext("all day")
    start, end = event.local_start, event.local_end
    if start.date() == end.date():
        return f"{start:%H:%M}–{end:%H:%M}"
    return (
        f"{formats.date_format(start, 'j E')}, {start:%H:%M} – "
        f"{formats.date_format(end, 'j E')}, {end:%H:%M}"
    )


@register.filter
def event_when(event) -> str:
    """Day and time together: «четверг, 9 ноября, 10:00–18:00».

    Every page and letter states an event's time through this, so an event whose
    time organisers have not confirmed says so wherever it is named.
    """
    if event.spans_whole_days and event.is_multi_day:
        when = event_time(event)
    else:
        day = formats.date_format(event.local_start, "l, j E Y")
        when = f"{day}, {event_time(event)}"
    caveat = _marks(event).when_caveat()
    if caveat:
        when += f" ({caveat})"
    return when


@register.filter
def when_label(event) -> str:
    """«Время уточняется» beside an event in lists, or nothing."""
    return _marks(event).when_label()


@register.filter
def google_calendar_url(event) -> str:
    return ics.google_calendar_url(event)


@register.filter
def outlook_calendar_url(event) -> str:
    return ics.outlook_calendar_url(event)


@register.filter
def office365_calendar_url(event) -> str:
    return ics.outlook_calendar_url(event, host=ics.OFFICE_365)


def _zone(place) -> zoneinfo.ZoneInfo | None:
    """The time zone of a region (or of a venue's, an application's region), or
    of a zone's name."""
    name = place if isinstance(place, str) else getattr(place, "time_zone", "")
    if not name and getattr(place, "region", None) is not None:
        name = place.region.time_zone
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        return None


def msk_offset(moment: datetime.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """How far a zone is from Moscow at that moment, as Russians write it:
    «+4», «−1» (a minus sign, not a hyphen); "" where they agree."""
    difference = (
        moment.astimezone(zone).utcoffset() - timezone.localtime(moment).utcoffset()
    )
    minutes = int(difference.total_seconds()) // 60
    if not minutes:
        return ""
    sign = "+" if minutes > 0 else "\N{MINUS SIGN}"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours}" + (f":{rest:02d}" if rest else "")


@register.filter
def local_time(value, place) -> str:
    """A moment, or an event's (an entry's) time, in a region's own time zone,
    to show beside Moscow time: «16:00–18:00 по местному времени (МСК+4)».
    Nothing where the region keeps Moscow time, or for what fills whole days."""
    zone = _zone(place)
    if zone is None or value is None:
        return ""
    if isinstance(value, datetime.datetime):
        start = end = value
    elif getattr(value, "spans_whole_days", True):
        return ""
    else:
        start, end = value.start, value.end
    offset = msk_offset(start, zone)
    if not offset:
        return ""
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    time = f"{local_start:%H:%M}"
    if local_end.date() != local_start.date():
        time = (
            f"{formats.date_format(local_start, 'j E')}, {time} – "
            f"{formats.date_format(local_end, 'j E')}, {local_end:%H:%M}"
        )
    else:
        if end != start:
            time += f"–{local_end:%H:%M}"
        if local_start.date() != timezone.localtime(start).date():
            # Beyond the Urals a late evening in Moscow is the next morning.
            time = f"{formats.date_format(local_start, 'j E')}, {time}"
    return gettext("%(time)s local time (MSK%(offset)s)") % {
        "time": time,
        "offset": offset,
    }
