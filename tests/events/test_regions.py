"""Regions: federal districts, names in the visitor's alphabet, /regions/ pages,
their calendars and the schedule's region filter."""

import re

import icalendar
import pytest
from django.utils import translation

from events.models import Event, Region
from events.regions_data import REGIONS
from events.sitemaps import RegionSitemap
from tests.factories import (
    ActivationFactory,
    EventFactory,
    VenueApplicationFactory,
    VenueFactory,
    region,
)
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def dummy_cache(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }


# Federal districts


def test_every_region_has_its_federal_district():
    districts = dict(Region.objects.values_list("code", "federal_district"))

    assert len(districts) == len(REGIONS) == 89
    assert "" not in districts.values()
    assert districts["43"] == Region.FederalDistrict.VOLGA
    assert districts["77"] == Region.FederalDistrict.CENTRAL
    assert districts["78"] == Region.FederalDistrict.NORTHWESTERN
    assert districts["25"] == Region.FederalDistrict.FAR_EASTERN


def test_federal_district_reads_in_the_visitors_language():
    kirov = region("43")

    with translation.override("ru"):
        russian = kirov.get_federal_district_display()
    with translation.override("en"):
        english = kirov.get_federal_district_display()

    assert (russian, english) == (
        "Приволжский федеральный округ",
        "Volga Federal District",
    )


# Names in the visitor's alphabet


def test_regions_in_english_are_in_english_alphabetical_order():
    with translation.override("en"):
        names = [r.name_i18n for r in Region.objects.alphabetical()]

    assert names == sorted(names, key=str.casefold)
    assert names[:2] == ["Altai Krai", "Altai Republic"]


def test_regions_in_russian_are_in_russian_order_with_yo_as_ye():
    with translation.override("ru"):
        names = [r.name_i18n for r in Region.objects.alphabetical()]

    assert names[0] == "Алтайский край"
    assert names[-1] == "Ярославская область"
    assert names.index("Москва") < names.index("Московская область")
    assert names == sorted(names, key=lambda name: name.lower().replace("ё", "е"))


def test_english_filter_lists_regions_in_english_order(client, edition_2023):
    for code in ("50", "77", "22", "23"):  # Moscow Oblast, Moscow, Altai, Krasnodar
        EventFactory(edition=edition_2023, region=region(code))

    html = client.get("/en/schedule/").content.decode()

    options = re.findall(r'<option value="\d\d">([^<]+)</option>', html)
    assert options == ["Altai Krai", "Krasnodar Krai", "Moscow", "Moscow Oblast"]


def test_registration_and_activation_forms_list_regions_in_english_order():
    from activations.forms import ActivationForm
    from registrations.forms import RegistrationForm

    with translation.override("en"):
        for form_class in (RegistrationForm, ActivationForm):
            field = form_class.base_fields["region"]
            labels = [
                str(label)
                for value, label in field.choices
                if value not in ("", "abroad")
            ]

            assert labels == sorted(labels, key=str.casefold)
    # The registration form ends with the choice for a participant from abroad.
    with translation.override("en"):
        value, label = list(RegistrationForm.base_fields["region"].choices)[-1]
        assert (value, str(label)) == ("abroad", "Another country (outside Russia)")


# Taking part


def test_taking_part_counts_events_by_venue_and_approved_activations(edition_2023):
    kirov, own = region("43"), Event.Kind.OTHER  # events the region holds itself
    EventFactory(edition=edition_2023, kind=own, venue=VenueFactory(region=kirov))
    EventFactory(edition=edition_2023, kind=own, region=kirov)  # its own region
    EventFactory(edition=edition_2023, kind=own, region=kirov, unpublished=True)
    # A venue's region wins over the event's own: Moscow, not Kirov.
    EventFactory(edition=edition_2023, kind=own, venue=VenueFactory(), region=kirov)
    ActivationFactory.create_batch(3, edition=edition_2023, region=kirov)
    ActivationFactory(edition=edition_2023, region=kirov, pending=True)
    ActivationFactory(edition=edition_2023, region=region("16"))

    counts = {
        r.code: (r.events_count, r.activations_count)
        for r in Region.objects.taking_part(edition_2023)
    }

    assert counts == {"43": (2, 3), "77": (1, 0), "16": (0, 1)}


def test_the_national_programme_and_demo_make_no_region_take_part(regional_day):
    # The regional day is held in Moscow for the whole country; a forum session
    # there, and a demo event of the region's own, neither.
    EventFactory(edition=regional_day.edition, venue=regional_day.venue)
    EventFactory(
        edition=regional_day.edition,
        kind=Event.Kind.OTHER,
        is_demo=True,
        region=region("43"),
    )

    assert list(Region.objects.taking_part(regional_day.edition)) == []


