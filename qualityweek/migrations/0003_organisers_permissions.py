"""The organisers keep publishing consent texts, now the site's own model."""

from django.db import migrations

from qualityweek.migration_helpers import grant

CONSENT_PERMISSIONS = {"qualityweek": {"consenttext": ["add", "change", "view"]}}


def add_consent_permissions(apps, schema_editor):
    grant(apps, "Organisers", CONSENT_PERMISSIONS)
    # The model's old name and its permissions name nothing now.
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="registrations", model="consenttext").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("qualityweek", "0002_consent_text_purpose"),
        ("registrations", "0002_organisers_permissions"),
    ]

    operations = [
        migrations.RunPython(add_consent_permissions, migrations.RunPython.noop),
    ]
