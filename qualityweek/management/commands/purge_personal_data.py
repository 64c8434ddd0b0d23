from django.core.management import BaseCommand, CommandError

from qualityweek import personal_data


class Command(BaseCommand):
    help = (
        "Erase the personal data of everything whose purpose ended more than --days "
        "days ago, in every part of the site (for a daily cron): registrations of "
        "events that ended, activations of weeks that ended."
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
        counts = personal_data.purge_personal_data(older_than_days=days)
        self.stdout.write(f"Personal data erased: {personal_data.summary(counts)}.")
