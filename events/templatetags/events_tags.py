import datetime

from django import template
from django.utils import formats
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
