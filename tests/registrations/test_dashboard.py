import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from registrations.models import Registration
from tests.factories import (
    EventFactory,
    RegistrationFactory,
    moscow,
    region,
    registration_row,
)

URL = reverse("admin:dashboard")
DAY_MOMENT = "2023-11-10T11:07+03:00"  # the regional day, an hour after the start


@pytest.fixture
def day(clock, regional_day):
    """The regional day at 11:07 with 10 seats and people come from three places."""
    clock(DAY_MOMENT)
    regional_day.seats = 10
    regional_day.save(update_fields=["seats"])
    moscow_city, kirov = region("77"), region("43")
    seated = [
        # confirmed at, checked in at, region
        (moscow(2023, 11, 9, 23, 30), moscow(2023, 11, 10, 9, 5), moscow_city),
        (moscow(2023, 11, 10, 9, 10), moscow(2023, 11, 10, 9, 14), moscow_city),
        (moscow(2023, 11, 10, 9, 50), moscow(2023, 11, 10, 9, 15), kirov),
        (moscow(2023, 11, 10, 10, 30), moscow(2023, 11, 10, 10, 59), None),
        (moscow(2023, 11, 10, 11, 5), moscow(2023, 11, 10, 11, 2), kirov),
        (moscow(2023, 11, 10, 5, 30), None, kirov),
    ]
    for confirmed_at, checked_in_at, where in seated:
        RegistrationFactory(
            event=regional_day,
            confirmed=True,
            confirmed_at=confirmed_at,
            checked_in_at=checked_in_at,
            region=where,
        )
    RegistrationFactory.create_batch(
        2, event=regional_day, waiting=True, confirmed_at=moscow(2023, 11, 10, 10, 40)
    )
    RegistrationFactory(event=regional_day, cancelled=True)
    RegistrationFactory(event=regional_day)  # pending: not in any figure
    return regional_day


def figures_of(response, event):
    return next(item for item in response.context["figures"] if item.event == event)


def bars(items):
    return {bar.start.strftime("%H:%M"): bar.count for bar in items}


def test_dashboard_shows_seats_waiting_list_and_check_ins(organiser_client, day):
    response = organiser_client.get(URL)

    item = figures_of(response, day)
    assert (item.seats, item.taken, item.left) == (10, 6, 4)
    assert item.waiting == 2
    assert item.checked_in == 5
    page = response.content.decode()
    assert "Обновлено в 11:07:00 по московскому времени" in page
    assert '<meta http-equiv="refresh" content="30">' in page


def test_dashboard_counts_confirmations_in_moscow_hours(organiser_client, day):
    response = organiser_client.get(URL)

    hours = bars(figures_of(response, day).hours)
    assert list(hours) == [f"{hour:02d}:00" for hour in range(12)]
    # 23:30 the evening before is outside the last 12 hours.
    assert {hour: count for hour, count in hours.items() if count} == {
        "05:00": 1,
        "09:00": 2,
        "10:00": 3,  # one seat and two on the waiting list
        "11:00": 1,
    }


def test_dashboard_counts_check_ins_per_quarter_hour_from_doors_open_to_end(
    organiser_client, day
):
    response = organiser_client.get(URL)

    quarters = figures_of(response, day).quarters
    assert bars(quarters[:9]) == {
        "09:00": 2,
        "09:15": 1,
        "09:30": 0,
        "09:45": 0,
        "10:00": 0,
        "10:15": 0,
        "10:30": 0,
        "10:45": 1,
        "11:00": 1,
    }
    # The rest of the day, to 18:00, is still to come.
    assert [bar.start.strftime("%H:%M") for bar in quarters[9:]][::8] == [
        "11:15",
        "13:15",
        "15:15",
        "17:15",
    ]
    assert quarters[-1].start == moscow(2023, 11, 10, 17, 45)
    assert [bar.is_ahead for bar in quarters] == [False] * 9 + [True] * 27


def test_dashboard_of_an_event_of_several_days_charts_today(
    organiser_client, edition_2023, clock
):
    clock("2023-11-08T12:00+03:00")
    forum = EventFactory(
        edition=edition_2023,
        takes_registrations=True,
        in_person=True,
        seats=50,
        start=moscow(2023, 11, 7, 10),
        end=moscow(2023, 11, 10, 18),
    )
    for arrival in (moscow(2023, 11, 7, 9, 40), moscow(2023, 11, 8, 9, 50)):
        RegistrationFactory(event=forum, confirmed=True, checked_in_at=arrival)

    response = organiser_client.get(URL)

    quarters = figures_of(response, forum).quarters
    assert (quarters[0].start, quarters[-1].start) == (
        moscow(2023, 11, 8),
        moscow(2023, 11, 8, 23, 45),
    )
    assert {bar.start: bar.count for bar in quarters if bar.count} == {
        moscow(2023, 11, 8, 9, 45): 1
    }
    assert figures_of(response, forum).checked_in == 2


