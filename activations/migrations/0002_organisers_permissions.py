"""Organisers moderate activations; nobody deletes one (erasure keeps counts)."""

from django.db import migrations

from qualityweek.migration_helpers import grant

ACTIVATION_PERMISSIONS = {"activations": {"activation": ["change", "view"]}}


def add_activation_permissions(apps, schema_editor):
    grant(apps, "Organisers", ACTIVATION_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("activations", "0001_initial")]

    operations = [
        migrations.RunPython(add_activation_permissions, migrations.RunPython.noop),
    ]
