"""The programme in frab's formats: /schedule.xml and /schedule.json."""

import datetime
import json
import re
import uuid
from xml.etree import ElementTree

import icalendar
import jsonschema
import pytest

from events import frab, ics
from events.models import Event
from tests.factories import ActivationFactory, EventFactory, moscow

# What the published frab schema (c3voc's schedule.xml.xsd and schema.json)
# asks of the parts we write, restated here: the files themselves are not
# ours to ship.
UUID = re.compile(r"[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
DATE_TIME_TZ = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d{1,2}:\d\d)")
START = re.compile(r"[0-2][0-9]:[0-5][0-9]")
DURATION = re.compile(r"[0-9]{1,2}:[0-9]{2}")
SLUG = re.compile(r"[a-z0-9_]{4,}-[a-z0-9\-_]{4,}")
ACRONYM = re.compile(r"[a-z0-9_-]{4,}")
CONFERENCE_TAGS = {
    "title",
    "acronym",
    "start",
    "end",
    "days",
    "timeslot_duration",
    "base_url",
    "logo",
    "url",
    "time_zone_name",
    "color",
    "track",
}
EVENT_REQUIRED = {"room", "title", "type", "date", "start", "duration", "abstract"}
EVENT_REQUIRED |= {"track"}
EVENT_OPTIONAL = {
    "subtitle",
    "slug",
    "logo",
    "persons",
    "language",
    "description",
    "recording",
    "links",
    "attachments",
    "video_download_url",
    "url",
    "feedback_url",
    "origin_url",
}


def frab_xml_errors(content: bytes) -> list[str]:
    """What in the document breaks frab's XSD, as far as we write it."""
    errors = []
    root = ElementTree.fromstring(content)  # our own bytes, in a test
    if root.tag != "schedule":
        return ["root is not <schedule>"]
    tags = [child.tag for child in root]
    first_day = tags.index("day") if "day" in tags else len(tags)
    head = [tag for tag in tags[:first_day] if tag != "generator"]
    if head[:1] == ["url"]:
        head = head[1:]
    if head != ["version", "conference"] or tags[:1] != ["generator"]:
        errors.append(f"schedule's children out of order: {tags[:first_day]}")
    if any(tag != "day" for tag in tags[first_day:]) or first_day == len(tags):
        errors.append("schedule needs one or more <day> after <conference>")
    conference = root.find("conference")
    for child in conference:
        if child.tag not in CONFERENCE_TAGS:
            errors.append(f"conference has <{child.tag}>")
        if child.tag == "track" and not child.get("name"):
            errors.append("a track has no name")
    if not ACRONYM.fullmatch(conference.findtext("acronym", "")):
        errors.append("acronym")
    seen = {"guid": set(), "id": set(), "slug": set(), "index": set()}
    for day in root.iter("day"):
        for attribute in ("start", "end", "index"):
            if not day.get(attribute):
                errors.append(f"day without {attribute}")
        for attribute in ("start", "end"):
            if not DATE_TIME_TZ.fullmatch(day.get(attribute, "")):
                errors.append(f"day {attribute} {day.get(attribute)}")
        if day.get("index") in seen["index"] or not day.get("index").isdigit():
            errors.append(f"day index {day.get('index')}")
        seen["index"].add(day.get("index"))
        for room in day:
            if room.tag != "room" or not room.get("name"):
                errors.append(f"<{room.tag}> in a day, or a room without a name")
            if room.get("guid") and not UUID.fullmatch(room.get("guid")):
                errors.append("room guid")
            for event in room:
                errors += _event_errors(event, seen)
    return errors


def _event_errors(event, seen) -> list[str]:
    errors = []
    tags = [child.tag for child in event]
    if event.tag != "event":
        return [f"<{event.tag}> in a room"]
    if len(tags) != len(set(tags)):
        errors.append(f"an element twice in an event: {tags}")
    missing = EVENT_REQUIRED - set(tags)
    unknown = set(tags) - EVENT_REQUIRED - EVENT_OPTIONAL
    if missing or unknown:
        errors.append(f"event lacks {missing} or has {unknown}")
    if not UUID.fullmatch(event.get("guid", "")):
        errors.append(f"event guid {event.get('guid')}")
    if not event.get("id", "").isdigit() or int(event.get("id")) < 1:
        errors.append(f"event id {event.get('id')}")
    checks = {"date": DATE_TIME_TZ, "start": START, "duration": DURATION}
    checks["slug"] = SLUG
    for tag, pattern in checks.items():
        value = event.findtext(tag)
        if value is not None and not pattern.fullmatch(value):
            errors.append(f"event {tag} {value!r}")
    for tag in ("url",):
        if not event.findtext(tag, "http").startswith(("http://", "https://")):
            errors.append("event url")
    for key, value in (
        ("guid", event.get("guid")),
        ("id", event.get("id")),
        ("slug", event.findtext("slug")),
    ):
        if value in seen[key]:
            errors.append(f"{key} {value} twice")
        seen[key].add(value)
    for person in event.iterfind("persons/*"):
        if person.tag != "person":
            errors.append("persons holds other than <person>")
    for link in event.iterfind("links/*"):
        if link.tag != "link" or not link.get("href"):
            errors.append("a link without href")
    return errors


