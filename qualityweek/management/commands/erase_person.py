from django.core.management import BaseCommand, CommandError

from qualityweek import personal_data


class Command(BaseCommand):
    help = (
        "Erase the personal data of the person with an e-mail address in every part "
        "of the site (152-FZ): registrations stay as counts, a seat for an event "
        "still to come is freed for the waiting list, activations leave the site."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The person's e-mail.")
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, email, interactive, **options):
        if not email.strip():
            raise CommandError("Give the person's e-mail address.")
        if interactive:
            answer = input(
                "This erases the person's data for good. Type 'yes' to go on: "
            )
            if answer != "yes":
                raise CommandError("Nothing erased.")
        counts = personal_data.erase_person(email)
        # The address is not echoed: the output may end up in a cron log.
        self.stdout.write(f"Personal data erased: {personal_data.summary(counts)}.")
