"""How sure an event is, said the same way in every channel: pages, now and
next, letters, calendar files, structured data and the sitemap."""

import icalendar
import pytest

from events import certainty
from events.models import Event
from events.templatetags.events_tags import event_when
from tests.events.test_structured_data import schema_org
from tests.factories import EventFactory, RegistrationFactory, VenueFactory, moscow

pytestmark = pytest.mark.django_db


@pytest.fixture
def place_to_come(edition_2023):
    """A hybrid session whose hall is not known yet."""
    return EventFactory(
        edition=edition_2023,
        slug="plenary",
        title="Пленарное заседание",
        format=Event.Format.HYBRID,
        venue=None,
        place_to_be_announced=True,
        start=moscow(2023, 11, 7, 11),
        end=moscow(2023, 11, 7, 13),
    )


def vevent(client, event) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(
        client.get(f"/events/{event.slug}.ics").content
    )
    [entry] = calendar.walk("VEVENT")
    return entry


def test_certainty_of_a_settled_event_has_no_marks(edition_2023):
    event = EventFactory(edition=edition_2023)

    marks = certainty.of(event)

    assert (marks.settled, marks.labels(), marks.when_caveat()) == (True, [], "")


def test_a_day_without_certain_hours_says_time_not_date(regional_day):
    Event.objects.filter(pk=regional_day.pk).update(is_time_confirmed=False)
    regional_day.refresh_from_db()

    assert event_when(regional_day) == (
        "Пятница, 10 ноября 2023, 10:00–18:00 (время уточняется)"
    )


def test_a_day_not_certain_says_date_and_time(regional_day):
    Event.objects.filter(pk=regional_day.pk).update(is_date_confirmed=False)
    regional_day.refresh_from_db()

    assert event_when(regional_day).endswith("(дата и время уточняются)")


# Calendar files.


def test_ics_of_a_place_to_be_announced_names_no_place(client, place_to_come):
    entry = vevent(client, place_to_come)

    assert "LOCATION" not in entry
    assert "Место уточняется" in str(entry["DESCRIPTION"])


def test_ics_of_an_online_event_says_online(client, edition_2023):
    event = EventFactory(edition=edition_2023, format=Event.Format.ONLINE, venue=None)

    assert str(vevent(client, event)["LOCATION"]) == "Онлайн"


def test_ics_of_a_format_to_be_announced_names_no_place(client, edition_2023):
    event = EventFactory(
        edition=edition_2023, format=Event.Format.TO_BE_ANNOUNCED, venue=None
    )

    entry = vevent(client, event)

    assert "LOCATION" not in entry
    assert "Формат уточняется" in str(entry["DESCRIPTION"])


def test_ics_marks_demo_in_the_title_and_as_tentative(client, edition_2023):
    event = EventFactory(edition=edition_2023, title="Вебинар", is_demo=True)

    entry = vevent(client, event)

    assert str(entry["SUMMARY"]) == "[Демо] Вебинар"
    assert entry["STATUS"] == "TENTATIVE"


def test_ics_of_hours_to_be_confirmed_is_tentative(client, regional_day):
    Event.objects.filter(pk=regional_day.pk).update(is_time_confirmed=False)

    entry = vevent(client, regional_day)

    assert entry["STATUS"] == "TENTATIVE"
    assert "Время уточняется" in str(entry["DESCRIPTION"])


# Structured data for search engines.


def test_json_ld_of_an_event_without_registration_offers_nothing(client, edition_2023):
    event = EventFactory(edition=edition_2023, takes_registrations=False)

    [data] = schema_org(client.get(f"/events/{event.slug}/"))

    assert "offers" not in data
    assert data["eventStatus"] == "https://schema.org/EventScheduled"


def test_json_ld_offer_follows_the_real_seats(client, regional_day, clock):
    page = f"/events/{regional_day.slug}/"
    [open_data] = schema_org(client.get(page))
    RegistrationFactory.create_batch(2, event=regional_day, confirmed=True)

    [full_data] = schema_org(client.get(page))

    assert open_data["offers"]["availability"] == "https://schema.org/InStock"
    assert full_data["offers"]["availability"] == "https://schema.org/SoldOut"


def test_json_ld_of_hours_to_be_confirmed_gives_the_day_and_claims_no_status(
    client, regional_day
):
    Event.objects.filter(pk=regional_day.pk).update(is_time_confirmed=False)

    [data] = schema_org(client.get(f"/events/{regional_day.slug}/"))

    assert (data["startDate"], data["endDate"]) == ("2023-11-10", "2023-11-10")
    assert "eventStatus" not in data


def test_json_ld_leaves_out_demo_and_an_uncertain_day(client, edition_2023):
    demo = EventFactory(edition=edition_2023, is_demo=True)
    undated = EventFactory(edition=edition_2023, is_date_confirmed=False)

    assert schema_org(client.get(f"/events/{demo.slug}/")) == []
    assert schema_org(client.get(f"/events/{undated.slug}/")) == []


def test_sitemap_leaves_out_demo_sessions(client, edition_2023):
    real = EventFactory(edition=edition_2023, slug="real-session")
    EventFactory(edition=edition_2023, slug="demo-session", is_demo=True)

    xml = client.get("/sitemap.xml").content.decode()

    assert f"/events/{real.slug}/" in xml
    assert "/events/demo-session/" not in xml


# Pages and letters.


def test_schedule_marks_demo_and_hours_to_be_confirmed(client, edition_2023, clock):
    EventFactory(edition=edition_2023, title="Демо-вебинар", is_demo=True)
    EventFactory(edition=edition_2023, title="Сессия", is_time_confirmed=False)

    html = client.get("/schedule/").content.decode()

    assert 'class="badge demo-badge"' in html
    assert "Время уточняется" in html


def test_now_and_next_marks_demo_and_hours_to_be_confirmed(client, edition_2023, clock):
    clock("2023-11-07T10:30+03:00")
    EventFactory(
        edition=edition_2023,
        title="Демо-сессия сейчас",
        is_demo=True,
        start=moscow(2023, 11, 7, 10),
        end=moscow(2023, 11, 7, 12),
    )
    EventFactory(
        edition=edition_2023,
        title="Позже, время не подтверждено",
        is_time_confirmed=False,
        start=moscow(2023, 11, 7, 15),
        end=moscow(2023, 11, 7, 17),
    )

    html = client.get("/").content.decode()
    now_next = html[html.index('class="section now-next"') :]

    assert "Демо-сессия сейчас" in now_next
    assert now_next.index("demo-badge") > now_next.index("Демо-сессия сейчас")
    assert "Время уточняется" in now_next
    assert "15:00" not in now_next[now_next.index("Позже") - 200 :]


def test_seat_letter_of_a_demo_session_says_it_is_demo(
    regional_day, mailoutbox, clock, django_capture_on_commit_callbacks
):
    from registrations import services

    Event.objects.filter(pk=regional_day.pk).update(is_demo=True)
    pending = RegistrationFactory(event=regional_day)

    with django_capture_on_commit_callbacks(execute=True):
        services.confirm(pending)

    [letter] = mailoutbox
    assert "Демо-содержание" in letter.body


def test_venue_directions_are_shown_as_written(client, edition_2023):
    venue = VenueFactory(directions="Вход — только по предварительной регистрации.")
    event = EventFactory(edition=edition_2023, venue=venue, format=Event.Format.OFFLINE)

    html = client.get(f"/events/{event.slug}/").content.decode()

    assert "Вход — только по предварительной регистрации." in html
