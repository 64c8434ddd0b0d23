"""The OpenAPI 3.1 document of the programme's JSON API (`/api/v1/…`).

Written by hand, beside the code it describes; each registered collection
(`events.api.register`) adds its two paths. A test walks every path here and
checks that it answers as written.
"""

import copy

from django.conf import settings
from django.utils.translation import gettext

from . import api

VERSION = "1.0.0"
PREFIX = "/api/v1"

ENTRY_SCHEMA = {
    "type": "object",
    "required": [
        "uid",
        "guid",
        "source",
        "title",
        "url",
        "start",
        "end",
        "whole_day",
        "kind",
        "format",
        "place",
        "cancelled",
        "demo",
        "certainty",
    ],
    "properties": {
        "uid": {"type": "string", "description": "the UID of its calendar entry"},
        "guid": {"type": "string", "format": "uuid", "description": "frab's guid"},
        "source": {"type": "string", "examples": ["events", "activations"]},
        "title": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "start": {"type": "string", "format": "date-time"},
        "end": {"type": "string", "format": "date-time"},
        "whole_day": {"type": "boolean"},
        "first_day": {"type": "string", "format": "date"},
        "last_day": {"type": "string", "format": "date"},
        "kind": {"type": "string"},
        "kind_label": {"type": "string"},
        "format": {"type": "string", "enum": ["offline", "online", "hybrid", "tba"]},
        "format_label": {"type": "string"},
        "place": {"type": "string"},
        "region": {"$ref": "#/components/schemas/RegionBrief"},
        "cancelled": {"type": "boolean"},
        "demo": {"type": "boolean"},
        "certainty": {"$ref": "#/components/schemas/Certainty"},
        "summary": {"type": "string"},
        "description": {"type": "string"},
        "stream_url": {"type": "string"},
        "speakers": {"type": "array", "items": {"type": "string"}},
        "updated": {"type": ["string", "null"], "format": "date-time"},
    },
}

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["detail"],
        "properties": {"detail": {"type": "string"}},
    },
    "Certainty": {
        "type": "object",
        "required": [
            "settled",
            "demo",
            "date_to_be_confirmed",
            "time_to_be_confirmed",
            "place_to_be_announced",
            "format_to_be_announced",
            "labels",
        ],
        "properties": {
            "settled": {"type": "boolean"},
            "demo": {"type": "boolean"},
            "date_to_be_confirmed": {"type": "boolean"},
            "time_to_be_confirmed": {"type": "boolean"},
            "place_to_be_announced": {"type": "boolean"},
            "format_to_be_announced": {"type": "boolean"},
            "labels": {"type": "array", "items": {"type": "string"}},
        },
    },
    "RegionBrief": {
        "type": ["object", "null"],
        "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
    },
    "Entry": ENTRY_SCHEMA,
    "Edition": {
        "type": "object",
        "required": [
            "year",
            "title",
            "first_day",
            "last_day",
            "quality_day",
            "url",
            "schedule_xml",
            "schedule_json",
        ],
        "properties": {
            "year": {"type": "integer"},
            "title": {"type": "string"},
            "motto": {"type": "string"},
            "first_day": {"type": "string", "format": "date"},
            "last_day": {"type": "string", "format": "date"},
            "quality_day": {"type": "string", "format": "date"},
            "url": {"type": "string", "format": "uri"},
            "schedule_xml": {"type": "string", "format": "uri"},
            "schedule_json": {"type": "string", "format": "uri"},
        },
    },
    "Region": {
        "type": "object",
        "required": ["code", "name", "federal_district", "url", "calendar_url"],
        "properties": {
            "code": {"type": "string", "pattern": "^[0-9]{2}$"},
            "name": {"type": "string"},
            "federal_district": {"type": "string"},
            "federal_district_label": {"type": "string"},
            "url": {"type": "string", "format": "uri"},
            "calendar_url": {"type": "string", "format": "uri"},
            "counts": {
                "type": "object",
                "additionalProperties": {"type": "integer"},
                "description": "what makes the region take part, one count a kind",
            },
        },
    },
    "RegionDetail": {
        "allOf": [
            {"$ref": "#/components/schemas/Region"},
            {
                "type": "object",
                "required": ["programme"],
                "properties": {
                    "programme": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/Entry"},
                    }
                },
            },
        ],
        "required": ["code", "name", "programme"],
    },
}


