from django.core.management import BaseCommand, CommandError

from registrations import services


class Command(BaseCommand):
    help = (
        "Erase all personal data of the events that ended more than --days days ago "
        "(for a daily cron). The registrations stay as counts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            required=True,
            help="How many days after its end an event keeps its participants' data.",
        )

    def handle(self, *args, days, **options):
        if days < 0:
            raise CommandError("--days cannot be negative.")
        count = services.purge_personal_data(older_than_days=days)
        self.stdout.write(f"Personal data erased from {count} registration(s).")
