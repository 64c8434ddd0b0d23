"""Organisers write to registrants and venues, and read what became of it."""

from importlib import import_module

from django.db import migrations

MESSAGE_PERMISSIONS = {"qualityweek": {"message": ["send", "view"]}}


def add_message_permissions(apps, schema_editor):
    reference_data = import_module("events.migrations.0002_reference_data")
    reference_data.grant(apps, "Organisers", MESSAGE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("qualityweek", "0012_organisers_messages")]

    operations = [
        migrations.RunPython(add_message_permissions, migrations.RunPython.noop),
    ]
