"""Taking part online in any streamed event of the week, not just the regional
day: `/events/<slug>/online/`, the same sign-up, letters, reminder and counts."""

import pytest
from django.core import mail

from events.models import Event
from registrations import services
from registrations.models import Registration
from tests.events.test_structured_data import event_data
from tests.factories import EventFactory, RegistrationFactory, VenueFactory, moscow
from tests.pages import text_of
from tests.registrations.helpers import link_in
from tests.registrations.test_online import ONLINE_FORM
from tests.registrations.test_views import SITE, confirm_path, fill
from tests.spreadsheets import csv_rows

STREAM = "https://stream.example.ru/plenary"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.QUALITYWEEK_SITE_URL = SITE


@pytest.fixture
def plenary(regional_day):
    """A hybrid session of the forum with a stream link and a small hall, its
    registration open at the site clock's default moment."""
    return EventFactory(
        edition=regional_day.edition,
        slug="plenary",
        title="Пленарное заседание",
        kind=Event.Kind.SESSION,
        format=Event.Format.HYBRID,
        venue=VenueFactory(name="Конгресс-холл"),
        stream_url=STREAM,
        start=moscow(2023, 11, 8, 10),
        end=moscow(2023, 11, 8, 12),
        takes_registrations=True,
        registration_opens=moscow(2023, 10, 16, 10),
        seats=1,
        keeps_waiting_list=False,
        consent_text=regional_day.consent_text,
    )


@pytest.fixture
def webinar(regional_day):
    """An event held online only that takes sign-ups: no hall, no seats."""
    return EventFactory(
        edition=regional_day.edition,
        slug="webinar",
        title="Вебинар о системах качества",
        format=Event.Format.ONLINE,
        stream_url=STREAM,
        start=moscow(2023, 11, 9, 15),
        end=moscow(2023, 11, 9, 16),
        takes_registrations=True,
        consent_text=regional_day.consent_text,
    )


def online_url(event) -> str:
    return f"/events/{event.slug}/online/"


# The event page


def test_event_page_of_a_streamed_event_offers_taking_part_online(client, plenary):
    response = client.get(plenary.get_absolute_url())

    html = response.content.decode()
    assert f'href="{online_url(plenary)}"' in html
    assert f'href="/events/{plenary.slug}/register/"' in html
    assert "Участвовать онлайн" in text_of(response)
    assert "Без ограничения мест: мы пришлём ссылку на трансляцию." in text_of(response)


def test_event_page_with_the_hall_full_still_offers_taking_part_online(client, plenary):
    fill(plenary, 1)

    response = client.get(plenary.get_absolute_url())

    assert "К сожалению, все места заняты." in text_of(response)
    assert f'href="{online_url(plenary)}"' in response.content.decode()


def test_event_page_of_an_event_held_in_person_only_offers_no_online_button(
    client, plenary
):
    Event.objects.filter(pk=plenary.pk).update(format=Event.Format.OFFLINE)

    response = client.get(plenary.get_absolute_url())

    assert online_url(plenary) not in response.content.decode()
    assert "Участвовать онлайн" not in text_of(response)


def test_event_page_of_an_event_held_online_only_offers_no_seat(client, webinar):
    response = client.get(webinar.get_absolute_url())

    html = response.content.decode()
    assert f'href="{online_url(webinar)}"' in html
    assert f"/events/{webinar.slug}/register/" not in html
    assert "места заняты" not in text_of(response)
    assert "только онлайн" not in text_of(response)


def test_event_page_follows_the_online_window_without_a_programme_change(
    client, webinar
):
    before = client.get(webinar.get_absolute_url())
    # As a seat changes hands: no save, no new programme revision.
    Event.objects.filter(pk=webinar.pk).update(
        registration_closes=moscow(2023, 11, 1, 9)
    )

    after = client.get(webinar.get_absolute_url())

    assert f'href="{online_url(webinar)}"' in before.content.decode()
    assert online_url(webinar) not in after.content.decode()
    assert "Регистрация на это мероприятие закрыта." in text_of(after)


def test_in_person_form_of_an_event_held_online_only_points_online(client, webinar):
    response = client.post(f"/events/{webinar.slug}/register/", {})

    assert response.status_code == 409
    assert "Это мероприятие проходит только онлайн" in text_of(response)
    assert f'href="{online_url(webinar)}"' in response.content.decode()
    assert not Registration.objects.exists()


def test_search_engines_are_offered_the_online_form_of_an_event_held_online_only(
    client, webinar
):
    data = event_data(client, webinar)

    assert data["offers"]["availability"] == "https://schema.org/InStock"
    assert data["offers"]["url"] == f"http://testserver{online_url(webinar)}"


# The online form


def test_online_page_shows_the_form_without_a_phone_and_the_stream(client, plenary):
    response = client.get(online_url(plenary))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="online-email"' in html
    assert 'name="online-phone"' not in html
    assert 'name="email"' not in html  # no in-person form on this page
    assert f'href="{STREAM}"' in html
    assert "для регистрации на онлайн-участие в мероприятии" in text_of(response)


# Locks, constraints and grouped counts: both databases.
@pytest.mark.postgres
def test_online_sign_up_with_the_hall_full_confirms_without_a_seat_and_sends_the_link(
    client, plenary, committed
):
    fill(plenary, 1)

    with committed():
        response = client.post(online_url(plenary), ONLINE_FORM)
    registration = Registration.objects.get(email="ivan.petrov@example.ru")
    with committed():
        client.post(confirm_path(registration))

    registration.refresh_from_db()
    plenary.refresh_from_db()
    assert response["Location"] == "/registrations/check-email/"
    assert (registration.mode, registration.status) == ("online", "online")
    assert (plenary.seats_taken, plenary.seats) == (1, 1)
    confirm_letter, letter = mail.outbox
    assert "онлайн-участие" in confirm_letter.body
    assert letter.subject == "Вы участвуете онлайн: Пленарное заседание"
    assert f"Смотреть трансляцию: {STREAM}" in letter.body


