from django.core.management import BaseCommand, CommandError

from registrations import services


class Command(BaseCommand):
    help = (
        "Remind everyone with a seat at an event on one of the next --days days "
        "(for a daily cron). Each person is reminded once, however often it runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            required=True,
            help="How many days ahead: 2 reminds on the 8th of an event on the 10th.",
        )

    def handle(self, *args, days, **options):
        if days < 0:
            raise CommandError("--days cannot be negative.")
        count = services.send_reminders(days=days)
        self.stdout.write(f"Reminders sent: {count}.")
