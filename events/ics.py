"""Events as iCalendar (RFC 5545) files, built with the icalendar library.

Times go out in UTC (`…Z`): every client reads those alike, whereas a VTIMEZONE
that a client maps to the wrong zone shifts events by an hour (Outlook's classic).
Calendar apps see the text in the active language. Whatever the programme lists
goes out as its `events.entries.Entry`, made by the source that registered it.
"""

import datetime
import functools
from collections.abc import Iterable
from email.utils import parseaddr
from urllib.parse import quote, urlencode, urlsplit

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext

from qualityweek import downloads

from . import entries
from .entries import Entry

PRODID = "-//World Quality Week//Programme calendar//EN"
# Calendar apps may poll the feed this often; most take their own pace anyway.
REFRESH_INTERVAL = datetime.timedelta(hours=1)
# Moscow has kept UTC+3 all year since 26 October 2014: one rule from then on.
MOSCOW_RULES_SINCE = datetime.date(2015, 1, 1)

# RFC 5545 TEXT allows no control character but the tab; line breaks are escaped.
_CONTROL_CHARACTERS = dict.fromkeys(
    code for code in [*range(0x20), *range(0x7F, 0xA0)] if code not in (0x09, 0x0A)
)


class PlainText(icalendar.vText):
    """A TEXT value made from organisers' plain text.

    icalendar 7.3 reads a backslash followed by "N" as a line break ("C:\\New"
    comes out as "C:" and "ew" on two lines), so the escaping of RFC 5545 §3.3.11
    is done here; the library still writes the content line and folds it.
    """

    def __new__(cls, value, *args, **kwargs):
        text = str(value).replace("\r\n", "\n").replace("\r", "\n")
        text = text.translate(_CONTROL_CHARACTERS)
        return super().__new__(cls, text, *args, **kwargs)

    def to_ical(self) -> bytes:
        escaped = (
            self.replace("\\", "\\\\")
            .replace(";", "\\;")
            .replace(",", "\\,")
            .replace("\n", "\\n")
        )
        return escaped.encode(self.encoding)


def site_domain() -> str:
    return urlsplit(settings.QUALITYWEEK_SITE_URL).hostname or "localhost"


def event_uid(row) -> str:
    """A programme row's UID, the same in every file and after every edit: from
    its model and pk (`event-<pk>@…`, `activation-<pk>@…`), never slug or title."""
    return f"{row._meta.model_name}-{row.pk}@{site_domain()}"


def event_url(item) -> str:
    """The page of an entry (or of a row of the programme) in the active
    language, as an absolute URI."""
    # iri_to_uri percent-encodes whatever a URI cannot hold, CR and LF among it.
    return iri_to_uri(settings.QUALITYWEEK_SITE_URL + item.get_absolute_url())


def utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def location(item) -> str:
    """Where an entry (or a row of the programme) is, as far as it is known."""
    return entries.of(item).place


def description(entry: Entry, url: str) -> str:
    """What a calendar app shows under the title: plain text, with the page's link."""
    parts = []
    marks = entry.certainty
    if entry.is_cancelled:
        parts.append(gettext("This event is cancelled."))
    if marks.demo:
        parts.append(
            gettext(
                "Demo content: this session and its time are not from the "
                "organisers' information. They show how the site works."
            )
        )
    parts += marks.labels()[1:] if marks.demo else marks.labels()
    parts += [text for text in (entry.summary, entry.description) if text]
    if entry.stream_url:
        parts.append(gettext("Broadcast: %(url)s") % {"url": entry.stream_url})
    if entry.speakers:
        parts.append(
            gettext("Speakers: %(names)s") % {"names": ", ".join(entry.speakers)}
        )
    parts.append(gettext("Event page: %(url)s") % {"url": url})
    return "\n\n".join(parts)


def build_event(item) -> icalendar.Event:
    """One VEVENT, of an entry or of a row of the programme (an event comes with
    what `Event.objects.for_schedule()` loads)."""
    entry = entries.of(item)
    url = event_url(entry)
    component = icalendar.Event()
    component.add("UID", entry.uid)
    # DTSTAMP is the last change, not the moment of download: the same data makes
    # the same bytes, which the ETag and the feed cache rely on.
    component.add("DTSTAMP", utc(entry.updated))
    if entry.whole_day:
        # Quality Day is 9 November all over Russia, not 00:00–24:00 in Moscow:
        # dates (VALUE=DATE) show as all-day in every client and every time zone.
        component.add("DTSTART", entry.day)
        component.add("DTEND", entry.last_day + datetime.timedelta(days=1))
    else:
        component.add("DTSTART", utc(entry.start))
        component.add("DTEND", utc(entry.end))
    component.add("SEQUENCE", entry.sequence)
    component.add("CREATED", utc(entry.created))
    component.add("LAST-MODIFIED", utc(entry.updated))
    component.add("SUMMARY", PlainText(entry.certainty.title_prefix() + entry.title))
    component.add("DESCRIPTION", PlainText(description(entry, url)))
    if entry.place:
        component.add("LOCATION", PlainText(entry.place))
    if entry.geo:
        component.add("GEO", entry.geo)
    component.add("URL", url)
    component.add("CATEGORIES", list(entry.categories))
    component.add("STATUS", status(entry))
    return component


