"""Organisers moderate venue applications and set the call; nobody deletes an
application (erasure keeps the counts)."""

from django.db import migrations

from qualityweek.migration_helpers import grant

VENUE_PERMISSIONS = {
    "venues": {
        "venueapplication": ["change", "view"],
        "venuecall": ["add", "change", "view"],
    }
}


def add_venue_permissions(apps, schema_editor):
    grant(apps, "Organisers", VENUE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("venues", "0001_initial")]

    operations = [
        migrations.RunPython(add_venue_permissions, migrations.RunPython.noop),
    ]
