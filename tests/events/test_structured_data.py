import json
import re

import pytest
from django.core.files.base import ContentFile

from events.models import Event
from tests import images
from tests.factories import (
    EventFactory,
    OrganiserFactory,
    SpeakerFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

ONLINE = "https://schema.org/OnlineEventAttendanceMode"
OFFLINE = "https://schema.org/OfflineEventAttendanceMode"
MIXED = "https://schema.org/MixedEventAttendanceMode"


def schema_org(response) -> list:
    """Every JSON-LD block of the page, as a search engine reads them."""
    html = response.content.decode()
    return [
        json.loads(text)
        for text in re.findall(r'application/ld\+json">(.*?)</script>', html, re.S)
    ]


def event_data(client, event) -> dict:
    [data] = schema_org(client.get(f"/events/{event.slug}/"))
    return data


def test_event_in_person_is_at_a_place_with_coordinates(client, edition_2023):
    event = EventFactory(
        edition=edition_2023,
        format=Event.Format.OFFLINE,
        venue=VenueFactory(name="Технопарк", latitude="58.603600", longitude="49.668"),
    )

    data = event_data(client, event)

    assert data["eventAttendanceMode"] == OFFLINE
    assert data["location"] == {
        "@type": "Place",
        "name": "Технопарк",
        "address": {
            "@type": "PostalAddress",
            "addressRegion": "Москва",
            "addressCountry": "RU",
            "streetAddress": "Москва, проспект Мира, 119",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": 58.6036, "longitude": 49.668},
    }


def test_venue_without_coordinates_is_a_place_without_geo(client, edition_2023):
    event = EventFactory(
        edition=edition_2023,
        format=Event.Format.OFFLINE,
        venue=VenueFactory(latitude=None, longitude=None),
    )

    data = event_data(client, event)

    assert data["location"]["@type"] == "Place"
    assert "geo" not in data["location"]


def test_online_event_is_at_its_broadcast(client, edition_2023):
    event = EventFactory(
        edition=edition_2023, stream_url="https://video.example.ru/live/1"
    )

    data = event_data(client, event)

    assert data["eventAttendanceMode"] == ONLINE
    assert data["location"] == {
        "@type": "VirtualLocation",
        "url": "https://video.example.ru/live/1",
    }


def test_online_event_without_broadcast_yet_points_to_its_page(client, edition_2023):
    event = EventFactory(edition=edition_2023, slug="webinar")

    data = event_data(client, event)

    assert data["location"] == {
        "@type": "VirtualLocation",
        "url": "http://testserver/events/webinar/",
    }


def test_hybrid_event_is_both_at_a_place_and_online(client, regional_day):
    data = event_data(client, regional_day)

    assert data["eventAttendanceMode"] == MIXED
    assert [location["@type"] for location in data["location"]] == [
        "Place",
        "VirtualLocation",
    ]
    assert data["location"][0]["geo"]["@type"] == "GeoCoordinates"


def test_open_registration_is_a_free_offer_on_the_form(client, clock, regional_day):
    data = event_data(client, regional_day)

    assert data["offers"] == {
        "@type": "Offer",
        "price": 0,
        "priceCurrency": "RUB",
        "availability": "https://schema.org/InStock",
        "url": "http://testserver/events/regional-day-2023/register/",
        "validFrom": "2023-10-16T10:00:00+03:00",
    }


@pytest.mark.parametrize("keeps_waiting_list", [True, False])
def test_event_with_every_seat_taken_is_sold_out(
    client, clock, regional_day, keeps_waiting_list
):
    Event.objects.filter(pk=regional_day.pk).update(
        seats_taken=2, keeps_waiting_list=keeps_waiting_list
    )

    data = event_data(client, regional_day)

    assert data["offers"]["availability"] == "https://schema.org/SoldOut"


def test_event_without_registration_offers_no_tickets(client, edition_2023):
    event = EventFactory(edition=edition_2023, slug="webinar")

    data = event_data(client, event)

    assert "offers" not in data


def test_cancelled_event_says_so(client, edition_2023):
    event = EventFactory(edition=edition_2023, cancelled=True, takes_registrations=True)

    data = event_data(client, event)

    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["offers"]["availability"] == "https://schema.org/SoldOut"


def test_event_names_its_image_and_organisers(client, edition_2023):
    event = EventFactory(edition=edition_2023)
    event.organisers.set(
        [OrganiserFactory(name="Роскачество", website="https://rskrf.ru/")]
    )

    data = event_data(client, event)

    assert data["image"] == ["http://testserver/static/img/og-default.ru.png"]
    assert data["organizer"] == [
        {"@type": "Organization", "name": "Роскачество", "url": "https://rskrf.ru/"}
    ]


def test_home_describes_the_site_and_the_week(client, clock, edition_2023):
    [[website, week]] = schema_org(client.get("/en/"))

    assert (website["@type"], website["url"]) == ("WebSite", "http://testserver/en/")
    assert website["name"] == "World Quality Week"
    assert week["@type"] == "Event"
    assert (week["startDate"], week["endDate"]) == ("2023-11-06", "2023-11-12")
    assert week["url"] == "http://testserver/en/"
    assert week["eventAttendanceMode"] == MIXED
    assert [location["@type"] for location in week["location"]] == [
        "Place",
        "VirtualLocation",
    ]
    assert week["offers"]["url"] == "http://testserver/en/schedule/"


def test_speaker_page_describes_a_person(client, clock, edition_2023):
    speaker = SpeakerFactory(
        name="Иван Петров",
        name_en="Ivan Petrov",
        slug="ivan-petrov",
        position="руководитель лаборатории",
        position_en="head of laboratory",
        organisation="ВНИИМ",
        organisation_en="VNIIM",
        bio="Руководит испытательной лабораторией </script><b>.",
        bio_en="Heads a testing laboratory.",
        photo=ContentFile(images.image_bytes("JPEG"), name="petrov.jpg"),
    )
    EventFactory(edition=edition_2023, speakers=[speaker])

    [data] = schema_org(client.get("/speakers/ivan-petrov/"))
    [english] = schema_org(client.get("/en/speakers/ivan-petrov/"))

    assert data["@type"] == "Person"
    assert data["name"] == "Иван Петров"
    assert data["jobTitle"] == "руководитель лаборатории"
    assert data["worksFor"] == {"@type": "Organization", "name": "ВНИИМ"}
    assert data["url"] == "http://testserver/speakers/ivan-petrov/"
    assert data["image"].startswith("http://testserver/media/speakers/petrov")
    # The bio cannot close the script element it sits in.
    assert data["description"] == "Руководит испытательной лабораторией </script><b>."
    assert "sameAs" not in data  # a speaker has no links of their own yet
    assert english["name"] == "Ivan Petrov"
    assert english["jobTitle"] == "head of laboratory"
    assert english["worksFor"]["name"] == "VNIIM"
    assert english["description"] == "Heads a testing laboratory."
    assert english["url"] == "http://testserver/en/speakers/ivan-petrov/"


def test_a_demo_speaker_is_not_told_to_search_engines(client, clock, edition_2023):
    speaker = SpeakerFactory(slug="demo-person", is_demo=True)
    event = EventFactory(edition=edition_2023, speakers=[speaker])

    assert schema_org(client.get("/speakers/demo-person/")) == []
    assert "performer" not in event_data(client, event)


def test_organiser_page_describes_an_organization(client, clock, edition_2023):
    organiser = OrganiserFactory(
        name="Российская система качества",
        name_en="Russian Quality System",
        short_name="Роскачество",
        short_name_en="Roskachestvo",
        slug="roskachestvo",
        website="https://rskrf.ru/",
    )
    EventFactory(edition=edition_2023, organisers=[organiser])

    [data] = schema_org(client.get("/organisers/roskachestvo/"))
    [english] = schema_org(client.get("/en/organisers/roskachestvo/"))

    assert data == {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": "Российская система качества",
        "alternateName": "Роскачество",
        "url": "http://testserver/organisers/roskachestvo/",
        "sameAs": ["https://rskrf.ru/"],
    }
    assert english["name"] == "Russian Quality System"
    assert english["alternateName"] == "Roskachestvo"


def test_event_lists_its_speakers_as_performers(client, edition_2023):
    speaker = SpeakerFactory(
        name="Иван Петров",
        name_en="Ivan Petrov",
        slug="ivan-petrov",
        position="эксперт",
        position_en="expert",
    )
    organiser = OrganiserFactory(name="ВНИИМ", website="", slug="vniim")
    event = EventFactory(edition=edition_2023, speakers=[speaker])
    event.organisers.set([organiser])

    data = event_data(client, event)
    [english] = schema_org(client.get(f"/en/events/{event.slug}/"))

    assert data["performer"] == [
        {
            "@type": "Person",
            "name": "Иван Петров",
            "url": "http://testserver/speakers/ivan-petrov/",
            "jobTitle": "эксперт",
        }
    ]
    # Without a website of its own, an organiser's address is its page here.
    assert data["organizer"] == [
        {
            "@type": "Organization",
            "name": "ВНИИМ",
            "url": "http://testserver/organisers/vniim/",
        }
    ]
    assert english["performer"][0]["name"] == "Ivan Petrov"
    assert (
        english["performer"][0]["url"] == "http://testserver/en/speakers/ivan-petrov/"
    )
