"""The venues' part in the week's afterwards: the approved venues of the
regional day are asked about it (events.respondents), and a region's results
count its venues (events.participation)."""

from django.db.models import Count, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events import participation, respondents
from events.models import Event

from .models import VenueApplication

LABEL = "venues"


def _respondent(application: VenueApplication) -> respondents.Respondent:
    return respondents.Respondent(
        pk=application.pk,
        email=application.email,
        name=application.contact_name,
        language=application.language,
        region_id=application.region_id,
    )


def connected(event) -> list[respondents.Respondent]:
    """The approved venues of the edition, when the event is its regional day."""
    if event.kind != Event.Kind.REGIONAL_DAY:
        return []
    rows = VenueApplication.objects.approved().of_edition(event.edition_id)
    return [_respondent(application) for application in rows.order_by("pk")]


def find(pk: int) -> respondents.Respondent | None:
    application = VenueApplication.objects.approved().filter(pk=pk).first()
    return _respondent(application) if application else None


SOURCE = respondents.Source(
    LABEL, respondents=connected, find=find, kind=_("regional venue")
)


def region_results(region, edition) -> list[participation.Result]:
    venues = VenueApplication.objects.approved().of_edition(edition).in_region(region)
    figures = venues.aggregate(count=Count("pk"), audience=Sum("audience"))
    return [
        participation.Result(gettext("Venues of the regional day"), figures["count"]),
        participation.Result(
            gettext("Their expected audience"), figures["audience"] or 0
        ),
    ]
