from django.core.management import BaseCommand, call_command

from events.models import Edition


class Command(BaseCommand):
    help = (
        "Load the shipped 2023 edition once. Later runs leave it alone, so organisers' "
        "edits survive `make run`; `loaddata quality_week_2023` reloads it on purpose."
    )

    def handle(self, *args, **options):
        if Edition.objects.filter(year=2023).exists():
            self.stdout.write("The 2023 edition is already loaded.")
            return
        call_command("loaddata", "quality_week_2023", verbosity=options["verbosity"])
