"""The site's own error pages that read nothing but templates: 400 for a
request it cannot read, 503 while it cannot serve a page for a moment.

Both are rendered without a RequestContext, so no context processor runs: a 400
may come from a request whose Host is not the site's (every absolute link would
raise again), a 503 from a database that does not answer.

During a database outage any view, template or context processor that reads
the database raises OperationalError or InterfaceError (a connection refused,
lost, or not had from the pool in time); an upload waiting too long for its
turn to decode raises images.DecodingBusy. `OutageMiddleware` answers those
raised from views and templates; `server_error` (handler500) those raised in
middleware, such as a staff session read before the view. The page is rendered
without the request, so nothing on it reads the database: no context processor,
session or user.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.template import loader
from django.urls import translate_url
from django.utils.translation import get_language
from django.views import defaults

from .images import DecodingBusy

logger = logging.getLogger(__name__)

# What a browser or a crawler is told to wait before asking again, in seconds.
RETRY_AFTER_SECONDS = 30


def is_outage(error: BaseException | None) -> bool:
    """Whether `error` means "try again in a moment" rather than a fault."""
    return isinstance(error, OperationalError | InterfaceError | DecodingBusy)


def response(request) -> HttpResponse:
    """The site's own 503 page with Retry-After, read from templates alone."""
    current = get_language()
    path = request.get_full_path()
    languages = [
        {
            "code": code,
            "name": name,
            "url": translate_url(path, code),
            "is_current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]
    # A plain context, not a RequestContext: the request's own attributes only.
    body = loader.render_to_string(
        "503.html", {"request": request, "site_languages": languages}
    )
    answer = HttpResponse(body, status=503)
    answer["Retry-After"] = str(RETRY_AFTER_SECONDS)
    answer["Cache-Control"] = "no-store"
    return answer


class OutageMiddleware:
    """A view or template that cannot reach the database answers the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_outage(exception):
            return None
        # The type only: a path may carry a secret link, a message a host name.
        logger.warning("Answered 503 (%s)", type(exception).__name__)
        return response(request)


def bad_request(request, exception):
    """handler400: the site's page in the visitor's language (LocaleMiddleware
    has already chosen it), with nothing read from the request."""
    return HttpResponseBadRequest(loader.render_to_string("400.html"))


def server_error(request):
    """handler500: an outage met in a middleware is a 503 too; anything else is
    Django's 500 page (templates/500.html)."""
    if is_outage(sys.exc_info()[1]):
        return response(request)
    return defaults.server_error(request)
