"""The programme in the frab formats that conference apps read (Giggity,
ConfClerk, EventFahrplan) and pretalx exports: `schedule.xml` and
`schedule.json` (https://c3voc.de/wiki/schedule).

Both are made from the programme's entries (`events.entries`), so they list
what `/calendar.ics` lists, in the same words: an activation comes as its
source states it (whole days), a demo session's title starts as in the
calendar, an uncertain time says so in the subtitle and the description, a
cancelled event is marked in its title. An event's `guid` is a UUID derived
from its calendar UID: an app that reads both files sees one event.
"""

import datetime
import json
import re
import uuid
import zlib
from xml.etree import ElementTree

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext

from . import entries, ics, programme
from .models import Edition
from .templatetags.events_tags import daterange

VERSION_FORMAT = "%Y%m%d%H%M%S"
XML_CONTENT_TYPE = "application/xml; charset=utf-8"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
GENERATOR = "qualityweek"
# The formats write durations as hours and minutes, in two digits at most.
LONGEST = datetime.timedelta(hours=99, minutes=59)
# frab's slugs (`<acronym>-<event>`) in the letters the schema allows.
_SLUG = re.compile(r"[a-z0-9_]{4,}-[a-z0-9\-_]{4,}")
_NOT_SLUG = re.compile(r"[^a-z0-9_-]+")


