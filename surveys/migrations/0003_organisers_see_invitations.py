"""Organisers read the list of invitations (who was asked, who answered); nobody
edits one."""

from django.db import migrations

from qualityweek.migration_helpers import grant

INVITATION_PERMISSIONS = {"surveys": {"surveyinvitation": ["view"]}}


def add_invitation_permissions(apps, schema_editor):
    grant(apps, "Organisers", INVITATION_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0002_organisers_see_and_set_surveys")]

    operations = [
        migrations.RunPython(add_invitation_permissions, migrations.RunPython.noop),
    ]
