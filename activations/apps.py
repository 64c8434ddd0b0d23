from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivationsConfig(AppConfig):
    name = "activations"
    verbose_name = _("activations")

    def ready(self):
        from qualityweek import personal_data

        from . import services
        from .models import Activation

        personal_data.register(
            personal_data.Holder(
                label="activations",
                model=Activation,
                find=services.activations_of,
                export=services.personal_record,
                erase=services.erase_personal_data,
                due_for_purge=services.due_for_purge,
            )
        )
