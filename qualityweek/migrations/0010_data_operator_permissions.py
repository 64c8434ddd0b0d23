"""Organisers name the personal data operator and its contact for requests."""

from django.db import migrations

from qualityweek.migration_helpers import grant

OPERATOR_PERMISSIONS = {"qualityweek": {"dataoperator": ["add", "change", "view"]}}


def add_operator_permissions(apps, schema_editor):
    grant(apps, "Organisers", OPERATOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("qualityweek", "0009_data_operator")]

    operations = [
        migrations.RunPython(add_operator_permissions, migrations.RunPython.noop),
    ]
