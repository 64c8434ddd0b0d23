from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WinnersConfig(AppConfig):
    name = "winners"
    verbose_name = _("«Quality Leader» contest winners")

    def ready(self):
        from events import caching, event_sections, participation
        from events.models import Event
        from qualityweek import personal_data
        from qualityweek.models import ConsentText

        from . import services
        from .models import Winner

        # Winners show on the list, their regions' and the awards' pages and in
        # the sitemap: a consent withdrawn must leave every cached page at once.
        caching.watch(Winner)
        participation.register_section(
            participation.RegionSection(
                "winners",
                "winners/includes/region_section.html",
                items=lambda region, edition: (
                    Winner.objects.published()
                    .of_edition(edition)
                    .in_region(region)
                    .for_listing()
                ),
            )
        )
        event_sections.register(
            event_sections.EventSection(
                "winners",
                "winners/includes/event_section.html",
                # Only the awards ceremony lists winners: any other event's page
                # reads nothing more.
                items=lambda event: (
                    Winner.objects.published().filter(award_event=event).for_listing()
                    if event.kind == Event.Kind.AWARDS
                    else []
                ),
            )
        )

        personal_data.declare(
            "winners",
            Winner,
            services,
            find=services.winners_of,
            title=_("A winner of the «Quality Leader» contest"),
            purpose=_(
                "To publish the contest's winners on the site: the name, the "
                "nomination, the region, a short text and a photo, only with "
                "the winner's separate consent to publish (152-FZ, art. "
                "10.1), which the winner may withdraw at any time."
            ),
            data=_(
                "The winner's full name, photo, nomination, region and a "
                "short text; the e-mail (never published) and the signed "
                "consent to publish."
            ),
            source=_(
                "The contest's organisers, with the consent to publish the "
                "winner signs."
            ),
            kept=_(
                "While the consent to publish is in force; %(days)s days "
                "after it is withdrawn the site erases them by itself."
            ),
            consent_purpose=ConsentText.Purpose.WINNER_PUBLICATION,
            consent_field="",  # a signed paper, kept as a scan on the entry
        )
