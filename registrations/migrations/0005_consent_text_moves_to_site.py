"""Registrations point at the site's consent texts: the same table, a new model."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0004_registration_created_by_site_clock"),
        ("qualityweek", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="registration",
                    name="consent_text",
                    field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="registrations", to="qualityweek.consenttext", verbose_name="consent text"),
                ),
            ],
            database_operations=[],
        ),
    ]
