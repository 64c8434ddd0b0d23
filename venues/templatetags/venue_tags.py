"""The venues' part of other apps' pages, so that those apps import no venue."""

from django import template

from .. import services
from ..models import VenueApplication

register = template.Library()


@register.inclusion_tag("venues/includes/regional_day_venues.html")
def regional_day_venues(edition, event=None):
    """The regional day's online half: the approved venues by district and
    region, and where the call for venues stands; given the day's `event`,
    each region far from Moscow reads its time in its own zone too."""
    districts = VenueApplication.objects.approved().of_edition(edition).by_district()
    regions = [region for _label, members in districts for region in members]
    call = services.call_of(edition)
    return {
        "venue_districts": districts,
        "venue_regions_count": len(regions),
        "venues_count": sum(len(venues) for _region, venues in regions),
        "venue_call": call,
        "venue_call_state": str(services.call_state(call)),
        "event": event,
    }
