"""Organisers write to registrants and venues, and read what became of it."""

from django.db import migrations

from qualityweek.migration_helpers import grant

MESSAGE_PERMISSIONS = {"qualityweek": {"message": ["send", "view"]}}


def add_message_permissions(apps, schema_editor):
    grant(apps, "Organisers", MESSAGE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("qualityweek", "0012_organisers_messages")]

    operations = [
        migrations.RunPython(add_message_permissions, migrations.RunPython.noop),
    ]