def test_a_region_that_joined_quality_day_takes_part_with_its_source(
    client, edition_2023
):
    from events.models import RegionalParticipation

    participation = RegionalParticipation.objects.create(
        edition=edition_2023,
        region=region("43"),
        source="Письмо министерства промышленности Кировской области",
        source_url="https://example.ru/letter",
    )

    regions = client.get("/regions/").content.decode()
    page = client.get("/regions/43/").content.decode()
    participation.delete()  # the cached pages follow at once
    regions_after = client.get("/regions/").content.decode()

    assert "присоединился ко Дню качества" not in regions_after
    assert "присоединился ко Дню качества" in regions
    assert "Регион присоединился ко Дню качества." in page
    assert (
        '<a href="https://example.ru/letter" rel="noopener">Письмо министерства '
        "промышленности Кировской области</a>"
    ) in page


def test_taking_part_leaves_out_other_editions(edition_2023):
    from tests.factories import EditionFactory, moscow

    later = EditionFactory(year=2024)
    EventFactory(edition=later, region=region("43"), start=moscow(2024, 11, 14, 10))

    assert list(Region.objects.taking_part(edition_2023)) == []


def test_schedule_region_filter_counts_the_venues_region_not_the_events(
    client, edition_2023
):
    EventFactory(
        edition=edition_2023, slug="moscow", venue=VenueFactory(), region=region("43")
    )

    html = client.get("/schedule/?region=43").content.decode()

    assert 'href="/events/moscow/"' not in html


# /regions/


@pytest.fixture
def taking_part(edition_2023):
    """Kirov with an event and two activations, Moscow with an event, Tatarstan
    with an activation."""
    kirov = region("43")
    return {
        "kirov_event": EventFactory(
            edition=edition_2023,
            kind=Event.Kind.OTHER,
            slug="kirov-forum",
            title="Кировский форум качества",
            title_en="Kirov quality forum",
            format=Event.Format.OFFLINE,
            venue=VenueFactory(name="Кировский технопарк", region=kirov),
        ),
        "moscow_event": EventFactory(
            edition=edition_2023,
            kind=Event.Kind.OTHER,
            slug="moscow-talk",
            title="Московский доклад",
        ),
        "kirov_activations": ActivationFactory.create_batch(
            2, edition=edition_2023, region=kirov
        ),
        "kazan": ActivationFactory(
            edition=edition_2023, region=region("16"), title="Казанский день"
        ),
    }


def test_regions_page_groups_regions_by_district_with_counts(client, taking_part):
    taking_part["moscow_event"].region = region("77")
    taking_part["moscow_event"].save()

    page = text_of(client.get("/regions/"))

    assert "3 субъекта Российской Федерации" in page
    assert (
        "Центральный федеральный округ 1 Москва 1 событие "
        "Приволжский федеральный округ 2 "
        "Кировская область 1 событие 2 активации "
        "Республика Татарстан 1 активация"
    ) in page


def test_regions_page_links_each_region_to_its_page(client, taking_part):
    html = client.get("/en/regions/").content.decode()

    assert '<a class="region-card-name" href="/en/regions/43/">Kirov Oblast</a>' in html


def test_regions_page_without_any_says_so(client, edition_2023):
    page = text_of(client.get("/regions/"))

    assert "Ни в одном регионе пока нет событий или активаций" in page


@pytest.mark.parametrize("count", [1, 3, 85])
def test_regions_page_query_count_does_not_grow_with_regions(
    client, edition_2023, settings, django_assert_num_queries, count
):
    dummy_cache(settings)
    for code in list(Region.objects.values_list("code", flat=True))[:count]:
        EventFactory(edition=edition_2023, region=region(code))
        ActivationFactory(edition=edition_2023, region=region(code))
        VenueApplicationFactory(edition=edition_2023, region=region(code))

    # Two name the operator and the official sites in the footer.
    with django_assert_num_queries(5):
        response = client.get("/regions/")

    assert response.content.decode().count('class="region-card"') == count


def test_regions_page_served_again_takes_one_query(
    client, taking_part, django_assert_num_queries
):
    client.get("/regions/")

    with django_assert_num_queries(1):
        response = client.get("/regions/")

    assert "Кировская область" in text_of(response)


