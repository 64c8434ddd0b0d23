"""schema.org data for search engines: an event's page and the week's own.

Google shows an event in its results only with a location fitting the event's
attendance mode (a Place for people, a VirtualLocation for screens, both for a
mixed one) and an offer; everything here comes from the programme and the
address, so that it can sit in a page cached for every visitor.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext

from qualityweek import seo

from . import certainty, live
from .models import Edition, Event, Organiser

SCHEMA = "https://schema.org/"
ATTENDANCE_MODES = {
    Event.Format.ONLINE: "OnlineEventAttendanceMode",
    Event.Format.OFFLINE: "OfflineEventAttendanceMode",
    Event.Format.HYBRID: "MixedEventAttendanceMode",
}


def event_data(request, event: Event, state: str) -> dict | None:
    """The event as schema.org's Event; `state` is its registration's availability.

    None for what search engines must not be told as fact: demo content, and an
    event whose very day is not certain. A day without certain hours is given
    as a date; no status is claimed for it, nor a way to attend not announced.
    """
    marks = certainty.of(event)
    if marks.demo or marks.date_tba:
        return None
    url = request.build_absolute_uri(event.get_absolute_url())
    if marks.time_tba:
        start, end = event.local_start.date(), event.last_day
    else:
        start, end = event.local_start, event.local_end
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title_i18n,
        "startDate": start.isoformat(),
        "endDate": end.isoformat(),
        "url": url,
        "inLanguage": get_language(),
        "image": [seo.default_image_url(request, get_language())],
    }
    if event.format in ATTENDANCE_MODES:
        data["eventAttendanceMode"] = SCHEMA + ATTENDANCE_MODES[event.format]
    if event.is_cancelled:
        data["eventStatus"] = SCHEMA + "EventCancelled"
    elif marks.settled:
        data["eventStatus"] = SCHEMA + "EventScheduled"
    if event.takes_registrations:
        data["offers"] = offer(request, event, state, url)
    if event.summary_i18n or event.description_i18n:
        data["description"] = event.summary_i18n or event.description_i18n[:300]
    locations = []
    if event.is_in_person:
        place = event_place(event)
        if place:
            locations.append(place)
    if event.is_online:
        locations.append({"@type": "VirtualLocation", "url": event.stream_url or url})
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    organisers = [organisation(organiser) for organiser in event.organisers.all()]
    if organisers:
        data["organizer"] = organisers
    performers = [
        {"@type": "Person", "name": speaker.name_i18n}
        for speaker in event.speakers.all()
    ]
    if performers:
        data["performer"] = performers
    return data


def offer(request, event: Event, state: str, event_url: str) -> dict:
    """Attending is free, on the site's form: what is left of it now (the words
    of the registered `live.Provider`)."""
    availability, sign_up_path = live.offer(event, state)
    data = {
        "@type": "Offer",
        "price": 0,
        "priceCurrency": "RUB",
        "availability": SCHEMA + availability,
        "url": event_url,
    }
    if sign_up_path:
        data["url"] = request.build_absolute_uri(sign_up_path)
    if event.takes_registrations and event.registration_opens:
        data["validFrom"] = timezone.localtime(event.registration_opens).isoformat()
    return data


def event_place(event: Event) -> dict | None:
    """Where people come: the venue, else the region while the place is to come."""
    if event.venue:
        venue = event.venue
        place = {
            "@type": "Place",
            "name": venue.name_i18n,
            "address": postal_address(venue.address_i18n, venue.region.name_i18n),
        }
        if venue.has_coordinates:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(venue.latitude),
                "longitude": float(venue.longitude),
            }
        return place
    if event.region:
        return {
            "@type": "Place",
            "name": event.region.name_i18n,
            "address": postal_address("", event.region.name_i18n),
        }
    return None


def postal_address(street: str, region: str) -> dict:
    address = {
        "@type": "PostalAddress",
        "addressRegion": region,
        "addressCountry": "RU",
    }
    if street:
        address["streetAddress"] = street
    return address


def organisation(organiser: Organiser) -> dict:
    data = {"@type": "Organization", "name": organiser.name_i18n}
    if organiser.website:
        data["url"] = organiser.website
    return data


def edition_data(request, edition: Edition, organisers: list[Organiser]) -> list:
    """The home page: the site, and the week as one event across the country."""
    home = request.build_absolute_uri(reverse("events:home"))
    site_name = gettext("World Quality Week")
    week = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": edition.title_i18n,
        "startDate": edition.first_day.isoformat(),
        "endDate": edition.last_day.isoformat(),
        "eventAttendanceMode": SCHEMA + ATTENDANCE_MODES[Event.Format.HYBRID],
        "eventStatus": SCHEMA + "EventScheduled",
        "url": home,
        "inLanguage": get_language(),
        "image": [seo.default_image_url(request, get_language())],
        "location": [
            {
                "@type": "Place",
                "name": gettext("Russia"),
                "address": {"@type": "PostalAddress", "addressCountry": "RU"},
            },
            {"@type": "VirtualLocation", "url": home},
        ],
        "offers": {
            "@type": "Offer",
            "price": 0,
            "priceCurrency": "RUB",
            "availability": SCHEMA + "InStock",
            "url": request.build_absolute_uri(reverse("events:schedule")),
        },
    }
    if edition.motto_i18n:
        week["description"] = edition.motto_i18n
    if organisers:
        week["organizer"] = [organisation(organiser) for organiser in organisers]
    website = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site_name,
        "url": home,
        "inLanguage": get_language(),
    }
    return [website, week]
