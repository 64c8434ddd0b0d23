"""Approved activations in the schedule, the feed and on the home page."""

import datetime

import pytest

from tests.factories import ActivationFactory, EventFactory, region
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(edition_2023):
    EventFactory(edition=edition_2023, title="Вебинар о качестве")
    approved = ActivationFactory(
        edition=edition_2023,
        title="Экскурсия на завод",
        kind="excursion",
        first_day=datetime.date(2023, 11, 8),
        last_day=datetime.date(2023, 11, 9),
    )
    ActivationFactory(edition=edition_2023, pending=True, title="Непроверенная")
    return approved


def test_schedule_shows_approved_activations_as_company_activations(client, programme):
    page = text_of(client.get("/schedule/"))

    assert "Экскурсия на завод" in page
    assert "Активация компании" in page
    assert "Непроверенная" not in page


def test_schedule_kind_filter_activation_shows_only_activations(client, programme):
    page = text_of(client.get("/schedule/?kind=activation"))

    assert "Экскурсия на завод" in page
    assert "Вебинар о качестве" not in page


def test_schedule_other_kind_hides_activations(client, programme):
    page = text_of(client.get("/schedule/?kind=session"))

    assert "Вебинар о качестве" in page
    assert "Экскурсия на завод" not in page


def test_schedule_region_filter_offers_and_applies_the_activations_region(
    client, programme
):
    response = client.get("/schedule/?region=43")

    assert "Экскурсия на завод" in text_of(response)
    assert "Вебинар о качестве" not in text_of(response)


def test_schedule_day_shows_a_multi_day_activation_on_each_day(client, programme):
    assert "Экскурсия на завод" in text_of(client.get("/schedule/2023-11-09/"))
    assert "Экскурсия на завод" not in text_of(client.get("/schedule/2023-11-10/"))


def test_schedule_text_search_finds_the_company(client, programme):
    page = text_of(client.get("/schedule/?q=" + programme.company_name[6:14]))

    assert "Экскурсия на завод" in page


def test_calendar_feed_holds_the_activation_and_follows_the_filters(client, programme):
    whole = client.get("/calendar.ics").content.decode()
    online = client.get("/calendar.ics?format=online").content.decode()

    assert f"UID:activation-{programme.pk}@" in whole
    assert "SUMMARY:Экскурсия на завод" in whole
    assert "Непроверенная" not in whole
    assert "Экскурсия на завод" not in online


def test_approving_shows_it_in_the_cached_schedule_at_once(
    client, programme, edition_2023, clock
):
    from activations import services

    client.get("/schedule/")
    later = ActivationFactory(edition=edition_2023, pending=True, title="Позже")
    services.approve(later)

    assert "Позже" in text_of(client.get("/schedule/"))


def test_home_counts_regions_and_activations_and_leads_to_the_form(
    client, programme, edition_2023
):
    ActivationFactory(edition=edition_2023, region=region("77"))
    response = client.get("/")
    html = response.content.decode()

    taking_part = response.context["taking_part"]
    assert taking_part["regions"] == 2
    # The activations' counter, registered from activations' ready().
    assert [(figure.count, figure.words) for figure in taking_part["figures"]] == [
        (2, "активации компаний")
    ]
    assert 'href="/activations/new/"' in html
    assert "2 активации компаний" in text_of(response)


def test_schedule_format_to_be_announced_leaves_activations_out(client, edition_2023):
    ActivationFactory(
        edition=edition_2023,
        title="Гибридный день открытых дверей",
        online_url="https://example.ru/live",
    )

    page = text_of(client.get("/schedule/?format=tba"))

    assert "Гибридный день открытых дверей" not in page
    assert "Гибридный день открытых дверей" in text_of(
        client.get("/schedule/?format=hybrid")
    )
