"""Reference data every installation needs: the regions, the programme revision
counter and the organisers' group with its permissions."""

from django.db import migrations

from events.regions_data import REGIONS
from qualityweek.migration_helpers import grant

# What organisers do in admin: run the programme. Regions are reference data they
# read; editions they create and edit but never delete (events cascade from them).
ORGANISER_PERMISSIONS = {
    "events": {
        "event": ["add", "change", "delete", "view"],
        "venue": ["add", "change", "delete", "view"],
        "organiser": ["add", "change", "delete", "view"],
        "speaker": ["add", "change", "delete", "view"],
        "edition": ["add", "change", "view"],
        "region": ["view"],
    },
}


def add_regions(apps, schema_editor):
    Region = apps.get_model("events", "Region")
    for code, name, name_en in REGIONS:
        Region.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en})


def add_revision(apps, schema_editor):
    apps.get_model("events", "ProgrammeRevision").objects.get_or_create(pk=1)


def add_organisers_group(apps, schema_editor):
    grant(apps, "Organisers", ORGANISER_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(add_regions, migrations.RunPython.noop),
        migrations.RunPython(add_revision, migrations.RunPython.noop),
        migrations.RunPython(add_organisers_group, migrations.RunPython.noop),
    ]
