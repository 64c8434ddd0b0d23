"""Production hardening, the content security policy and logging."""

from csp.constants import NONE, SELF

from .base import DEBUG, env

# Production hardening: on when DEBUG is off, so `check --deploy` stays quiet.
# QUALITYWEEK_SECURE=0 is for a trial on plain HTTP (deploy/compose.yaml) only:
# there HTTPS redirects and Secure cookies would leave nothing usable.
SECURE = env.bool("QUALITYWEEK_SECURE", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = SECURE
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every page, the admin's too, runs only the site's own files: no inline script or
# style, nothing from another host (PRODUCT.md), so an injected tag does nothing.
# data: images are Bootstrap's and the admin's SVG icons inside their CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
CSRF_FAILURE_VIEW = "qualityweek.views.csrf_failure"
# /healthz answers plain HTTP to the load balancer on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The secret part of a participant's, an activation's or a venue's link never
    # reaches a log line (qualityweek/secret_paths.py): on the handler for every
    # line that reaches it, and on the loggers that name the path, before any
    # handler of theirs (Django's own, a test's) sees it.
    "filters": {"secret_paths": {"()": "qualityweek.secret_paths.SecretPathFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["secret_paths"],
        },
        # Django's own for runserver's request lines, which naming the logger
        # here would otherwise drop.
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["secret_paths"],
        },
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.request": {"filters": ["secret_paths"]},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["secret_paths"],
        },
        "django.security.csrf": {"filters": ["secret_paths"]},
        "django.db.backends": {"level": "WARNING"},
        # Its version on every start, in every command's output: no news.
        "axes.apps": {"level": "WARNING"},
        # fpdf2's font subsetting (the PDF ticket) reports every table it prunes.
        "fontTools": {"level": "WARNING"},
    },
}
