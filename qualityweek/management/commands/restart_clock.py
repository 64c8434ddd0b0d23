from django.conf import settings
from django.core.management import BaseCommand

from qualityweek import clock


class Command(BaseCommand):
    help = (
        "Start the simulated clock (QUALITYWEEK_CLOCK) afresh from now, for every "
        "process on every host: `make run` does it, so a demo starts at its moment."
    )

    def handle(self, *args, **options):
        if not settings.QUALITYWEEK_CLOCK:
            self.stdout.write(
                "QUALITYWEEK_CLOCK is not set: the site runs on real time."
            )
            return
        clock.restart(settings.QUALITYWEEK_CLOCK)
        self.stdout.write(f"The site clock starts at {settings.QUALITYWEEK_CLOCK} now.")
