"""Personal data officers export and erase venue contacts too.

Their permissions (qualityweek 0006) predate this app: they held the export and
erase permissions but could not see a venue application, so only a superuser
could act on venue contacts. They get here what they hold for registrations and
activations: the view, and nothing they could change.
"""

from django.db import migrations

from qualityweek.migration_helpers import grant

OFFICER_PERMISSIONS = {"venues": {"venueapplication": ["view"]}}


def add_officer_permissions(apps, schema_editor):
    grant(apps, "Personal data officers", OFFICER_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("venues", "0004_venue_call_instructions_changed_at"),
        ("qualityweek", "0006_personal_data_officers"),
    ]

    operations = [
        migrations.RunPython(add_officer_permissions, migrations.RunPython.noop),
    ]
