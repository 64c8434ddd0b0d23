from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class VenuesConfig(AppConfig):
    name = "venues"
    verbose_name = _("regional venues")

    def ready(self):
        from events import certificates as site_certificates
        from qualityweek import scheduler as site_scheduler

        from . import certificates

        site_certificates.register(certificates.SOURCE)
        site_scheduler.register(certificates.JOB)

        from events import caching, changes, participation, respondents
        from qualityweek import messages, personal_data
        from qualityweek.models import ConsentText

        from . import audiences, services
        from . import respondents as venue_respondents
        from .models import VenueApplication, VenueCall

        caching.watch(VenueApplication, VenueCall)  # regions' pages list venues
        participation.register_counter(
            participation.Counter(
                "venues",
                rows=lambda edition: VenueApplication.objects.approved().of_edition(
                    edition
                ),
                words=venues_in_words,
            )
        )
        participation.register_section(
            participation.RegionSection(
                "venues",
                "venues/includes/region_section.html",
                items=lambda region, edition: (
                    VenueApplication.objects.approved()
                    .of_edition(edition)
                    .in_region(region)
                    .for_listing()
                ),
            )
        )

        personal_data.declare(
            "venue_applications",
            VenueApplication,
            services,
            find=services.applications_of,
            title=_("A regional venue's application"),
            purpose=_(
                "To consider the venue's application, connect it to the "
                "regional day and write to its two contacts about the "
                "connection; after the day, to send them the venue's "
                "certificate of participation and a link to a short survey. "
                "The contacts are never published."
            ),
            data=_(
                "The names, e-mails and phones of two people: the venue's "
                "contact person and its technical contact."
            ),
            source=_("The regional venue's application form."),
            kept=_(
                "Until the edition's last day, and %(days)s days after "
                "(%(days)s days after the application is refused or "
                "withdrawn); then the site erases them by itself."
            ),
            consent_purpose=ConsentText.Purpose.VENUE_APPLICATION,
            form_url_name="venues:new",
        )
        respondents.register(venue_respondents.SOURCE)
        participation.register_results(
            participation.RegionResults(
                "venues",
                title=_("Regional venues"),
                results=venue_respondents.region_results,
            )
        )
        messages.register(audiences.AUDIENCE)
        changes.register(services.ApprovedVenues())


def venues_in_words(count: int) -> str:
    """Under a region's name in the list of regions."""
    return ngettext(
        "%(counter)s regional venue", "%(counter)s regional venues", count
    ) % {"counter": count}