def guid(uid: str) -> str:
    """The frab guid of a calendar UID: the same for the same UID, always.
    The UID names the site's domain, so a copy for rehearsals makes others."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, uid))


def numeric_id(entry: entries.Entry) -> int:
    """frab's legacy numeric id: the event's pk; for other sources a number
    derived from the UID (apps that store ids as 32-bit integers read it)."""
    row = entry.object
    if entry.source == "events" and row is not None:
        return row.pk
    return (zlib.crc32(entry.uid.encode()) & 0x7FFFFFFF) or 1


def acronym(edition: Edition) -> str:
    return f"qualityweek{edition.year}"


def _clock(moment: datetime.datetime) -> str:
    """HH:MM in Moscow time."""
    return timezone.localtime(moment).strftime("%H:%M")


def _iso(moment: datetime.datetime) -> str:
    """An ISO 8601 moment in Moscow time, with its offset (+03:00)."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def _duration(entry: entries.Entry) -> str:
    """Hours and minutes; what is longer than the format holds counts as its
    first day (the subtitle states its dates)."""
    length = entry.end - entry.start
    if length > LONGEST:
        first_midnight = timezone.localtime(entry.start).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        length = first_midnight + datetime.timedelta(days=1) - entry.start
    minutes = int(length.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _slug(edition: Edition, entry: entries.Entry) -> str:
    """`<acronym>-<the page's slug>`; another source's name comes between, so
    that an event and an activation of the same slug stay apart."""
    prefix = acronym(edition)
    if entry.source != "events":
        prefix = f"{prefix}-{entry.source}"
    last_part = entry.url.rstrip("/").rsplit("/", 1)[-1]
    slug = f"{prefix}-{_NOT_SLUG.sub('-', last_part.lower()).strip('-')}"
    if not _SLUG.fullmatch(slug):
        slug = f"{acronym(edition)}-{entry.source}-{numeric_id(entry)}"
    return slug


def room_name(entry: entries.Entry) -> str:
    """The room an app groups the entry under: its place, "Online" for what is
    only online, and a plain "to be announced" where nothing is known."""
    if entry.place:
        return entry.place
    return gettext("Place to be announced")


def title(entry: entries.Entry) -> str:
    """The title as the calendar feed writes it, and a cancellation's mark,
    which a calendar says in its status and these formats can only say here."""
    text = entry.certainty.title_prefix() + entry.title
    if entry.is_cancelled:
        text = pgettext("calendar title", "[Cancelled] ") + text
    return text


def subtitle(entry: entries.Entry) -> str:
    """The marks an app shows under the title: what is not certain, and the
    dates of what runs over several days."""
    parts = []
    if entry.is_cancelled:
        parts.append(gettext("Cancelled"))
    parts += entry.certainty.labels()
    if entry.is_multi_day:
        parts.append(daterange(entry.day, entry.last_day))
    return " · ".join(str(part) for part in parts)


def _links(entry: entries.Entry, url: str) -> list[tuple[str, str]]:
    links = [(url, gettext("Event page"))]
    if entry.stream_url:
        links.append((entry.stream_url, gettext("Broadcast")))
    return links


def event_data(edition: Edition, entry: entries.Entry) -> dict:
    """One entry as a frab event (the JSON's shape; the XML writes the same)."""
    url = ics.event_url(entry)
    return {
        "guid": guid(entry.uid),
        "id": numeric_id(entry),
        "date": _iso(entry.start),
        "start": _clock(entry.start),
        "duration": _duration(entry),
        "end": _iso(entry.end),
        "room": room_name(entry),
        "slug": _slug(edition, entry),
        "url": url,
        "title": title(entry),
        "subtitle": subtitle(entry),
        "track": entry.kind_label,
        "type": entry.kind,
        "language": get_language(),
        "abstract": entry.summary,
        "description": ics.description(entry, url),
        "persons": [{"name": name} for name in entry.speakers],
        "links": [
            {"url": link, "title": label, "type": "web"}
            for link, label in _links(entry, url)
        ],
    }


def schedule_data(edition: Edition) -> dict:
    """The edition's published programme as frab's schedule.json, in Moscow
    time with the offset, each event on the day it begins."""
    listed = programme.filtered_events(edition, {})
    days = []
    rooms = {}
    # The week's days, and any other on which something listed begins.
    dates = sorted({*edition.days(), *(entry.day for entry in listed)})
    for index, date in enumerate(dates, start=1):
        midnight = timezone.make_aware(datetime.datetime.combine(date, datetime.time()))
        by_room: dict[str, list] = {}
        for entry in listed:
            if entry.day == date:
                data = event_data(edition, entry)
                by_room.setdefault(data["room"], []).append(data)
                rooms.setdefault(data["room"], guid(f"room:{data['room']}"))
        days.append(
            {
                "index": index,
                "date": date.isoformat(),
                "day_start": _iso(midnight),
                "day_end": _iso(midnight + datetime.timedelta(days=1)),
                "rooms": by_room,
            }
        )
    tracks = sorted({entry.kind_label for entry in listed})
    revision = max(
        (entry.updated for entry in listed if entry.updated),
        default=edition.starts_at,
    )
    return {
        "$schema": "https://c3voc.de/schedule/schema.json",
        "generator": {"name": GENERATOR},
        "schedule": {
            "version": timezone.localtime(revision).strftime(VERSION_FORMAT),
            "base_url": settings.QUALITYWEEK_SITE_URL + "/",
            "conference": {
                "acronym": acronym(edition),
                "title": edition.title_i18n,
                "start": edition.first_day.isoformat(),
                "end": edition.last_day.isoformat(),
                "daysCount": len(days),
                "timeslot_duration": "00:15",
                "time_zone_name": settings.TIME_ZONE,
                "url": settings.QUALITYWEEK_SITE_URL + reverse("events:schedule"),
                "tracks": [{"name": name} for name in tracks],
                "rooms": [
                    {"name": name, "guid": room_guid}
                    for name, room_guid in rooms.items()
                ],
                "days": days,
            },
        },
    }


def schedule_json(edition: Edition) -> bytes:
    return json.dumps(
        schedule_data(edition), ensure_ascii=False, indent=1, sort_keys=False
    ).encode()


# XML 1.0 allows no control character but tab, line feed and carriage return:
# one pasted into a description would make the whole file unreadable.
_NOT_XML = dict.fromkeys(
    code for code in [*range(0x20), 0xFFFE, 0xFFFF] if code not in (0x09, 0x0A, 0x0D)
)


def _text(parent, tag: str, value="", **attributes) -> ElementTree.Element:
    attributes = {name: value.translate(_NOT_XML) for name, value in attributes.items()}
    element = ElementTree.SubElement(parent, tag, attributes)
    element.text = str(value).translate(_NOT_XML)
    return element


# The order conference apps expect (frab's own); the schema takes any order.
_EVENT_FIELDS = (
    "date",
    "start",
    "duration",
    "room",
    "slug",
    "url",
    "title",
    "subtitle",
    "track",
    "type",
    "language",
    "abstract",
    "description",
)


def schedule_xml(edition: Edition) -> bytes:
    """The same programme as frab's schedule.xml."""
    data = schedule_data(edition)["schedule"]
    conference = data["conference"]
    root = ElementTree.Element("schedule")
    ElementTree.SubElement(root, "generator", {"name": GENERATOR})
    _text(root, "version", data["version"])
    element = ElementTree.SubElement(root, "conference")
    for tag in ("acronym", "title", "start", "end"):
        _text(element, tag, conference[tag])
    _text(element, "days", conference["daysCount"])
    for tag in ("timeslot_duration", "base_url"):
        _text(element, tag, data.get(tag) or conference[tag])
    for tag in ("url", "time_zone_name"):
        _text(element, tag, conference[tag])
    for track in conference["tracks"]:
        _text(element, "track", track["name"], name=track["name"])
    room_guids = {room["name"]: room["guid"] for room in conference["rooms"]}
    for day in conference["days"]:
        day_element = ElementTree.SubElement(
            root,
            "day",
            {
                "index": str(day["index"]),
                "date": day["date"],
                "start": day["day_start"],
                "end": day["day_end"],
            },
        )
        for name, events in day["rooms"].items():
            room = ElementTree.SubElement(
                day_element, "room", {"name": name, "guid": room_guids[name]}
            )
            for event in events:
                _xml_event(room, event)
    ElementTree.indent(root, space=" ")
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _xml_event(room, event: dict) -> None:
    element = ElementTree.SubElement(
        room, "event", {"guid": event["guid"], "id": str(event["id"])}
    )
    for tag in _EVENT_FIELDS:
        _text(element, tag, event[tag])
    persons = ElementTree.SubElement(element, "persons")
    for person in event["persons"]:
        _text(persons, "person", person["name"])
    links = ElementTree.SubElement(element, "links")
    for link in event["links"]:
        _text(links, "link", link["title"], href=link["url"], type=link["type"])
