"""Only personal data officers export or erase people's data (152-FZ).

Organisers keep running registrations and activations; exporting a person's
data, taking lists of attendees out of the site and erasing anyone are the
officers' alone. They see what they act on, and change nothing else.
"""

from django.db import migrations

from qualityweek.migration_helpers import grant

PERSONAL_DATA_OFFICERS = "Personal data officers"
OFFICER_PERMISSIONS = {
    # export_personal_data and erase_personal_data, declared on ConsentText.
    "qualityweek": {"personal_data": ["export", "erase"]},
    "registrations": {"registration": ["view"]},
    "activations": {"activation": ["view"]},
}


def add_personal_data_officers(apps, schema_editor):
    grant(apps, PERSONAL_DATA_OFFICERS, OFFICER_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("qualityweek", "0005_periodic_run"),
        ("registrations", "0007_mail_goes_through_the_task_queue"),
        ("activations", "0002_organisers_permissions"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="consenttext",
            options={
                "ordering": ["-created_at"],
                "permissions": [
                    ("export_personal_data", "Can export people's personal data"),
                    ("erase_personal_data", "Can erase people's personal data"),
                ],
                "verbose_name": "consent text",
                "verbose_name_plural": "consent texts",
            },
        ),
        migrations.RunPython(add_personal_data_officers, migrations.RunPython.noop),
    ]
