"""Organisers enter winners and withdraw their consent to publish; nobody but a
superuser deletes one (withdrawal and erasure take it off the site). Personal
data officers see winners, to export and erase their data."""

from django.db import migrations

from qualityweek.migration_helpers import grant

ORGANISER_PERMISSIONS = {"winners": {"winner": ["add", "change", "view"]}}
OFFICER_PERMISSIONS = {"winners": {"winner": ["view"]}}


def add_permissions(apps, schema_editor):
    grant(apps, "Organisers", ORGANISER_PERMISSIONS)
    grant(apps, "Personal data officers", OFFICER_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("winners", "0001_initial"),
        ("qualityweek", "0006_personal_data_officers"),
        ("events", "0002_reference_data"),
    ]

    operations = [
        migrations.RunPython(add_permissions, migrations.RunPython.noop),
    ]
