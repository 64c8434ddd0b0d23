"""The programme for conference apps: frab's schedule.xml and schedule.json."""

import functools

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition

from .. import caching, frab
from ..models import Edition
from .base import (
    CALENDAR_MAX_AGE,
    _current_edition,
    _event_etag,
    _feed_etag,
    _programme_changed_at,
    _programme_state,
)

FORMATS = {
    "xml": (frab.schedule_xml, frab.XML_CONTENT_TYPE),
    "json": (frab.schedule_json, frab.JSON_CONTENT_TYPE),
}


def public_read(view):
    """A public, read-only resource that any site's script may read (CORS):
    GET and HEAD answer with `Access-Control-Allow-Origin: *`; a browser's
    preflight (OPTIONS, sent for If-None-Match) is answered here; the rest 405."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = (
                "If-None-Match, If-Modified-Since"
            )
            response["Access-Control-Max-Age"] = "86400"
        elif request.method in ("GET", "HEAD"):
            response = view(request, *args, **kwargs)
        else:
            response = HttpResponse(status=405)
            response["Allow"] = "GET, HEAD, OPTIONS"
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
        return response

    return wrapped


def _response(request, edition: Edition, kind: str) -> HttpResponse:
    build, content_type = FORMATS[kind]
    revision, _changed_at = _programme_state(request)
    encoding, content, content_type = caching.get_or_render_encoded(
        request,
        f"frab-{kind}",
        (edition.pk, get_language()),
        lambda: build(edition),
        content_type,
        revision=revision,
    )
    response = HttpResponse(content, content_type=content_type)
    if encoding == "gzip":
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


@public_read
@caching.kept_by_proxy
@cache_control(public=True, max_age=CALENDAR_MAX_AGE)
@condition(etag_func=_feed_etag, last_modified_func=_programme_changed_at)
def schedule_feed(request, kind):
    """The current edition's published programme in a frab format."""
    edition = _current_edition(request)
    if edition is None:
        raise Http404("No edition yet")
    return _response(request, edition, kind)


@public_read
@caching.kept_by_proxy
@cache_control(public=True, max_age=CALENDAR_MAX_AGE)
@condition(etag_func=_event_etag, last_modified_func=_programme_changed_at)
def edition_schedule_feed(request, year, kind):
    """An edition's published programme in a frab format, at an address that
    stays the same after the next edition becomes the current one."""
    edition = get_object_or_404(Edition, year=year)
    return _response(request, edition, kind)
