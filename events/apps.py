import contextlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("programme")

    def ready(self):
        from qualityweek import (
            checks,  # noqa: F401  (registers the site's checks)
            clock,
        )

        from . import caching

        caching.connect_signals()
        # Start a simulated clock now, before gunicorn forks its workers
        # (preload_app): every worker, recycled ones too, then tells the same time.
        with contextlib.suppress(ValueError):  # a mistyped moment: checks.E001 says
            clock.simulated_start()
