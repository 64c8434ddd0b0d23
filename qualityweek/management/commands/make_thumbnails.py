from django.apps import apps
from django.core.management import BaseCommand

from qualityweek import images


class Command(BaseCommand):
    help = (
        "Make the WebP thumbnails of stored photos that have none (uploads make "
        "their own; this is for files stored before, or after THUMBNAIL_WIDTHS "
        "changed, with --again)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--again", action="store_true", help="Make every photo's thumbnails anew."
        )

    def handle(self, *args, again, **options):
        done = failed = 0
        for model in apps.get_models():
            made, refused = images.make_missing_thumbnails(model, again=again)
            done += made
            failed += refused
        self.stdout.write(f"Thumbnails made for {done} images; {failed} failed.")
