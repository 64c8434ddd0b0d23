# The purpose of the consent a contest winner signs to be published (winners).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("qualityweek", "0016_worker_heartbeat"),
    ]

    operations = [
        migrations.AlterField(
            model_name="consenttext",
            name="purpose",
            field=models.CharField(
                choices=[
                    ("registration", "registration to attend in person"),
                    ("activation", "a company's activation"),
                    ("venue_application", "a regional venue's application"),
                    ("winner_publication", "publication of a contest winner"),
                ],
                default="registration",
                max_length=20,
                verbose_name="purpose",
            ),
        ),
    ]
