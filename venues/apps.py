from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    name = "venues"
    verbose_name = _("regional venues")

    def ready(self):
        from events import changes
        from qualityweek import messages, personal_data

        from . import audiences, services
        from .models import VenueApplication

        personal_data.register(
            personal_data.Holder(
                label="venue_applications",
                model=VenueApplication,
                find=services.applications_of,
                export=services.personal_record,
                erase=services.erase_personal_data,
                due_for_purge=services.due_for_purge,
            )
        )
        messages.register(audiences.AUDIENCE)
        changes.register(services.ApprovedVenues())
