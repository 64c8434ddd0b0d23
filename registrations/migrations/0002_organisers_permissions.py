"""Give the organisers' group what it needs to run registrations in admin."""

from django.db import migrations

from qualityweek.migration_helpers import grant

# Organisers see and correct registrations and publish consent texts; they never
# delete either: a registration leaves only by cancellation or erasure (152-FZ),
# so that seat counts stay right, and a consent text people agreed to is evidence.
REGISTRATION_PERMISSIONS = {
    "registrations": {
        "registration": ["change", "view"],
        "consenttext": ["add", "change", "view"],
    },
}


def add_registration_permissions(apps, schema_editor):
    grant(apps, "Organisers", REGISTRATION_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_reference_data"),
        ("registrations", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_registration_permissions, migrations.RunPython.noop),
    ]