# The parts of c3voc's schema.json that the document uses, as it states them.
FRAB_JSON_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["schedule"],
    "properties": {
        "$schema": {"type": "string"},
        "generator": {"type": "object"},
        "schedule": {
            "type": "object",
            "required": ["conference", "version"],
            "properties": {
                "version": {"type": "string"},
                "base_url": {"type": "string"},
                "rooms": False,
                "conference": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": [
                        "title",
                        "acronym",
                        "days",
                        "daysCount",
                        "start",
                        "end",
                        "timeslot_duration",
                    ],
                    "properties": {
                        "acronym": {
                            "type": "string",
                            "pattern": "^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$",
                        },
                        "title": {"type": "string"},
                        "start": {"type": "string"},
                        "end": {"type": "string"},
                        "daysCount": {"type": "integer"},
                        "timeslot_duration": {"type": "string"},
                        "time_zone_name": {
                            "type": "string",
                            "pattern": "^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$",
                        },
                        "url": {"type": "string"},
                        "tracks": {"type": "array"},
                        "rooms": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["name", "guid"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "guid": {"type": "string", "format": "uuid"},
                                },
                            },
                        },
                        "days": {"type": "array", "items": {"$ref": "#/$defs/Day"}},
                    },
                },
            },
        },
    },
    "$defs": {
        "Day": {
            "type": "object",
            "additionalProperties": False,
            "required": ["date", "day_end", "day_start", "index", "rooms"],
            "properties": {
                "index": {"type": "integer"},
                "date": {"type": "string", "format": "date"},
                "day_start": {"type": "string", "format": "date-time"},
                "day_end": {"type": "string", "format": "date-time"},
                "rooms": {
                    "type": "object",
                    "patternProperties": {
                        ".*": {"type": "array", "items": {"$ref": "#/$defs/Event"}}
                    },
                },
            },
        },
        "Event": {
            "type": "object",
            "additionalProperties": False,
            "required": [
                "abstract",
                "date",
                "duration",
                "guid",
                "id",
                "language",
                "links",
                "persons",
                "room",
                "slug",
                "start",
                "subtitle",
                "title",
                "track",
                "type",
                "url",
            ],
            "properties": {
                "guid": {"type": "string", "format": "uuid"},
                "id": {"type": "integer", "minimum": 1},
                "date": {"type": "string", "format": "date-time"},
                "start": {
                    "type": "string",
                    "pattern": "^(0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]$",
                },
                "end": {"type": "string", "format": "date-time"},
                "duration": {"type": "string", "pattern": "^[0-9]+:[0-9]{2}$"},
                "room": {"type": "string"},
                "slug": {"type": "string", "pattern": "^[a-z0-9_-]+[a-z0-9]$"},
                "url": {"type": "string", "format": "uri"},
                "title": {"type": "string"},
                "subtitle": {"type": ["string", "null"]},
                "track": {"type": ["string", "null"]},
                "type": {"type": "string"},
                "language": {"type": ["string", "null"]},
                "abstract": {"type": ["string", "null"]},
                "description": {"type": ["string", "null"]},
                "persons": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["name"],
                        "properties": {"name": {"type": "string"}},
                    },
                },
                "links": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["url"],
                        "properties": {
                            "type": {
                                "enum": [
                                    "slides",
                                    "paper",
                                    "web",
                                    "blog",
                                    "article",
                                    "media",
                                    "related",
                                    "activitypub",
                                ]
                            },
                            "url": {"type": "string", "format": "uri"},
                            "title": {"type": "string"},
                        },
                    },
                },
            },
        },
    },
}


@pytest.fixture
def programme(week, edition_2023, clock):
    """The small week, a demo session whose time is not confirmed, a forum of
    four days with a speaker, and an approved activation of three days."""
    week["tba"] = EventFactory(
        edition=edition_2023,
        slug="demo-tba",
        title="Сессия-пример",
        title_en="Sample session",
        start=moscow(2023, 11, 7, 12),
        end=moscow(2023, 11, 7, 13),
        is_demo=True,
        is_time_confirmed=False,
    )
    week["activation"] = ActivationFactory(
        edition=edition_2023,
        slug="open-day-kirov",
        first_day=datetime.date(2023, 11, 7),
        last_day=datetime.date(2023, 11, 9),
    )
    return week


def ics_uids(client, path="/calendar.ics") -> set[str]:
    calendar = icalendar.Calendar.from_ical(client.get(path).content)
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


def guid_of(row) -> str:
    return frab.guid(ics.event_uid(row))


