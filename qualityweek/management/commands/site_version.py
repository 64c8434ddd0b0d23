from django.conf import settings
from django.core.management import BaseCommand


class Command(BaseCommand):
    help = "Print the site's release (pyproject.toml's version; see CHANGELOG.md)."

    def handle(self, *args, **options):
        self.stdout.write(settings.QUALITYWEEK_VERSION)
