"""The online half of /regional-day/: approved venues by district and region."""

import pytest

from events.models import Region
from tests.factories import RegistrationFactory, VenueApplicationFactory, region
from tests.pages import text_of

pytestmark = pytest.mark.django_db
PAGE = "/regional-day/"


@pytest.fixture
def venues(regional_day, open_call):
    edition = regional_day.edition
    return [
        VenueApplicationFactory(
            edition=edition, region=region("43"), city="Киров", venue_name="Б-зал"
        ),
        VenueApplicationFactory(
            edition=edition, region=region("43"), city="Киров", venue_name="А-зал"
        ),
        VenueApplicationFactory(
            edition=edition, region=region("35"), city="Вологда", venue_name="Зал"
        ),
        VenueApplicationFactory(
            edition=edition, region=region("16"), city="Казань", venue_name="Казань"
        ),
        VenueApplicationFactory(
            edition=edition,
            region=region("77"),
            city="Москва",
            venue_name="Скрыт",
            pending=True,
        ),
    ]


def test_venues_come_by_federal_district_then_region_in_alphabet(client, venues):
    page = text_of(client.get(PAGE))

    assert "3 региона и 4 площадки подключаются к региональному дню онлайн." in page
    assert "Северо-Западный федеральный округ Вологодская область Зал " in page
    northwest = page.index("Северо-Западный федеральный округ")
    volga = page.index("Приволжский федеральный округ")
    assert northwest < volga
    # Within the Volga district: Кировская before Республика Татарстан; within a
    # region, venues by city and name.
    assert page.index("Кировская область А-зал") < page.index("Б-зал")
    assert page.index("Б-зал") < page.index("Республика Татарстан Казань")
    assert "Скрыт" not in page
    assert venues[0].email not in page


def test_in_english_regions_sort_in_the_english_alphabet(client, venues):
    VenueApplicationFactory(
        edition=venues[0].edition, region=region("18"), venue_name="Ижевск"
    )

    page = text_of(client.get("/en" + PAGE))

    assert "4 regions and 5 venues connect to the regional day online." in page
    # Kirov Oblast, Republic of Tatarstan, Udmurt Republic: English order.
    assert page.index("Kirov Oblast") < page.index("Tatarstan") < page.index("Udmurt")


def test_without_venues_the_page_says_so_and_offers_the_form(
    client, regional_day, open_call
):
    page = text_of(client.get(PAGE))

    assert "Пока ни одна региональная площадка не одобрена." in page
    assert "Заявки принимаются до 8 ноября 2023, 18:00" in page
    assert 'href="/regional-venues/new/"' in client.get(PAGE).content.decode()


def test_after_the_call_closed_the_page_says_so_without_the_button(
    client, regional_day, open_call, clock
):
    clock("2023-11-09T10:00+03:00")

    response = client.get(PAGE)

    assert "Приём заявок закрыт 8 ноября 2023, 18:00" in text_of(response)
    assert 'href="/regional-venues/new/"' not in response.content.decode()


def test_the_broadcast_link_shows_once_organisers_set_it(
    client, regional_day, open_call
):
    assert "Ссылка на трансляцию появится здесь" in text_of(client.get(PAGE))

    regional_day.stream_url = "https://video.example.ru/regional-day"
    regional_day.save()

    html = client.get(PAGE).content.decode()
    assert 'href="https://video.example.ru/regional-day"' in html
    assert "Ссылка на трансляцию появится здесь" not in html


@pytest.mark.parametrize(
    ("moment", "taken", "says"),
    [
        ("2023-11-01T10:00+03:00", 0, "Регистрация открыта."),
        ("2023-11-01T10:00+03:00", 2, "Все места заняты: открыт лист ожидания."),
        ("2023-11-09T18:00+03:00", 0, "Регистрация закрыта."),
        ("2023-10-10T10:00+03:00", 0, "Регистрация ещё не открыта."),
    ],
)
def test_the_in_person_half_says_how_registration_stands(
    client, regional_day, open_call, clock, moment, taken, says
):
    RegistrationFactory.create_batch(taken, event=regional_day, confirmed=True)
    clock(moment)

    assert f"Только по предварительной регистрации. {says}" in text_of(client.get(PAGE))


@pytest.mark.parametrize("count", [1, 3, 85])
def test_the_query_count_does_not_grow_with_venues(
    client, regional_day, open_call, count, django_assert_num_queries
):
    for code in list(Region.objects.values_list("code", flat=True))[:count]:
        VenueApplicationFactory.create_batch(
            2, edition=regional_day.edition, region=region(code)
        )

    # Event, seats, consent text, the call, the venues with their regions; the
    # regions, read once for both forms (in person, online). Two name the
    # operator and the official sites in the footer.
    with django_assert_num_queries(7):
        response = client.get(PAGE)

    assert response.content.decode().count('class="venue-item"') == 2 * count
