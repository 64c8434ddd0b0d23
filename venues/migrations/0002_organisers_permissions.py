"""Organisers moderate venue applications and set the call; nobody deletes an
application (erasure keeps the counts)."""

from importlib import import_module

from django.db import migrations

VENUE_PERMISSIONS = {
    "venues": {
        "venueapplication": ["change", "view"],
        "venuecall": ["add", "change", "view"],
    }
}


def add_venue_permissions(apps, schema_editor):
    reference_data = import_module("events.migrations.0002_reference_data")
    reference_data.grant(apps, "Organisers", VENUE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("venues", "0001_initial")]

    operations = [
        migrations.RunPython(add_venue_permissions, migrations.RunPython.noop),
    ]