def xml_events(content: bytes) -> dict:
    root = ElementTree.fromstring(content)
    return {event.get("guid"): event for event in root.iter("event")}


def json_events(content: bytes) -> dict:
    data = json.loads(content)
    return {
        event["guid"]: event
        for day in data["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
    }


def test_schedule_xml_keeps_frab_schema(client, programme):
    response = client.get("/schedule.xml")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert frab_xml_errors(response.content) == []


def test_schedule_json_keeps_frab_schema(client, programme):
    response = client.get("/schedule.json")

    assert response["Content-Type"] == "application/json; charset=utf-8"
    jsonschema.validate(
        json.loads(response.content),
        FRAB_JSON_SCHEMA,
        format_checker=jsonschema.FormatChecker(),
    )


def test_frab_xml_check_catches_a_broken_document(client, programme):
    content = client.get("/schedule.xml").content.replace(
        b"<duration>", b"<duration>1", 1
    )

    assert frab_xml_errors(content) != []


@pytest.mark.parametrize("path", ["/schedule.xml", "/schedule.json"])
def test_frab_lists_what_the_calendar_lists(client, programme, path):
    expected = {frab.guid(uid) for uid in ics_uids(client)}

    content = client.get(path).content

    listed = xml_events(content) if path.endswith("xml") else json_events(content)
    assert set(listed) == expected
    assert len(expected) == 5  # two sessions, a cancelled one, a demo, an activation


def test_frab_json_states_times_in_moscow_time_with_offset(client, programme):
    events = json_events(client.get("/schedule.json").content)

    online = events[guid_of(programme["online"])]
    assert (online["date"], online["start"], online["duration"]) == (
        "2023-11-09T10:00:00+03:00",
        "10:00",
        "01:30",
    )
    assert online["room"] == "Онлайн"


def test_frab_marks_demo_uncertain_and_cancelled_events(client, programme):
    events = xml_events(client.get("/schedule.xml").content)

    tba = events[guid_of(programme["tba"])]
    cancelled = events[guid_of(programme["cancelled"])]
    assert tba.findtext("title") == "[Демо] Сессия-пример"
    assert "Время уточняется" in tba.findtext("subtitle")
    assert "Время уточняется" in tba.findtext("description")
    assert cancelled.findtext("title").startswith("[Отменено] ")
    assert "Это событие отменено." in cancelled.findtext("description")


def test_frab_lists_an_activation_as_whole_days(client, programme):
    events = json_events(client.get("/schedule.json").content)

    activation = events[guid_of(programme["activation"])]
    assert activation["date"] == "2023-11-07T00:00:00+03:00"
    assert activation["duration"] == "72:00"
    assert activation["subtitle"] == "7–9 ноября 2023"
    assert activation["type"] == "activation"


def test_frab_xml_stays_readable_with_control_characters_in_texts(
    client, edition_2023, clock
):
    EventFactory(
        edition=edition_2023,
        title="Качество & <доверие>\x0b",
        description="Строка\x01 и\nещё одна",
    )

    content = client.get("/schedule.xml").content

    (event,) = xml_events(content).values()
    assert event.findtext("title") == "Качество & <доверие>"
    assert "Строка и\nещё одна" in event.findtext("description")


def test_frab_in_english_under_en(client, programme):
    events = json_events(client.get("/en/schedule.json").content)

    online = events[guid_of(programme["online"])]
    assert online["title"] == "Webinar on quality"
    assert online["room"] == "Online"
    assert online["language"] == "en"


def test_frab_guid_is_the_same_after_an_edit(client, programme):
    event = programme["online"]
    before = set(json_events(client.get("/schedule.json").content))

    Event.objects.filter(pk=event.pk).update(title="Новое название")
    event.refresh_from_db()
    event.save()

    assert set(json_events(client.get("/schedule.json").content)) == before


def test_frab_feed_answers_304_to_its_etag_and_lets_any_site_read(client, programme):
    first = client.get("/schedule.xml")

    again = client.get("/schedule.xml", headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304
    assert first["Access-Control-Allow-Origin"] == "*"
    assert "public" in first["Cache-Control"]


def test_frab_of_an_edition_by_year(client, programme):
    response = client.get("/2023/schedule.json")

    assert set(json_events(response.content)) == set(
        json_events(client.get("/schedule.json").content)
    )
    assert client.get("/1999/schedule.json").status_code == 404


def test_frab_guid_is_a_uuid5_of_the_uid():
    assert frab.guid("event-1@example.org") == str(
        uuid.uuid5(uuid.NAMESPACE_URL, "event-1@example.org")
    )


@pytest.mark.parametrize("count", [1, 3])
def test_frab_feed_queries_do_not_grow_with_events(
    client, edition_2023, clock, django_assert_num_queries, count
):
    EventFactory.create_batch(count, edition=edition_2023)

    with django_assert_num_queries(6):
        response = client.get("/schedule.xml")

    assert len(xml_events(response.content)) == count
