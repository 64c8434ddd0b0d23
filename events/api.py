"""The programme as a read-only JSON API: what each row of it says in public.

Only what the site's public pages show goes out: published events, approved
activations, regions and editions; never a contact person, an e-mail or a
phone. An app whose rows the API lists registers a `Collection` from its
`AppConfig.ready()` (as the activations do), so the programme never imports
it; the programme's own events are the first collection.
"""

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import certainty, entries, frab, ics
from .models import Edition, Event, Region


@dataclasses.dataclass(frozen=True)
class Collection:
    """Rows listed at `/api/v1/<name>/`, one at `/api/v1/<name>/<slug>/`."""

    name: str
    title: Any  # what the OpenAPI document calls it
    rows: Callable[[Edition], Any]  # the edition's public rows, in order: a queryset
    find: Callable[[str], Any]  # one public row by its slug, or None
    item: Callable[[Any], dict]  # the row's public fields
    schema: dict  # the OpenAPI schema of an item, past those of `ENTRY_SCHEMA`


_collections: dict[str, Collection] = {}


def register(collection: Collection) -> Collection:
    _collections[collection.name] = collection
    return collection


def collections() -> list[Collection]:
    return list(_collections.values())


def collection(name: str) -> Collection | None:
    return _collections.get(name)


def absolute(path: str) -> str:
    return settings.QUALITYWEEK_SITE_URL + path


def moment(value) -> str | None:
    """An ISO 8601 moment in Moscow time, with its offset."""
    if value is None:
        return None
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def region_brief(region: Region | None) -> dict | None:
    if region is None:
        return None
    return {"code": region.code, "name": region.name_i18n}


def certainty_data(marks: certainty.Certainty) -> dict:
    return {
        "settled": marks.settled,
        "demo": marks.demo,
        "date_to_be_confirmed": marks.date_tba,
        "time_to_be_confirmed": marks.time_tba,
        "place_to_be_announced": marks.place_tba,
        "format_to_be_announced": marks.format_tba,
        "labels": [str(label) for label in marks.labels()],
    }


def entry_data(entry: entries.Entry) -> dict:
    """What the programme states of any entry, as every channel states it."""
    return {
        "uid": entry.uid,
        "guid": frab.guid(entry.uid),
        "source": entry.source,
        "title": entry.title,
        "url": ics.event_url(entry),
        "start": moment(entry.start),
        "end": moment(entry.end),
        "whole_day": entry.whole_day,
        "first_day": entry.day.isoformat(),
        "last_day": entry.last_day.isoformat(),
        "kind": entry.kind,
        "kind_label": str(entry.kind_label),
        "format": entry.format,
        "format_label": str(entry.format_label),
        "place": entry.place,
        "region": region_brief(entry.region),
        "cancelled": entry.is_cancelled,
        "demo": entry.is_demo,
        "certainty": certainty_data(entry.certainty),
        "summary": entry.summary,
        "description": entry.description,
        "stream_url": entry.stream_url,
        "speakers": list(entry.speakers),
        "updated": moment(entry.updated),
    }


def edition_data(edition: Edition) -> dict:
    return {
        "year": edition.year,
        "title": edition.title_i18n,
        "motto": edition.motto_i18n,
        "first_day": edition.first_day.isoformat(),
        "last_day": edition.last_day.isoformat(),
        "quality_day": edition.quality_day.isoformat(),
        "url": absolute(reverse("events:api_edition", args=[edition.year])),
        "schedule_xml": absolute(
            reverse("events:edition_schedule", args=[edition.year, "xml"])
        ),
        "schedule_json": absolute(
            reverse("events:edition_schedule", args=[edition.year, "json"])
        ),
    }


def region_data(region: Region) -> dict:
    return {
        "code": region.code,
        "name": region.name_i18n,
        "federal_district": region.federal_district,
        "federal_district_label": (
            str(Region.FederalDistrict(region.federal_district).label)
            if region.federal_district
            else ""
        ),
        "url": absolute(region.get_absolute_url()),
        "calendar_url": absolute(reverse("events:region_ics", args=[region.code])),
    }


# The programme's own events.


def event_data(event: Event) -> dict:
    """A published event (with what `for_schedule()` loads): its entry, and
    what only events have."""
    from .programme import EventSource

    venue = event.venue
    return {
        **entry_data(EventSource().entry(event)),
        "slug": event.slug,
        "calendar_url": absolute(reverse("events:ics", args=[event.slug])),
        "parent": event.parent.slug if event.parent_id else None,
        "venue": (
            {
                "name": venue.name_i18n,
                "address": venue.address_i18n,
                "latitude": float(venue.latitude) if venue.has_coordinates else None,
                "longitude": float(venue.longitude) if venue.has_coordinates else None,
            }
            if venue
            else None
        ),
        "speakers_detail": [
            {
                "name": speaker.name_i18n,
                "position": speaker.position_i18n,
                "organisation": speaker.organisation_i18n,
            }
            for speaker in event.speakers.all()
        ],
        "organisers": [
            {
                "name": organiser.name_i18n,
                "short_name": organiser.short_name_i18n,
                "website": organiser.website,
            }
            for organiser in event.organisers.all()
        ],
        "takes_registrations": event.takes_registrations,
    }


def _events(edition: Edition):
    return Event.objects.published().of_edition(edition).for_schedule()


def _find_event(slug: str):
    return Event.objects.published().for_schedule().filter(slug=slug).first()


def entries_of(edition: Edition, filters: dict | None = None) -> Iterable[dict]:
    return [entry_data(entry) for entry in entries.filtered(edition, filters or {})]


EVENT_SCHEMA = {
    "type": "object",
    "required": [
        "slug",
        "calendar_url",
        "parent",
        "venue",
        "speakers_detail",
        "organisers",
        "takes_registrations",
    ],
    "properties": {
        "slug": {"type": "string"},
        "calendar_url": {"type": "string", "format": "uri"},
        "parent": {
            "type": ["string", "null"],
            "description": "the slug of the event it is part of",
        },
        "venue": {
            "type": ["object", "null"],
            "properties": {
                "name": {"type": "string"},
                "address": {"type": "string"},
                "latitude": {"type": ["number", "null"]},
                "longitude": {"type": ["number", "null"]},
            },
        },
        "speakers_detail": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "position": {"type": "string"},
                    "organisation": {"type": "string"},
                },
            },
        },
        "organisers": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "short_name": {"type": "string"},
                    "website": {"type": "string"},
                },
            },
        },
        "takes_registrations": {"type": "boolean"},
    },
}


register(
    Collection(
        name="events",
        title=_("Events"),
        rows=_events,
        find=_find_event,
        item=event_data,
        schema=EVENT_SCHEMA,
    )
)
