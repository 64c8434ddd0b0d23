"""The consent texts move from registrations to the site: the table stays."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("registrations", "0004_registration_created_by_site_clock"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ConsentText",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("version", models.CharField(max_length=20, unique=True, verbose_name="version")),
                        ("text", models.TextField(verbose_name="text")),
                        ("text_en", models.TextField(blank=True, verbose_name="text in English")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                    ],
                    options={
                        "verbose_name": "consent text",
                        "verbose_name_plural": "consent texts",
                        "ordering": ["-created_at"],
                        "db_table": "registrations_consenttext",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
