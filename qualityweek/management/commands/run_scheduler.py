import time

from django.core.management import BaseCommand
from django.db import close_old_connections

from qualityweek import scheduler


class Command(BaseCommand):
    help = (
        "Queue the periodic jobs (reminders, the personal data purge, requeuing "
        "tasks of dead workers) when they are due. Run one on every host if you "
        "like: each job is queued once per cluster."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=30, help="Seconds between ticks."
        )
        parser.add_argument(
            "--once", action="store_true", help="One tick, then exit (for cron)."
        )

    def handle(self, *args, interval, once, **options):
        while True:
            close_old_connections()
            for name in scheduler.tick():
                self.stdout.write(f"Queued {name}.")
            if once:
                return
            time.sleep(interval)
