"""The next year's edition from this one, in one step (events.next_edition)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from events import next_edition
from events.models import Edition, Event
from registrations.models import Registration
from tests.factories import RegistrationFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db

ADMIN = "/admin/events/edition/"


@pytest.fixture
def shipped_2023(db):
    call_command("loaddata", "quality_week_2023", verbosity=0)
    return Edition.objects.get(year=2023)


def moscow_wall_clock(moment):
    local = timezone.localtime(moment)
    return local.weekday(), local.time()


def test_the_copy_of_2023_is_the_2024_week_by_the_rule(shipped_2023):
    edition = next_edition.copy(shipped_2023)

    assert edition.year == 2024
    assert (edition.first_day, edition.quality_day, edition.last_day) == (
        datetime.date(2024, 11, 11),
        datetime.date(2024, 11, 14),
        datetime.date(2024, 11, 17),
    )
    assert "2024" in edition.title
    assert edition.motto == ""  # the year's own, left to organisers
    edition.full_clean()  # the dates keep the week's rule


def test_every_copied_event_keeps_its_weekday_moscow_time_place_and_people(
    shipped_2023,
):
    sources = {
        item.slug: item.source for item in next_edition.plan(shipped_2023).events
    }

    edition = next_edition.copy(shipped_2023)

    copies = list(edition.events.all())
    assert len(copies) == len(sources) == shipped_2023.events.count()
    regional_day = edition.events.get(kind=Event.Kind.REGIONAL_DAY)
    assert regional_day.slug == "regional-day-2024"
    assert timezone.localtime(regional_day.start) == timezone.make_aware(
        datetime.datetime(2024, 11, 15, 10, 0)
    )
    for copy in copies:
        source = sources[copy.slug]
        assert moscow_wall_clock(copy.start) == moscow_wall_clock(source.start)
        assert moscow_wall_clock(copy.end) == moscow_wall_clock(source.end)
        assert copy.start - source.start == datetime.timedelta(days=371)
        assert copy.venue_id == source.venue_id
        assert set(copy.organisers.all()) == set(source.organisers.all())
        assert copy.kind == source.kind and copy.format == source.format
        if source.parent_id:
            assert copy.parent.edition == edition
            assert copy.parent.kind == source.parent.kind


def test_copies_start_unpublished_empty_and_marked_for_review(shipped_2023):
    regional_day = shipped_2023.events.get(kind=Event.Kind.REGIONAL_DAY)
    RegistrationFactory(event=regional_day, confirmed=True)
    Event.objects.filter(pk=regional_day.pk).update(
        sequence=7, stream_url="https://stream.example.ru/2023"
    )

    edition = next_edition.copy(shipped_2023)

    copied = edition.events.get(kind=Event.Kind.REGIONAL_DAY)
    assert not edition.events.filter(is_published=True).exists()
    assert not edition.events.filter(needs_review=False).exists()
    assert not edition.events.filter(is_time_confirmed=True).exists()
    assert (copied.seats_taken, copied.sequence, copied.stream_url) == (0, 0, "")
    assert copied.seats == regional_day.seats
    assert copied.takes_registrations
    assert Registration.objects.filter(event__edition=edition).count() == 0
    # The registration window moves with the week.
    assert copied.registration_opens - regional_day.registration_opens == (
        datetime.timedelta(days=371)
    )


def test_copying_twice_makes_one_2024(shipped_2023):
    first = next_edition.copy(shipped_2023)

    with pytest.raises(next_edition.AlreadyExists) as raised:
        next_edition.copy(shipped_2023)

    assert raised.value.edition == first
    assert Edition.objects.filter(year=2024).count() == 1
    assert Event.objects.filter(edition=first).count() == (shipped_2023.events.count())


def test_the_preview_shows_what_will_be_made_and_makes_nothing(
    organiser_client, shipped_2023
):
    response = organiser_client.post(
        ADMIN,
        {"action": "prepare_next_edition", "_selected_action": [shipped_2023.pk]},
    )
    assert response.url == f"{ADMIN}{shipped_2023.pk}/next-edition/"

    preview = organiser_client.get(response.url)

    page = text_of(preview)
    assert "Неделя 11 ноября 2024 – 17 ноября 2024" in page
    assert "День качества — 14 ноября" in page
    assert "Пт 15 ноября, 10:00–18:00" in page  # the regional day, moved
    assert "regional-day-2024" in page
    assert not Edition.objects.filter(year=2024).exists()


def test_the_preview_button_creates_the_edition_once(organiser_client, shipped_2023):
    url = f"{ADMIN}{shipped_2023.pk}/next-edition/"

    response = organiser_client.post(url)

    edition = Edition.objects.get(year=2024)
    assert response.url == (f"/admin/events/event/?edition__id__exact={edition.pk}")
    listing = text_of(organiser_client.get(response.url))
    assert "не опубликовано и отмечено для проверки" in listing or (
        "не опубликованы и отмечены для проверки" in listing
    )
    again = organiser_client.post(url)
    assert again.url == f"{ADMIN}{edition.pk}/change/"
    assert Edition.objects.filter(year=2024).count() == 1


def test_staff_without_the_right_to_add_editions_cannot_copy(client, shipped_2023):
    from django.contrib.auth.models import User

    user = User.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(user)

    response = client.post(f"{ADMIN}{shipped_2023.pk}/next-edition/")

    assert response.status_code == 403
    assert not Edition.objects.filter(year=2024).exists()


def test_the_copy_keeps_what_companies_are_invited_to_do(shipped_2023):
    copy = next_edition.copy(shipped_2023)

    assert list(copy.ideas.values_list("icon", "title")) == list(
        shipped_2023.ideas.values_list("icon", "title")
    )
