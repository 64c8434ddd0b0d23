"""Organisers moderate activations; nobody deletes one (erasure keeps counts)."""

from importlib import import_module

from django.db import migrations

ACTIVATION_PERMISSIONS = {"activations": {"activation": ["change", "view"]}}


def add_activation_permissions(apps, schema_editor):
    reference_data = import_module("events.migrations.0002_reference_data")
    reference_data.grant(apps, "Organisers", ACTIVATION_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("activations", "0001_initial")]

    operations = [
        migrations.RunPython(add_activation_permissions, migrations.RunPython.noop),
    ]