def status(entry: Entry) -> str:
    """RFC 5545's word for the entry: a time not yet confirmed is TENTATIVE."""
    if entry.is_cancelled:
        return "CANCELLED"
    marks = entry.certainty
    if marks.demo or marks.when_tba:
        return "TENTATIVE"
    return "CONFIRMED"


@functools.cache
def site_timezone() -> icalendar.Timezone:
    """The VTIMEZONE of the site's zone: built once a process (it takes ~30 ms)."""
    return icalendar.Timezone.from_tzid(
        settings.TIME_ZONE, first_date=MOSCOW_RULES_SINCE
    )


def build_calendar(
    events: Iterable, *, name: str, description: str
) -> icalendar.Calendar:
    """A calendar of these entries (or rows of the programme), named for
    calendar apps' lists."""
    calendar = icalendar.Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("METHOD", "PUBLISH")
    # NAME is RFC 7986's; Apple, Google and Outlook read the X-WR- names.
    for prop in ("NAME", "X-WR-CALNAME"):
        calendar.add(prop, PlainText(name))
    for prop in ("DESCRIPTION", "X-WR-CALDESC"):
        calendar.add(prop, PlainText(description))
    calendar.add("X-WR-TIMEZONE", settings.TIME_ZONE)
    calendar.add("REFRESH-INTERVAL", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", icalendar.vDuration(REFRESH_INTERVAL))
    # The events use UTC, so no VTIMEZONE is needed for them. The one that
    # X-WR-TIMEZONE names is there all the same: RFC 5545 wants at least one
    # component, and a filter that matches nothing leaves no event.
    calendar.add_component(site_timezone())
    for event in events:
        calendar.add_component(build_event(event))
    return calendar


def make_itip(calendar: icalendar.Calendar, *, method: str, attendee: str) -> None:
    """Turn a calendar into an iTIP message (RFC 5546) to one person: REQUEST
    updates the entry their calendar holds under the same UID, CANCEL removes it.

    iTIP wants an ORGANIZER and the ATTENDEE addressed; the organiser is the site's
    own sender address, and nobody is asked to reply.
    """
    calendar["METHOD"] = method
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    for component in calendar.walk("VEVENT"):
        component.add(
            "ORGANIZER",
            icalendar.vCalAddress(f"mailto:{sender}"),
            parameters={"CN": gettext("World Quality Week")},
        )
        component.add(
            "ATTENDEE",
            icalendar.vCalAddress(f"mailto:{attendee}"),
            parameters={"ROLE": "REQ-PARTICIPANT", "RSVP": "FALSE"},
        )


CONTENT_TYPE = "text/calendar; charset=utf-8"


def calendar_response(
    calendar: icalendar.Calendar | bytes,
    filename: str,
    *,
    title: str = "",
    encoding: str = "identity",
) -> HttpResponse:
    """The calendar as a download: `filename` in Latin letters, `title` in full;
    `encoding` says the bytes given are gzipped (calendar apps take it)."""
    content = calendar if isinstance(calendar, bytes) else calendar.to_ical()
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    if encoding == "gzip":
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])
    response["Content-Disposition"] = downloads.attachment(
        filename, downloads.download_name(title, "ics")
    )
    return response


def _short_details(entry: Entry) -> str:
    """The text for a calendar service's link: short, so that the link stays short."""
    text = entry.summary or entry.description
    if len(text) > 300:
        text = text[:300].rsplit(" ", 1)[0] + "…"
    caveats = entry.certainty.labels()
    if caveats:
        text = f"{'. '.join(caveats)}. {text}".strip()
    url = event_url(entry)
    return f"{text}\n\n{url}" if text else url


def google_calendar_url(item) -> str:
    """Google Calendar's page for adding this entry (or row), filled in."""
    entry = entries.of(item)
    if entry.whole_day:
        end = entry.last_day + datetime.timedelta(days=1)  # exclusive, as in .ics
        dates = f"{entry.day:%Y%m%d}/{end:%Y%m%d}"
    else:
        dates = f"{utc(entry.start):%Y%m%dT%H%M%SZ}/{utc(entry.end):%Y%m%dT%H%M%SZ}"
    query = {
        "action": "TEMPLATE",
        "text": entry.title,
        "dates": dates,
        "details": _short_details(entry),
        "location": entry.place,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(
        query, quote_via=quote
    )


# Outlook's web app answers on two hosts: personal accounts (Outlook.com) and
# work or school ones (Microsoft 365); the compose form is the same on both.
OUTLOOK_COM = "outlook.live.com"
OFFICE_365 = "outlook.office.com"


def outlook_calendar_url(item, host: str = OUTLOOK_COM) -> str:
    """Outlook's form for adding this entry (or row), filled in: Outlook.com's,
    or with `host=OFFICE_365` that of a work or school account."""
    entry = entries.of(item)
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": entry.title,
        "startdt": f"{utc(entry.start):%Y-%m-%dT%H:%M:%SZ}",
        "enddt": f"{utc(entry.end):%Y-%m-%dT%H:%M:%SZ}",
        "body": _short_details(entry),
        "location": entry.place,
    }
    if entry.whole_day:
        end = entry.last_day + datetime.timedelta(days=1)
        query.update(
            startdt=entry.day.isoformat(), enddt=end.isoformat(), allday="true"
        )
    # Outlook shows a "+" as a plus sign, so spaces go as %20 (quote, not quote_plus).
    return f"https://{host}/calendar/0/action/compose?" + urlencode(
        query, quote_via=quote
    )
