import logging
import time

from django.core.management import BaseCommand
from django.db import InterfaceError, OperationalError, close_old_connections

from qualityweek import scheduler

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Queue the periodic jobs (reminders, the personal data purge) when they "
        "are due, and take back the tasks of dead workers. Run one on every host "
        "if you like: each job is queued once per cluster."
    )

    def add_arguments(self, parser):
        # Each tick takes back the tasks of dead workers: often enough for a
        # letter held by a killed worker to go within the minute.
        parser.add_argument(
            "--interval", type=float, default=15, help="Seconds between ticks."
        )
        parser.add_argument(
            "--once", action="store_true", help="One tick, then exit (for cron)."
        )

    def handle(self, *args, interval, once, **options):
        while True:
            close_old_connections()
            try:
                for name in scheduler.tick():
                    self.stdout.write(f"Queued {name}.")
            except (InterfaceError, OperationalError):
                if once:
                    raise
                # A database restart: the next tick tries again, on a new
                # connection (close_old_connections drops the broken one).
                logger.warning("Scheduler: database unavailable", exc_info=True)
            if once:
                return
            time.sleep(interval)
