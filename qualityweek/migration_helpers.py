"""What data migrations of every app share; migrations may import this module,
which imports no app (it works on the historical models a migration is given)."""

from django.contrib.auth.management import create_permissions


def grant(apps, group_name, permissions):
    """Give a group permissions, creating them first: migrations run before
    post_migrate, which creates them otherwise."""
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
