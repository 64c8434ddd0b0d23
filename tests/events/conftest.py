"""Fixtures the events tests share."""

import pytest

from events.models import Event, Region
from tests.factories import EventFactory, VenueFactory, moscow


@pytest.fixture
def week(edition_2023):
    """A small programme: an online session on Quality Day, an in-person one on
    Friday in the Kirov region, an unpublished one and a cancelled one."""
    kirov = VenueFactory(
        name="Кировский технопарк",
        name_en="Kirov technopark",
        address="Киров, улица Мира, 1",
        address_en="1 Mira street, Kirov",
        region=Region.objects.get(code="43"),
        latitude="58.603600",
        longitude="49.668000",
    )
    return {
        "online": EventFactory(
            edition=edition_2023,
            slug="online-webinar",
            title="Вебинар о качестве",
            title_en="Webinar on quality",
            start=moscow(2023, 11, 9, 10),
            end=moscow(2023, 11, 9, 11, 30),
            format=Event.Format.ONLINE,
            kind=Event.Kind.SESSION,
        ),
        "kirov": EventFactory(
            edition=edition_2023,
            slug="kirov-open-day",
            title="День открытых дверей на заводе",
            title_en="Factory open day",
            start=moscow(2023, 11, 10, 14),
            end=moscow(2023, 11, 10, 16),
            format=Event.Format.OFFLINE,
            kind=Event.Kind.OTHER,
            venue=kirov,
        ),
        "hidden": EventFactory(
            edition=edition_2023, slug="draft", title="Черновик", unpublished=True
        ),
        "cancelled": EventFactory(
            edition=edition_2023,
            slug="cancelled-talk",
            title="Отменённый доклад",
            start=moscow(2023, 11, 8, 12),
            end=moscow(2023, 11, 8, 13),
            cancelled=True,
        ),
    }
