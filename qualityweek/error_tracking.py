"""Error reports to a Sentry-compatible tracker (Sentry, self-hosted or not, or
GlitchTip), when SENTRY_DSN is set; nothing is sent otherwise.

A report names the failure, never the person (152-FZ): no request body (a
sign-up's body is a person), no local variables of the stack (they hold rows
and forms), no cookies, user or client address (`send_default_pii=False`), and
`scrub()` blanks whatever still looks like an e-mail address, a phone number or
a token (the registration links carry one) in the URL, the query, the headers,
the messages and the breadcrumbs. Each report carries the request ID, to find
its request in the logs.
"""

import re

from . import request_id

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A run of digits with the separators people type; replaced only when it holds
# ten digits or more (a phone, an INN), so dates and counts stay readable.
PHONE = re.compile(r"\+?\d[\d ()\-]{8,}\d")
# Tokens, signed links, session and CSRF values: long runs of URL-safe
# characters with both letters and digits, as no word of the site's URLs has.
TOKEN = re.compile(r"[A-Za-z0-9_\-:.~]{20,}")
# The parts of an event that hold what came from outside; the stack's file
# and function names, ids and timings are left alone.
SCRUBBED_PARTS = ("request", "exception", "logentry", "message", "breadcrumbs", "extra")


def _phone(match: re.Match) -> str:
    digits = sum(character.isdigit() for character in match.group())
    return "[phone]" if digits >= 10 else match.group()


def _token(match: re.Match) -> str:
    text = match.group()
    looks_random = any(c.isdigit() for c in text) and any(c.isalpha() for c in text)
    return "[token]" if looks_random else text


def scrub_text(text: str) -> str:
    text = EMAIL.sub("[email]", text)
    text = TOKEN.sub(_token, text)
    return PHONE.sub(_phone, text)


def scrub_value(value):
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: scrub_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrub_value(item) for item in value]
    return value


def scrub(event, hint=None):
    """Sentry's before_send: the event without a person's data, with the ID of
    the request (or of the request that queued the task) as a tag."""
    for part in SCRUBBED_PARTS:
        if part in event:
            event[part] = scrub_value(event[part])
    current = request_id.current.get()
    if current:
        event.setdefault("tags", {})["request_id"] = current
    return event


def scrub_breadcrumb(crumb, hint=None):
    return scrub_value(crumb)


def init(*, dsn: str, environment: str, release: str, **options) -> None:
    """Start reporting: from the settings, only when SENTRY_DSN is set."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import ignore_logger

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        before_send=scrub,
        before_breadcrumb=scrub_breadcrumb,
        # Errors only: no performance traces leave the site.
        traces_sample_rate=0,
        **options,
    )
    # Every scanner that asks for the site by its IP address is logged as an
    # error there; a report each would drown the real ones.
    ignore_logger("django.security.DisallowedHost")