def test_regions_page_changes_when_an_activation_is_approved(client, edition_2023):
    pending = ActivationFactory(edition=edition_2023, region=region("43"), pending=True)
    assert "Кировская область" not in text_of(client.get("/regions/"))

    pending.status = pending.Status.APPROVED
    pending.save()

    assert "Кировская область" in text_of(client.get("/regions/"))


# /regions/<code>/


def test_region_page_shows_its_events_and_activations_only(client, taking_part):
    page = text_of(client.get("/regions/43/"))

    assert "Кировская область" in page
    assert "Приволжский федеральный округ" in page
    assert "Кировский форум качества" in page
    assert taking_part["kirov_activations"][0].title in page
    assert "Московский доклад" not in page
    assert "Казанский день" not in page


def test_region_page_in_english(client, taking_part):
    page = text_of(client.get("/en/regions/43/"))

    assert "Kirov Oblast" in page
    assert "Kirov quality forum" in page
    assert "Companies' activations" in page


def test_region_page_of_a_region_taking_no_part_says_so(client, taking_part):
    response = client.get("/regions/01/")

    page = text_of(response)
    assert response.status_code == 200
    assert "Республика Адыгея" in page
    assert (
        "У региона пока нет событий и активаций компаний "
        "в программе «Всемирная неделя качества — 2023»"
    ) in page


@pytest.mark.parametrize("path", ["/regions/99/", "/regions/kirov/", "/regions/043/"])
def test_region_page_for_no_region_or_a_malformed_code_is_404(
    client, edition_2023, path
):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("count", [1, 3, 85])
def test_region_page_query_count_does_not_grow_with_its_programme(
    client, edition_2023, settings, django_assert_num_queries, count
):
    dummy_cache(settings)
    venue = VenueFactory(region=region("43"))
    EventFactory.create_batch(count, edition=edition_2023, venue=venue)
    ActivationFactory.create_batch(count, edition=edition_2023, region=region("43"))
    VenueApplicationFactory.create_batch(
        count, edition=edition_2023, region=region("43")
    )

    # Revision, edition, region, whether it joined Quality Day, venues, contest
    # winners, activations, events, speakers, organisers, the regional day's
    # broadcast;
    # the personal data operator and the edition's official sites in the footer;
    # the region's results (events.participation.results): the programme's two,
    # one each of registrations, activations and venues, and the survey's two.
    with django_assert_num_queries(20):
        response = client.get("/regions/43/")

    html = response.content.decode()
    assert html.count('class="event-row') == 2 * count
    assert html.count('class="venue-item"') == count


def test_region_page_served_again_takes_one_query(
    client, taking_part, django_assert_num_queries
):
    client.get("/regions/43/")

    with django_assert_num_queries(1):
        response = client.get("/regions/43/")

    assert "Кировский форум качества" in text_of(response)


def test_region_page_changes_when_organisers_edit(client, taking_part):
    client.get("/regions/43/")
    taking_part["kirov_event"].title = "Новое название форума"
    taking_part["kirov_event"].save()

    assert "Новое название форума" in text_of(client.get("/regions/43/"))


def test_region_page_offers_its_calendar_to_subscribe(client, taking_part):
    html = client.get("/regions/43/").content.decode()

    assert 'href="webcal://testserver/regions/43.ics"' in html
    assert 'href="/regions/43.ics" download' in html


# /regions/<code>.ics


