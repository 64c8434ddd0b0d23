from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("programme")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from qualityweek import imprint, placeholders
        from qualityweek.models import DataOperator

        from . import caching, entries, participation, programme, region_report
        from .models import (
            Edition,
            EmbedOrigin,
            Event,
            Idea,
            Material,
            Organiser,
            Region,
            RegionalParticipation,
            Speaker,
            Venue,
        )

        caching.watch(
            Edition,
            Idea,
            RegionalParticipation,
            Event,
            Material,
            Venue,
            Organiser,
            Speaker,
            Region,
            Event.speakers.through,
            Event.organisers.through,
            # Every page's footer names the operator: an edit reaches them all.
            DataOperator,
            # The sites allowed to frame the embeds: their pages' headers name them.
            EmbedOrigin,
        )
        entries.register(programme.EventSource())
        participation.register_results(
            participation.RegionResults(
                "programme",
                title=_("The programme"),
                results=region_report.programme_results,
            )
        )
        imprint.register(current_imprint)
        placeholders.register("demo events", demo_events)
        # The footer of every page and letter reads the current edition's imprint.
        post_save.connect(forget_imprint, sender=Edition, dispatch_uid="imprint-save")
        post_delete.connect(
            forget_imprint, sender=Edition, dispatch_uid="imprint-delete"
        )


def current_imprint():
    """The current edition's contact address and official sites, for the ground."""
    from qualityweek import imprint

    from .models import Edition

    edition = Edition.objects.current()
    return edition.imprint() if edition else imprint.NOTHING_SET


def forget_imprint(**kwargs):
    from qualityweek import imprint

    imprint.forget()


def demo_events():
    """The current edition's published demo events, for the deploy check."""
    from django.utils.translation import gettext

    from qualityweek import placeholders

    from .models import Edition, Event

    edition = Edition.objects.current()
    if edition is None:
        return []
    events = Event.objects.published().filter(edition=edition, is_demo=True)
    return [
        placeholders.Item(
            placeholders.DEMO,
            gettext("Demo event “%(title)s” is published") % {"title": event.title},
            placeholders.admin_url(event),
        )
        for event in events.order_by("start", "pk")
    ]
