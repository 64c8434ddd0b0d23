from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("programme")

    def ready(self):
        from . import caching

        caching.connect_signals()