def test_region_ics_holds_exactly_the_regions_events_and_activations(
    client, taking_part
):
    response = client.get("/regions/43.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    uids = {str(component["UID"]) for component in calendar.walk("VEVENT")}
    expected = {f"event-{taking_part['kirov_event'].pk}@127.0.0.1"} | {
        f"activation-{a.pk}@127.0.0.1" for a in taking_part["kirov_activations"]
    }
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert uids == expected
    assert str(calendar["X-WR-CALNAME"]) == (
        "Всемирная неделя качества — 2023: Кировская область"
    )


def test_region_ics_of_a_region_taking_no_part_is_an_empty_calendar(
    client, taking_part
):
    response = client.get("/regions/01.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    assert (response.status_code, calendar.walk("VEVENT")) == (200, [])


def test_region_ics_for_no_region_is_404(client, taking_part):
    assert client.get("/regions/99.ics").status_code == 404


@pytest.mark.parametrize("count", [1, 3, 85])
def test_region_ics_query_count_does_not_grow(
    client, edition_2023, settings, django_assert_num_queries, count
):
    dummy_cache(settings)
    EventFactory.create_batch(count, edition=edition_2023, region=region("43"))
    ActivationFactory.create_batch(count, edition=edition_2023, region=region("43"))

    # Edition, revision, region, activations, events, speakers, organisers.
    with django_assert_num_queries(7):
        response = client.get("/regions/43.ics")

    assert response.content.count(b"BEGIN:VEVENT") == 2 * count


# The schedule's region filter


def test_schedule_filter_takes_a_region_code(client, taking_part):
    html = client.get("/schedule/?region=43").content.decode()

    slugs = set(re.findall(r'href="/events/([\w-]+)/"', html))
    assert slugs == {"kirov-forum"}


@pytest.mark.parametrize("code", ["99", "zz"])
def test_schedule_filter_explains_an_unknown_region_and_shows_the_programme(
    client, taking_part, code
):
    message = f"Нет региона с кодом «{code}». Программа показана для всех регионов."

    response = client.get(f"/schedule/?region={code}")

    page = text_of(response)
    assert response.status_code == 200
    assert message in page
    assert "Выберите корректный вариант" not in page
    assert "Кировский форум качества" in page
    assert "Московский доклад" in page


def test_schedule_filter_explains_an_unknown_region_in_english(client, taking_part):
    page = text_of(client.get("/en/schedule/?region=99"))

    assert "There is no region with the code “99”." in page


def test_schedule_filter_offers_regions_with_activations_only_too(client, taking_part):
    html = client.get("/en/schedule/").content.decode()

    assert '<option value="16">Republic of Tatarstan</option>' in html


def test_schedule_filter_keeps_a_region_taking_no_part_chosen(client, taking_part):
    response = client.get("/schedule/?region=01")

    html = response.content.decode()
    assert '<option value="01" selected>Республика Адыгея</option>' in html
    assert "Нет событий по этим фильтрам." in text_of(response)


# Sitemap and navigation


def test_sitemap_lists_the_regions_taking_part(client, taking_part):
    xml = client.get("/sitemap.xml").content.decode()

    assert "http://testserver/regions/" in xml
    assert "http://testserver/regions/43/" in xml
    assert "http://testserver/en/regions/16/" in xml
    assert "/regions/01/" not in xml


def test_region_sitemap_is_empty_without_an_edition(db):
    assert list(RegionSitemap().items()) == []


def test_header_links_to_the_regions(client, edition_2023):
    html = client.get("/en/materials/").content.decode()

    assert '<a class="nav-link" href="/en/regions/">Regions</a>' in html


# Regional venues


def test_a_region_with_only_an_approved_venue_takes_part(client, edition_2023):
    VenueApplicationFactory(edition=edition_2023, region=region("35"), pending=True)
    VenueApplicationFactory(edition=edition_2023, region=region("43"))

    page = text_of(client.get("/regions/"))

    assert "Кировская область 1 региональная площадка" in page
    assert "Вологодская область" not in page


def test_region_page_lists_its_approved_venues_only(client, edition_2023):
    kirov = VenueApplicationFactory(
        edition=edition_2023, region=region("43"), venue_name="Зал министерства"
    )
    VenueApplicationFactory(
        edition=edition_2023, region=region("43"), venue_name="Ждёт", pending=True
    )
    VenueApplicationFactory(
        edition=edition_2023, region=region("16"), venue_name="Казанский зал"
    )

    page = text_of(client.get("/regions/43/"))

    assert f"Зал министерства {kirov.address} · {kirov.organising_body}" in page
    assert "Ждёт" not in page
    assert "Казанский зал" not in page
    assert kirov.email not in page
    assert kirov.tech_phone not in page


def test_region_page_changes_when_a_venue_is_approved(client, edition_2023):
    from venues import services

    pending = VenueApplicationFactory(
        edition=edition_2023, region=region("43"), pending=True
    )
    assert pending.venue_name not in text_of(client.get("/regions/43/"))

    services.approve(pending)

    assert pending.venue_name in text_of(client.get("/regions/43/"))


def test_region_page_carries_the_regional_days_stream_link(client, regional_day):
    Event.objects.filter(pk=regional_day.pk).update(
        stream_url="https://stream.example.ru/regional-day"
    )

    response = client.get("/regions/43/")

    html = response.content.decode()
    assert 'href="https://stream.example.ru/regional-day"' in html
    assert 'href="/regional-day/#online"' in html
    assert "Смотреть трансляцию" in text_of(response)


def test_region_page_without_the_stream_link_yet_says_it_comes(client, regional_day):
    response = client.get("/regions/43/")

    assert "Ссылка на трансляцию появится здесь" in text_of(response)
