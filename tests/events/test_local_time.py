"""Each region's own time beside Moscow time: the data, the filter, region pages."""

import zoneinfo

import pytest
from django.utils import translation

from events import entries
from events.models import Region
from events.regions_data import MOSCOW_TIME_ZONE, REGIONS, TIME_ZONES
from events.templatetags.events_tags import local_time
from tests.factories import (
    ActivationFactory,
    EventFactory,
    VenueFactory,
    moscow,
    region,
)
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_every_region_has_the_time_zone_of_its_capital():
    zones = dict(Region.objects.values_list("code", "time_zone"))

    assert len(zones) == len(REGIONS)
    assert {
        code: zones[code] for code in ("39", "43", "54", "63", "77", "87", "91")
    } == {
        "39": "Europe/Kaliningrad",
        "43": "Europe/Kirov",
        "54": "Asia/Novosibirsk",
        "63": "Europe/Samara",
        "77": "Europe/Moscow",
        "87": "Asia/Anadyr",
        "91": "Europe/Simferopol",
    }
    listed = [code for codes in TIME_ZONES.values() for code in codes]
    assert len(listed) == len(set(listed))  # no region in two zones
    assert sum(zone == MOSCOW_TIME_ZONE for zone in zones.values()) == 89 - len(listed)


def test_every_zone_offered_is_known_to_the_time_zone_database():
    for zone in [MOSCOW_TIME_ZONE, *TIME_ZONES]:
        assert zoneinfo.ZoneInfo(zone)


def test_a_region_keeps_one_of_the_zones_offered():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.filter(code="54").update(time_zone="Europe/Paris")


@pytest.mark.parametrize(
    ("code", "russian", "english"),
    [
        (
            "39",
            "09:00–11:00 по местному времени (МСК−1)",
            "09:00–11:00 local time (MSK−1)",
        ),
        (
            "54",
            "14:00–16:00 по местному времени (МСК+4)",
            "14:00–16:00 local time (MSK+4)",
        ),
        ("77", "", ""),
        ("50", "", ""),
        ("43", "", ""),  # Kirov keeps Moscow time under a zone of its own
    ],
)
def test_local_time_of_an_event_beside_moscow_time(
    edition_2023, code, russian, english
):
    event = EventFactory(
        edition=edition_2023, start=moscow(2023, 11, 9, 10), end=moscow(2023, 11, 9, 12)
    )

    with translation.override("ru"):
        shown_ru = local_time(event, region(code))
    with translation.override("en"):
        shown_en = local_time(event, region(code))

    assert (shown_ru, shown_en) == (russian, english)


def test_local_time_names_the_next_day_where_it_is_already_tomorrow(edition_2023):
    evening = EventFactory(
        edition=edition_2023,
        start=moscow(2023, 11, 9, 18),
        end=moscow(2023, 11, 9, 20),
    )

    with translation.override("ru"):
        shown = local_time(evening, region("41"))  # Kamchatka, MSK+9

    assert shown == "10 ноября, 03:00–05:00 по местному времени (МСК+9)"


def test_local_time_of_a_moment_and_of_whole_days(edition_2023):
    activation = ActivationFactory(edition=edition_2023, region=region("54"))

    with translation.override("ru"):
        moment = local_time(moscow(2023, 11, 10, 12), region("54"))
        whole_days = local_time(entries.of(activation), region("54"))

    assert moment == "16:00 по местному времени (МСК+4)"
    assert whole_days == ""


def test_region_page_shows_the_local_time_beside_moscow_time(client, edition_2023):
    novosibirsk = VenueFactory(region=region("54"))
    EventFactory(
        edition=edition_2023,
        title="Сессия в Новосибирске",
        venue=novosibirsk,
        start=moscow(2023, 11, 9, 10),
        end=moscow(2023, 11, 9, 12),
    )

    page = text_of(client.get("/regions/54/"))

    assert "10:00–12:00 14:00–16:00 по местному времени (МСК+4)" in page


def test_region_page_in_english_shows_the_local_time(client, edition_2023):
    EventFactory(
        edition=edition_2023,
        venue=VenueFactory(region=region("39")),
        start=moscow(2023, 11, 9, 10),
        end=moscow(2023, 11, 9, 12),
    )

    page = text_of(client.get("/en/regions/39/"))

    assert "10:00–12:00 09:00–11:00 local time (MSK−1)" in page


def test_moscow_region_page_shows_no_second_time(client, edition_2023):
    EventFactory(edition=edition_2023, venue=VenueFactory(region=region("50")))

    page = text_of(client.get("/regions/50/"))

    assert "11:00–13:00" not in page
    assert "10:00–12:00" in page
    assert "по местному времени" not in page


def test_the_schedule_shows_moscow_time_only(client, edition_2023):
    EventFactory(edition=edition_2023, venue=VenueFactory(region=region("54")))

    page = text_of(client.get("/schedule/"))

    assert "10:00–12:00" in page
    assert "по местному времени" not in page


def test_a_regions_time_zone_is_changed_in_the_admin(admin_client):
    novosibirsk = region("54")

    response = admin_client.post(
        f"/admin/events/region/{novosibirsk.pk}/change/",
        {
            "code": "54",
            "name": novosibirsk.name,
            "name_en": novosibirsk.name_en,
            "federal_district": novosibirsk.federal_district,
            "time_zone": "Asia/Omsk",
        },
    )

    assert response.status_code == 302
    novosibirsk.refresh_from_db()
    assert novosibirsk.time_zone == "Asia/Omsk"
