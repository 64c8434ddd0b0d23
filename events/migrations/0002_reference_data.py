"""Reference data every installation needs: the regions, the programme revision
counter and the organisers' group with its permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from events.regions_data import REGIONS

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


def grant(apps, group_name, permissions):
    """Give a group permissions, creating them first: migrations run before post_migrate."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    for app_label, models in permissions.items():
        for model, actions in models.items():
            for action in actions:
                group.permissions.add(
                    Permission.objects.get(
                        content_type__app_label=app_label,
                        codename=f"{action}_{model}",
                    )
                )


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
