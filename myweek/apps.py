import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MyWeekConfig(AppConfig):
    name = "myweek"
    verbose_name = _("my week")

    def ready(self):
        from qualityweek import scheduler

        from .services import KEPT_UNUSED_DAYS

        scheduler.register(
            scheduler.Job(
                "purge_unused_selections",
                "myweek.tasks.purge_unused_selections",
                {"older_than_days": KEPT_UNUSED_DAYS},
                at=datetime.time(5, 0),
            )
        )
