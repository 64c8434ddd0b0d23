"""What the operator sees: logs, error reports, metrics and readiness."""

import os
import tomllib

from .base import BASE_DIR, MIDDLEWARE, env
from .security import LOGGING, SECURE_REDIRECT_EXEMPT


def project_version() -> str:
    """The site's version, as pyproject.toml gives it (error reports' release)."""
    try:
        with open(BASE_DIR / "pyproject.toml", "rb") as file:
            return tomllib.load(file)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


QUALITYWEEK_VERSION = project_version()

# First: every answer is counted and named, refusals before any view too.
MIDDLEWARE = [
    "qualityweek.metrics.MetricsMiddleware",
    "qualityweek.request_id.RequestIDMiddleware",
    *MIDDLEWARE,
]

# Logs: "plain" (lines with a timestamp, for development) or "json" (one object
# a line, for a log collector). Either way every line names its request (or
# the request whose task it is) by the ID nginx gave it.
QUALITYWEEK_LOG_FORMAT = env("QUALITYWEEK_LOG_FORMAT", default="plain")
LOGGING = {
    **LOGGING,
    "filters": {
        **LOGGING.get("filters", {}),
        "request_id": {"()": "qualityweek.request_id.RequestIDFilter"},
    },
    "formatters": {
        **LOGGING["formatters"],
        "plain": {
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"
        },
        "json": {"()": "qualityweek.log_format.JSONFormatter"},
    },
    "handlers": {
        **LOGGING["handlers"],
        "console": {
            **LOGGING["handlers"]["console"],
            "formatter": "json" if QUALITYWEEK_LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        },
    },
}

# Error reports (qualityweek/error_tracking.py): only with a DSN, of a Sentry
# or a GlitchTip; the environment tells staging's reports from production's.
SENTRY_DSN = env("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", default="production")
if SENTRY_DSN:
    from qualityweek import error_tracking

    error_tracking.init(
        dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT, release=QUALITYWEEK_VERSION
    )

# /metrics: with a token set, only a request that shows it (Authorization:
# Bearer …); without, only the loopback and QUALITYWEEK_TRUSTED_PROXIES.
QUALITYWEEK_METRICS_TOKEN = env("QUALITYWEEK_METRICS_TOKEN", default="")
# prometheus_client reads this itself: an empty directory of each gunicorn
# master (emptied when it starts), where its workers add up their counts.
PROMETHEUS_MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
if PROMETHEUS_MULTIPROC_DIR:
    os.makedirs(PROMETHEUS_MULTIPROC_DIR, exist_ok=True)

# /readyz fails when the oldest task ready to run has waited longer than this,
QUALITYWEEK_READY_MAX_TASK_AGE = env.float(
    "QUALITYWEEK_READY_MAX_TASK_AGE", default=120
)
# or when tasks wait and no worker has started or finished one for this long.
QUALITYWEEK_READY_WORKER_SECONDS = env.float(
    "QUALITYWEEK_READY_WORKER_SECONDS", default=60
)

# Monitors and Prometheus ask on the private network, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [*SECURE_REDIRECT_EXEMPT, r"^readyz$", r"^metrics$"]
