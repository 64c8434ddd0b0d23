"""The site's own settings (QUALITYWEEK_*): clock, caches, limits, rates, links."""

import ipaddress

from django.core.exceptions import ImproperlyConfigured

from .base import env

# The site clock: an ISO moment makes the whole site behave as if it were then.
QUALITYWEEK_CLOCK = env("QUALITYWEEK_CLOCK")
# Absolute links in feeds, e-mails and calendar UIDs.
QUALITYWEEK_SITE_URL = env("QUALITYWEEK_SITE_URL").rstrip("/")
# How long the rendered programme stays cached; any change by organisers clears it.
QUALITYWEEK_PROGRAMME_CACHE_SECONDS = env.int(
    "QUALITYWEEK_PROGRAMME_CACHE_SECONDS", default=60 * 60
)
# How long a confirmation or cancellation waits for the event's seat lock before
# the visitor is asked to try again (PostgreSQL; SQLite waits its "timeout" in base).
QUALITYWEEK_SEAT_LOCK_TIMEOUT = env.float("QUALITYWEEK_SEAT_LOCK_TIMEOUT", default=10)
# A change of an event's time, place or status is written to the people it
# touches this long after the first edit: several edits make one letter. A new
# stream link reaches those taking part online after as long, the last one only.
QUALITYWEEK_CHANGE_LETTER_DELAY_SECONDS = env.int(
    "QUALITYWEEK_CHANGE_LETTER_DELAY_SECONDS", default=10 * 60
)
# The largest file organisers may publish as a material (brand kits run to hundreds
# of MB). The web server in front must accept a request body this large too.
QUALITYWEEK_MATERIAL_MAX_BYTES = env.int(
    "QUALITYWEEK_MATERIAL_MAX_BYTES", default=200 * 1024 * 1024
)
# The proxies in front (deploy/nginx.conf), as networks: only a request from one
# of them has its X-Forwarded-For believed (qualityweek/client_address.py). Empty:
# no proxy, the peer is the client. A wrong value stops the start, not a request.
try:
    QUALITYWEEK_TRUSTED_PROXIES = [
        str(ipaddress.ip_network(network, strict=False))
        for network in env.list("QUALITYWEEK_TRUSTED_PROXIES", default=[])
        if network.strip()
    ]
except ValueError as error:
    raise ImproperlyConfigured(f"QUALITYWEEK_TRUSTED_PROXIES: {error}") from error
# Sign-up submissions (django-ratelimit's rate syntax), counted in CACHE_URL, so
# several processes share the counts only through a shared cache (Redis). Per
# client address generous: a delegation behind one office address signs up
# together; per e-mail address strict: nobody needs three tries an hour.
QUALITYWEEK_REGISTRATION_RATE = env("QUALITYWEEK_REGISTRATION_RATE", default="100/h")
QUALITYWEEK_REGISTRATION_EMAIL_RATE = env(
    "QUALITYWEEK_REGISTRATION_EMAIL_RATE", default="3/h"
)
# A second sign-up with a registered address sends its owner the link to their
# registration, at most once in so many minutes per registration: whoever knows
# an address cannot flood it. The page answers the same either way.
QUALITYWEEK_ALREADY_REGISTERED_MAIL_MINUTES = env.int(
    "QUALITYWEEK_ALREADY_REGISTERED_MAIL_MINUTES", default=60
)
# A public form sent back sooner than this many seconds after it was shown came
# from a script: it gets the ordinary answer and nothing is stored.
QUALITYWEEK_FORM_MIN_SECONDS = env.float("QUALITYWEEK_FORM_MIN_SECONDS", default=3)
# Uploaded images (qualityweek.images) with more bytes than this are refused unread,
QUALITYWEEK_UPLOAD_MAX_BYTES = env.int(
    "QUALITYWEEK_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024
)
# and with more pixels than this, read from the header before decoding. Pillow's
# own limit (Image.MAX_IMAGE_PIXELS, about 89 million) is a refusal in any case.
QUALITYWEEK_UPLOAD_MAX_PIXELS = env.int(
    "QUALITYWEEK_UPLOAD_MAX_PIXELS", default=25_000_000
)
# How many uploaded images may decode at once on a host (each gunicorn process
# and thread shares the count): a 25-megapixel image takes about 287 MB at its
# peak. An upload that waits 10 seconds for its turn gets a "try again" page.
QUALITYWEEK_IMAGE_DECODES = env.int("QUALITYWEEK_IMAGE_DECODES", default=2)
# Activation form submissions per client address and per contact e-mail address,
# like the sign-up rates above (a ministry announces its region's businesses).
QUALITYWEEK_ACTIVATION_RATE = env("QUALITYWEEK_ACTIVATION_RATE", default="100/h")
QUALITYWEEK_ACTIVATION_EMAIL_RATE = env(
    "QUALITYWEEK_ACTIVATION_EMAIL_RATE", default="5/h"
)
# Venue application submissions per client address and per contact e-mail (a
# regional ministry may apply for several venues of its region).
QUALITYWEEK_VENUE_RATE = env("QUALITYWEEK_VENUE_RATE", default="100/h")
QUALITYWEEK_VENUE_EMAIL_RATE = env("QUALITYWEEK_VENUE_EMAIL_RATE", default="10/h")
# "Send me the link" letters of a visitor's week, per client address and per address.
QUALITYWEEK_MYWEEK_LINK_RATE = env("QUALITYWEEK_MYWEEK_LINK_RATE", default="20/h")
QUALITYWEEK_MYWEEK_LINK_EMAIL_RATE = env(
    "QUALITYWEEK_MYWEEK_LINK_EMAIL_RATE", default="3/h"
)
# How long the link to a venue's own page (its state, the connection
# instructions) works, in days: from an application in September to the day.
QUALITYWEEK_VENUE_LINK_DAYS = env.int("QUALITYWEEK_VENUE_LINK_DAYS", default=180)
# How long after organisers change the connection instructions (or the regional
# day's stream link) approved venues get them, in seconds: the edits of those
# minutes make one letter with the last version.
QUALITYWEEK_VENUE_INSTRUCTIONS_DELAY = env.int(
    "QUALITYWEEK_VENUE_INSTRUCTIONS_DELAY", default=600
)
# How long the link a submitter gets to correct an activation works, in days.
QUALITYWEEK_ACTIVATION_EDIT_DAYS = env.int(
    "QUALITYWEEK_ACTIVATION_EDIT_DAYS", default=60
)
