"""Organisers name the personal data operator and its contact for requests."""

from importlib import import_module

from django.db import migrations

OPERATOR_PERMISSIONS = {"qualityweek": {"dataoperator": ["add", "change", "view"]}}


def add_operator_permissions(apps, schema_editor):
    reference_data = import_module("events.migrations.0002_reference_data")
    reference_data.grant(apps, "Organisers", OPERATOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("qualityweek", "0009_data_operator")]

    operations = [
        migrations.RunPython(add_operator_permissions, migrations.RunPython.noop),
    ]
