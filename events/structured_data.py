"""schema.org data for search engines: an event's page, a speaker's and an
organising body's, and the week's own.

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
from .models import Edition, Event, Organiser, Speaker

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
    organisers = [
        organisation(organiser, request) for organiser in event.organisers.all()
    ]
    if organisers:
        data["organizer"] = organisers
    performers = [
        person(speaker, request)
        for speaker in event.speakers.all()
        if not speaker.is_demo
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


def organisation(organiser: Organiser, request=None) -> dict:
    """An organising body: its own website is its address; without one, its
    page here (given the request to make the address absolute)."""
    data = {"@type": "Organization", "name": organiser.name_i18n}
    if organiser.website:
        data["url"] = organiser.website
    elif request is not None:
        data["url"] = request.build_absolute_uri(organiser.get_absolute_url())
    return data


def person(speaker: Speaker, request) -> dict:
    """A speaker as an event's performer: who, and their page."""
    data = {
        "@type": "Person",
        "name": speaker.name_i18n,
        "url": request.build_absolute_uri(speaker.get_absolute_url()),
    }
    if speaker.position_i18n:
        data["jobTitle"] = speaker.position_i18n
    return data


def speaker_data(request, speaker: Speaker) -> dict | None:
    """A speaker's page as schema.org's Person; None for an invented one."""
    if speaker.is_demo:
        return None
    data = {"@context": "https://schema.org", **person(speaker, request)}
    if speaker.organisation_i18n:
        data["worksFor"] = {"@type": "Organization", "name": speaker.organisation_i18n}
    if speaker.photo:
        data["image"] = request.build_absolute_uri(speaker.photo.url)
    if speaker.bio_i18n:
        data["description"] = shortened(speaker.bio_i18n)
    return data


def organiser_data(request, organiser: Organiser) -> dict:
    """An organising body's page as schema.org's Organization."""
    page = request.build_absolute_uri(organiser.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": organiser.name_i18n,
        "url": page,
    }
    if organiser.short_name_i18n and organiser.short_name_i18n != organiser.name_i18n:
        data["alternateName"] = organiser.short_name_i18n
    if organiser.website:
        data["sameAs"] = [organiser.website]
    if organiser.logo:
        data["logo"] = request.build_absolute_uri(organiser.logo.url)
    return data


def shortened(text: str, limit: int = 300) -> str:
    """A text cut at a word within `limit` characters, marked as cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


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
