from django.core.management import BaseCommand

from registrations import models, services


class Command(BaseCommand):
    help = (
        "Send again the registration e-mails the mail server refused (for a cron "
        "every few minutes). Those still refused stay for the next run."
    )

    def handle(self, *args, **options):
        sent = services.send_pending_emails()
        left = models.Registration.objects.exclude(pending_email="").count()
        self.stdout.write(f"E-mails sent again: {sent}; still waiting: {left}.")
