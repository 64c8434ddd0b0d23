from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("registrations")

    def ready(self):
        from events import changes
        from qualityweek import messages, personal_data

        from . import audiences, services
        from .models import Registration

        personal_data.register(
            personal_data.Holder(
                label="registrations",
                model=Registration,
                find=services.registrations_of,
                export=services.personal_record,
                erase=services.erase_personal_data,
                due_for_purge=services.due_for_purge,
            )
        )
        changes.register(services.SeatHolders())
        messages.register(audiences.AUDIENCE)
