"""Organisers set the questions and read the answers; nobody edits an answer."""

from django.db import migrations

from qualityweek.migration_helpers import grant

SURVEY_PERMISSIONS = {
    "surveys": {
        "surveyquestion": ["add", "change", "delete", "view"],
        "surveyresponse": ["view"],
    }
}


def add_survey_permissions(apps, schema_editor):
    grant(apps, "Organisers", SURVEY_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [
        migrations.RunPython(add_survey_permissions, migrations.RunPython.noop),
    ]
