"""Events point at the site's consent texts: the same table, a new model."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_capitalised_kind_labels"),
        ("qualityweek", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="event",
                    name="consent_text",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="events", limit_choices_to={"purpose": "registration"}, to="qualityweek.consenttext", verbose_name="consent text in force"),
                ),
            ],
            database_operations=[],
        ),
    ]
