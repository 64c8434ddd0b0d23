"""Organisers see what is still demo or a placeholder, and confirm a shipped value."""

from importlib import import_module

from django.db import migrations

PLACEHOLDER_PERMISSIONS = {"qualityweek": {"placeholder": ["view", "delete"]}}


def add_placeholder_permissions(apps, schema_editor):
    reference_data = import_module("events.migrations.0002_reference_data")
    reference_data.grant(apps, "Organisers", PLACEHOLDER_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("qualityweek", "0014_placeholder")]

    operations = [
        migrations.RunPython(add_placeholder_permissions, migrations.RunPython.noop),
    ]
