import contextlib

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class QualityWeekConfig(AppConfig):
    """What every app shares: the site clock, the checks, personal data, mail."""

    default = True  # this module holds the admin's config too
    name = "qualityweek"
    verbose_name = _("site")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import (
            accounts,
            checks,  # noqa: F401  (registers the site's checks)
            clock,
            request_id,
        )

        # A staff session's idle time starts at sign-in.
        user_logged_in.connect(accounts.start_idle_time, dispatch_uid="idle_time")
        # Tasks queued during a request carry its ID into the worker's log.
        request_id.connect()
        self.connect_data_operator()

        # Start a simulated clock now, before gunicorn forks its workers
        # (preload_app): every worker, recycled ones too, then tells the same time.
        with contextlib.suppress(ValueError):  # a mistyped moment: checks.E001 says
            clock.simulated_start()

    @staticmethod
    def connect_data_operator():
        """Every page's footer names the operator: an edit reaches them all (the
        programme's page cache watches the model too, from events.apps)."""
        from django.core.cache import cache
        from django.db.models.signals import post_delete, post_save

        from .models import DATA_OPERATOR_CACHE_KEY, DataOperator

        def changed(**kwargs):
            cache.delete(DATA_OPERATOR_CACHE_KEY)

        for signal in (post_save, post_delete):
            signal.connect(
                changed,
                sender=DataOperator,
                weak=False,
                dispatch_uid=f"data-operator-{signal is post_save}",
            )


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin on the organisers' site (qualityweek.admin_site)."""

    default = False  # named in INSTALLED_APPS as "qualityweek.apps.AdminConfig"
    default_site = "qualityweek.admin_site.OrganisersAdminSite"
