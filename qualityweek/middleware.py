"""Requests whose path or query no page could mean are refused before any view."""

import re
from urllib.parse import unquote_to_bytes

from django.views.defaults import bad_request

# Longer than any slug, token or signed link of the site (a file name: 100).
MAX_SEGMENT = 255
# Far beyond the schedule's filters and the admin's, kept through its links.
MAX_QUERY = 4096
# Django's handler writes the bytes of a path that are not UTF-8 back as %XX
# (`/registrations/%ff/` arrives as the text "/registrations/%FF/"); no route of
# the site has a percent sign in it, so one is always such a leftover.
PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


def is_malformed(path: str, query: str) -> bool:
    """NUL, text that is not UTF-8, or sizes no page uses."""
    if "\x00" in path or PERCENT_ESCAPE.search(path):
        return True
    if len(query) > MAX_QUERY:
        return True
    if any(len(segment) > MAX_SEGMENT for segment in path.split("/")):
        return True
    # The query string is still percent-encoded, as the client sent it.
    raw = unquote_to_bytes(query.replace("+", " "))
    try:
        raw.decode()
    except UnicodeDecodeError:
        return True
    return b"\x00" in raw


class MalformedRequestMiddleware:
    """400 for a path or query string with NUL, invalid UTF-8 or oversize parts.

    PostgreSQL refuses NUL in text ("A string literal cannot contain NUL"), so a
    lookup of `/registrations/%00/` was a 500; invalid UTF-8 and huge values are
    no page's either. Refused here, no view or database ever sees them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if is_malformed(request.path_info, query):
            return bad_request(request, exception=None)
        return self.get_response(request)
