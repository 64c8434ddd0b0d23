"""The registrations' part in the week's afterwards: the participants checked in
at an event are asked about it (events.respondents), and a region's results
count the people registered and let in from it (events.participation)."""

from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events import participation, respondents

from .emails import addressee
from .models import Registration

LABEL = "registrations"


def _respondent(registration: Registration) -> respondents.Respondent:
    return respondents.Respondent(
        pk=registration.pk,
        email=registration.email,
        name=addressee(registration),
        language=registration.language,
        region_id=registration.region_id,
    )


def checked_in(event) -> list[respondents.Respondent]:
    """Who was let in at the event, their data not erased."""
    rows = Registration.objects.checked_in().filter(event=event, erased_at__isnull=True)
    return [_respondent(registration) for registration in rows.order_by("pk")]


def find(pk: int) -> respondents.Respondent | None:
    registration = Registration.objects.filter(pk=pk, erased_at__isnull=True).first()
    return _respondent(registration) if registration else None


SOURCE = respondents.Source(
    LABEL,
    respondents=checked_in,
    find=find,
    kind=_("participant checked in"),
)


def region_results(region, edition) -> list[participation.Result]:
    """People of the region registered for the edition's events, and let in."""
    figures = Registration.objects.filter(
        event__edition=edition, region=region
    ).aggregate(
        registered=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    return [
        participation.Result(
            gettext("People registered, a seat confirmed"), figures["registered"]
        ),
        participation.Result(
            gettext("People checked in at the door"), figures["checked_in"]
        ),
    ]