def _page_schema(item_ref: str) -> dict:
    return {
        "type": "object",
        "required": ["count", "page", "pages", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer"},
            "page": {"type": "integer"},
            "pages": {"type": "integer"},
            "next": {"type": ["string", "null"], "format": "uri"},
            "previous": {"type": ["string", "null"], "format": "uri"},
            "results": {"type": "array", "items": {"$ref": item_ref}},
        },
    }


def _json(description: str, schema: dict) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


def _not_found() -> dict:
    return _json(gettext("Not found"), {"$ref": "#/components/schemas/Error"})


NOT_MODIFIED = {"description": "Not modified: the If-None-Match ETag still holds"}

EDITION_PARAMETER = {
    "name": "edition",
    "in": "query",
    "required": False,
    "description": "the edition's year; the current edition when left out",
    "schema": {"type": "integer"},
}
PAGE_PARAMETER = {
    "name": "page",
    "in": "query",
    "required": False,
    "schema": {"type": "integer", "minimum": 1, "default": 1},
}


def _list(summary: str, item_ref: str, *, by_edition: bool = True) -> dict:
    parameters = [PAGE_PARAMETER]
    if by_edition:
        parameters = [EDITION_PARAMETER, PAGE_PARAMETER]
    return {
        "get": {
            "summary": summary,
            "parameters": parameters,
            "responses": {
                "200": _json(summary, _page_schema(item_ref)),
                "304": NOT_MODIFIED,
                "404": _not_found(),
            },
        }
    }


def _detail(summary: str, item_ref: str, name: str, pattern: str) -> dict:
    return {
        "get": {
            "summary": summary,
            "parameters": [
                {
                    "name": name,
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "pattern": pattern},
                }
            ],
            "responses": {
                "200": _json(summary, {"$ref": item_ref}),
                "304": NOT_MODIFIED,
                "404": _not_found(),
            },
        }
    }


def document() -> dict:
    """The whole document, in the active language."""
    schemas = copy.deepcopy(SCHEMAS)
    paths = {
        f"{PREFIX}/editions/": _list(
            gettext("Editions"), "#/components/schemas/Edition", by_edition=False
        ),
        f"{PREFIX}/editions/{{year}}/": _detail(
            gettext("An edition"), "#/components/schemas/Edition", "year", "^[0-9]{4}$"
        ),
        f"{PREFIX}/programme/": _list(
            gettext("Everything the programme lists, as the calendar feed does"),
            "#/components/schemas/Entry",
        ),
        f"{PREFIX}/regions/": _list(
            gettext("The regions taking part"), "#/components/schemas/Region"
        ),
        f"{PREFIX}/regions/{{code}}/": _detail(
            gettext("A region and its programme"),
            "#/components/schemas/RegionDetail",
            "code",
            "^[0-9]{2}$",
        ),
    }
    for collection in api.collections():
        name = collection.name.capitalize()
        schemas[name] = {
            "allOf": [{"$ref": "#/components/schemas/Entry"}, collection.schema],
            "required": ENTRY_SCHEMA["required"] + collection.schema["required"],
        }
        ref = f"#/components/schemas/{name}"
        paths[f"{PREFIX}/{collection.name}/"] = _list(str(collection.title), ref)
        paths[f"{PREFIX}/{collection.name}/{{slug}}/"] = _detail(
            str(collection.title), ref, "slug", "^[-a-zA-Z0-9_]+$"
        )
    site = settings.QUALITYWEEK_SITE_URL
    return {
        "openapi": "3.1.0",
        "info": {
            "title": gettext("World Quality Week: programme API"),
            "version": VERSION,
            "description": gettext(
                "Read-only, public data of the published programme: editions, "
                "events, companies' activations and regions. Times are Moscow "
                "time with the offset. Texts come in Russian; under /en/ in "
                "English. Every answer has an ETag; send it back in "
                "If-None-Match to get 304 while nothing has changed. Lists come "
                "in pages. No personal data."
            ),
        },
        "servers": [
            {"url": site, "description": gettext("In Russian")},
            {"url": f"{site}/en", "description": gettext("In English")},
        ],
        "paths": paths,
        "components": {"schemas": schemas},
    }