def test_online_sign_up_to_an_event_held_online_only_confirms(
    client, webinar, committed
):
    with committed():
        client.post(online_url(webinar), ONLINE_FORM)
    with committed():
        client.post(link_in(mail.outbox[0], "/confirm/"))

    registration = Registration.objects.get()
    assert registration.status == Registration.Status.ONLINE
    assert mail.outbox[1].subject == "Вы участвуете онлайн: Вебинар о системах качества"


def test_online_sign_up_needs_consent_as_the_in_person_form(client, plenary):
    data = {key: value for key, value in ONLINE_FORM.items() if key != "online-consent"}

    response = client.post(online_url(plenary), data)

    assert response.status_code == 200
    assert "Для регистрации нужно ваше согласие" in text_of(response)
    assert 'value="ivan.petrov@example.ru"' in response.content.decode()
    assert not Registration.objects.exists()


def test_online_sign_up_records_the_consent_text_in_force(client, plenary):
    client.post(online_url(plenary), ONLINE_FORM)

    registration = Registration.objects.get()
    assert registration.consent_text == plenary.consent_text
    assert registration.consent_given_at is not None


@pytest.mark.parametrize("method", ["get", "post"])
def test_online_page_of_an_event_not_streamed_says_so(client, plenary, method):
    Event.objects.filter(pk=plenary.pk).update(format=Event.Format.OFFLINE)

    response = getattr(client, method)(online_url(plenary), ONLINE_FORM)

    assert response.status_code == {"get": 200, "post": 409}[method]
    assert "Трансляция этого мероприятия не объявлена" in text_of(response)
    assert 'name="online-email"' not in response.content.decode()
    assert not Registration.objects.exists()


def test_online_page_of_a_cancelled_event_says_so(client, plenary):
    Event.objects.filter(pk=plenary.pk).update(is_cancelled=True)

    response = client.post(online_url(plenary), ONLINE_FORM)

    assert response.status_code == 409
    assert "Это событие отменено." in text_of(response)
    assert not Registration.objects.exists()


def test_online_page_of_an_event_that_is_over_says_so(client, plenary, clock):
    clock("2023-11-08T12:30+03:00")

    response = client.post(online_url(plenary), ONLINE_FORM)

    assert response.status_code == 409
    assert "Это мероприятие уже прошло." in text_of(response)
    assert not Registration.objects.exists()


def test_online_page_once_the_stream_has_begun_says_it_has_closed(
    client, plenary, clock
):
    clock("2023-11-08T10:30+03:00")

    response = client.get(online_url(plenary))

    assert "Регистрация на это мероприятие закрыта." in text_of(response)
    assert "Трансляцию можно смотреть и без регистрации." in text_of(response)


def test_online_page_of_an_event_taking_no_registrations_is_not_found(client, plenary):
    Event.objects.filter(pk=plenary.pk).update(takes_registrations=False)

    response = client.get(online_url(plenary))

    assert response.status_code == 404


# After signing up


def test_online_reminder_goes_for_any_streamed_event(plenary, clock, committed):
    watcher = RegistrationFactory(event=plenary, mode="online")
    services.confirm(watcher)
    mail.outbox.clear()
    clock("2023-11-08T09:05+03:00")

    with committed():
        sent = services.send_online_reminders()

    assert sent == 1
    [letter] = mail.outbox
    assert letter.subject == "Трансляция начнётся через час: Пленарное заседание"
    assert STREAM in letter.body


def test_cancelling_online_offers_this_events_online_form_again(
    client, plenary, committed
):
    watcher = RegistrationFactory(event=plenary, mode="online", status="online")

    with committed():
        services.cancel(watcher)
    page = client.get(watcher.get_absolute_url())

    assert f"{SITE}{online_url(plenary)}" in mail.outbox[0].body
    assert f'href="{online_url(plenary)}"' in page.content.decode()


# Organisers' side


def test_event_admin_counts_those_online_beside_the_seats(organiser_client, plenary):
    RegistrationFactory(event=plenary, confirmed=True)
    RegistrationFactory.create_batch(2, event=plenary, mode="online", status="online")

    listing = organiser_client.get("/admin/events/event/")
    page = organiser_client.get(f"/admin/events/event/{plenary.pk}/change/")

    assert "1 / 1 2 онлайн" in text_of(listing)
    assert "Онлайн: 2" in text_of(page)


def test_dashboard_and_export_count_those_online_in_any_event(
    organiser_client, officer_client, plenary
):
    RegistrationFactory(event=plenary, confirmed=True, surname="Очная")
    RegistrationFactory(event=plenary, mode="online", status="online", surname="Он")

    dashboard = organiser_client.get("/admin/dashboard/")
    export = officer_client.post(
        "/admin/registrations/registration/",
        {
            "action": "export_csv",
            "_selected_action": list(Registration.objects.values_list("pk", flat=True)),
        },
    )

    item = next(i for i in dashboard.context["figures"] if i.event == plenary)
    assert (item.taken, item.online) == (1, 1)
    rows = csv_rows(export)
    assert {row[4]: row[2] for row in rows[1:]} == {"Очная": "очно", "Он": "онлайн"}