def test_dashboard_before_doors_open_says_so(organiser_client, regional_day, clock):
    clock("2023-11-10T08:30+03:00")

    response = organiser_client.get(URL)

    assert figures_of(response, regional_day).quarters == []
    assert "Вход ещё не открыт." in response.content.decode()


def test_dashboard_counts_by_participants_region(organiser_client, day):
    response = organiser_client.get(URL)

    rows = [
        (row.region.code if row.region else None, row.confirmed, row.checked_in)
        for row in figures_of(response, day).regions
    ]
    assert rows == [("43", 3, 2), ("77", 2, 2), (None, 1, 1)]
    page = response.content.decode()
    assert "Кировская область" in page
    assert "Другая страна (не Россия)" in page


def test_dashboard_in_english_names_regions_in_english(organiser_client, day):
    response = organiser_client.get("/en" + URL)

    page = response.content.decode()
    assert "Kirov Oblast" in page
    assert "Updated at 11:07:00, Moscow time" in page


def test_dashboard_leaves_out_events_without_registrations(
    organiser_client, day, edition_2023
):
    EventFactory(edition=edition_2023, takes_registrations=False, title="Без записи")

    response = organiser_client.get(URL)

    assert [item.event for item in response.context["figures"]] == [day]
    assert "Без записи" not in response.content.decode()


def _seed(event, count):
    regions = [region("77"), region("43"), region("50"), None]
    start = moscow(2023, 11, 10, 9)
    Registration.objects.bulk_create(
        registration_row(
            event,
            n,
            status=Registration.Status.CONFIRMED,
            region=regions[n % len(regions)],
            confirmed_at=start - datetime.timedelta(minutes=n),
            checked_in_at=start + datetime.timedelta(seconds=7 * n),
        )
        for n in range(count)
    )
    type(event).objects.filter(pk=event.pk).update(seats=count, seats_taken=count)


# The session, the user and their own and their groups' permissions.
SIGNING_IN = 4
# The events with their counts, confirmations per hour, check-ins per minute
# (folded into quarter-hours), counts per region.
DASHBOARD = 4


@pytest.mark.parametrize("count", [1, 3, 500])
def test_dashboard_takes_the_same_queries_for_any_number_of_people(
    organiser_client,
    regional_day,
    edition_2023,
    clock,
    count,
    django_assert_num_queries,
):
    clock(DAY_MOMENT)
    _seed(regional_day, count)
    # More events too: each with a seat taken and a check-in.
    for _ in range({1: 0, 3: 2, 500: 4}[count]):
        other = EventFactory(edition=edition_2023, takes_registrations=True, seats=9)
        RegistrationFactory(
            event=other, confirmed=True, checked_in_at=moscow(2023, 11, 10, 9)
        )

    with django_assert_num_queries(SIGNING_IN + DASHBOARD):
        response = organiser_client.get(URL)

    assert figures_of(response, regional_day).checked_in == count


def test_dashboard_sends_an_anonymous_visitor_to_sign_in(client, day):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={URL}"


def test_dashboard_is_not_for_a_participant(client, day):
    client.force_login(User.objects.create_user("participant"))

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={URL}"


def test_dashboard_refuses_staff_who_may_not_see_registrations(day):
    staff = User.objects.create_user("editor", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_event"))
    client = Client()
    client.force_login(staff)

    response = client.get(URL)

    assert response.status_code == 403


def test_admin_index_and_event_page_link_to_the_dashboard(organiser_client, day):
    index = organiser_client.get(reverse("admin:index")).content.decode()
    event_page = organiser_client.get(
        reverse("admin:events_event_change", args=[day.pk])
    ).content.decode()

    assert f'href="{URL}"' in index
    assert f'href="{URL}#event-{day.pk}"' in event_page


def test_admin_index_leaves_the_dashboard_out_for_staff_who_may_not_see_it(day):
    staff = User.objects.create_user("editor", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_event"))
    client = Client()
    client.force_login(staff)

    index = client.get(reverse("admin:index")).content.decode()

    assert "/admin/events/event/" in index
    assert URL not in index
