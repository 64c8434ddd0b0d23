"""The secret parts of the site's links, masked wherever a path is logged.

A participant's page and cancel link, the confirmation link, an activation's
edit link and a venue's page work for whoever has them: a log that kept them
would hand them to everyone who reads it. gunicorn's access log
(gunicorn.conf.py), Django's own log lines (settings' LOGGING) and nginx's
access log (deploy/nginx.conf, whose map holds the same expressions in nginx's
syntax) write `<secret>` in their place. Every route with a `<token:…>` or a
`<signed:…>` part must be matched here (tests/qualityweek/test_secret_paths.py
walks the URLconf).

No Django import: gunicorn's configuration reads this before the site loads.
"""

import logging
import re

MASK = "<secret>"
# One path segment: what a token (URL-safe base64) or a signed value (with
# colons) is made of, and anything else up to the next separator.
_SEGMENT = r"[^/?#\s\"']+"
# Word boundary before the route's name: the language prefix (/en/), a full
# URL in a Referer, or a log line's text may stand before it.
SECRET_PATHS = [
    # registrations/confirm/<signed>/
    re.compile(rf"(?<![\w-])(registrations/confirm/){_SEGMENT}"),
    # registrations/<token>/ and its email/, qr.svg, ticket.pdf, cancel/ (not
    # the admin's /admin/registrations/…)
    re.compile(
        rf"(?<![\w-])(?<!admin/)(registrations/)(?!(?:check-email|confirm)(?:[/?#\s\"']|$))"
        rf"{_SEGMENT}"
    ),
    # activations/edit/<signed>/
    re.compile(rf"(?<![\w-])(activations/edit/){_SEGMENT}"),
    # regional-venues/<signed>/ (but the form and its receipt)
    re.compile(
        rf"(?<![\w-])(regional-venues/)(?!(?:new|sent)(?:[/?#\s\"']|$)){_SEGMENT}"
    ),
    # checkin/<code>/: the ticket code the door's scanner opens (staff only, but
    # it names a person's ticket).
    re.compile(rf"(?<![\w-])(checkin/){_SEGMENT}"),
    # survey/<token>/: a person's survey after an event, answered once.
    re.compile(rf"(?<![\w-])(survey/){_SEGMENT}"),
    # my/<token>/: a visitor's week (but the add button's my/add/).
    re.compile(rf"(?<![\w-])(my/)(?!add(?:[/?#\s\"']|$)){_SEGMENT}"),
    # certificates/pdf/<signed>/ (the full name) and certificates/<code>/.
    re.compile(rf"(?<![\w-])(certificates/pdf/){_SEGMENT}"),
    re.compile(rf"(?<![\w-])(certificates/)(?!pdf/){_SEGMENT}"),
]


def mask(text: str) -> str:
    """`text` with the secret part of every link of the site in it masked."""
    for pattern in SECRET_PATHS:
        text = pattern.sub(lambda match: match.group(1) + MASK, text)
    return text


class SecretPathFilter(logging.Filter):
    """Masks secret links in a log record's message (settings' LOGGING).

    Django's "Not Found: /registrations/<token>/" (django.request), runserver's
    request lines (django.server) and the CSRF refusals name the path.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is logging's to report
            return True
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True
