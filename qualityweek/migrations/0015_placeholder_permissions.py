"""Organisers see what is still demo or a placeholder, and confirm a shipped value."""

from django.db import migrations

from qualityweek.migration_helpers import grant

PLACEHOLDER_PERMISSIONS = {"qualityweek": {"placeholder": ["view", "delete"]}}


def add_placeholder_permissions(apps, schema_editor):
    grant(apps, "Organisers", PLACEHOLDER_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("qualityweek", "0014_placeholder")]

    operations = [
        migrations.RunPython(add_placeholder_permissions, migrations.RunPython.noop),
    ]
