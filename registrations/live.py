"""The event page's live state, as registrations fill the programme's hook
(`events.live`): where the registration stands, the seats left, and what
search engines are told of the offer."""

from django.db.models import Exists
from django.urls import reverse

from events import live
from qualityweek.models import ConsentText

from . import services

Availability = services.Availability

# schema.org's word for each state of the registration; a waiting list is not a
# seat, and what has closed, is over or is cancelled offers nothing.
SCHEMA_AVAILABILITY = {
    Availability.OPEN: "InStock",
    Availability.NOT_OPEN_YET: "PreOrder",
    Availability.FULL: "SoldOut",
    Availability.SOLD_OUT: "SoldOut",
}


def annotations() -> dict:
    """Whether a consent text for registration is in force, beside the seats."""
    return {
        "default_consent": Exists(
            ConsentText.objects.for_purpose(ConsentText.Purpose.REGISTRATION)
        )
    }


def state(event, *, default_consent: bool) -> tuple[str, int | None, str]:
    has_consent = bool(event.consent_text_id or default_consent)
    return services.live_state(event, has_consent=has_consent)


def offer(event, availability: str) -> tuple[str, str | None]:
    sign_up = None
    if availability == Availability.ONLINE_ONLY:
        # No hall: the offer is taking part online, in its own window.
        availability = services.online_availability(event)
        if availability in Availability.TAKING:
            sign_up = reverse("registrations:online", args=[event.slug])
    elif availability in Availability.TAKING:
        sign_up = reverse("registrations:register", args=[event.slug])
    return SCHEMA_AVAILABILITY.get(availability, "SoldOut"), sign_up


PROVIDER = live.Provider(
    fields=services.SEAT_FIELDS,
    annotations=annotations,
    state=state,
    availability=services.availability,
    offer=offer,
)
