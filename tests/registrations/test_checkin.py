import threading

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connections
from django.test import Client

from registrations import links, services
from registrations.models import Registration, normalise_ticket_code
from tests.factories import RegistrationFactory, moscow
from tests.pages import text_of
from tests.registrations.helpers import JustAfter

pytestmark = pytest.mark.django_db

CODE = "KQ7MX2PA"


@pytest.fixture
def at_the_door(clock):
    clock("2023-11-10T09:30+03:00")


@pytest.fixture
def ticket(regional_day):
    return RegistrationFactory(
        event=regional_day,
        ticket_code=CODE,
        surname="Смирнова",
        name="Анна",
        patronymic="Игоревна",
        organisation="ООО «Северный завод»",
        confirmed=True,
    )


def staff_client(**permissions) -> Client:
    user = User.objects.create_user("door", password="door-2023", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(**permissions))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("kq7mx2pa", "KQ7MX2PA"),
        (" KQ7M-X2PA ", "KQ7MX2PA"),
        ("КQ7М Х2РА", "KQ7MX2PA"),  # К, М, Х, Р, А typed on a Russian keyboard
        ("--", ""),
    ],
)
def test_normalise_ticket_code_accepts_case_spaces_dashes_and_lookalikes(typed, code):
    assert normalise_ticket_code(typed) == code


def test_check_in_confirmed_registration_records_the_moment(ticket, at_the_door):
    services.check_in(ticket)

    ticket.refresh_from_db()
    assert ticket.checked_in_at == JustAfter(moscow(2023, 11, 10, 9, 30))


@pytest.mark.postgres
def test_check_in_twice_raises_error_with_the_time_of_the_first(ticket, at_the_door):
    ticket.checked_in_at = moscow(2023, 11, 10, 9, 12)
    ticket.save()

    with pytest.raises(services.RegistrationError) as error:
        services.check_in(ticket)

    assert str(error.value) == "Уже отмечен(а) на входе в 09:12, 10 ноября."


@pytest.mark.parametrize(
    ("trait", "message"),
    [
        ("cancelled", "Регистрация отменена: билет недействителен."),
        ("waiting", "Этот человек в листе ожидания, места у него нет."),
    ],
)
def test_check_in_without_a_seat_raises_a_clear_error(
    regional_day, at_the_door, trait, message
):
    registration = RegistrationFactory(event=regional_day, **{trait: True})

    with pytest.raises(services.RegistrationError) as error:
        services.check_in(registration)

    registration.refresh_from_db()
    assert str(error.value) == message
    assert registration.checked_in_at is None


def test_checkin_page_sends_anonymous_visitors_to_log_in(client, db):
    response = client.get("/checkin/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/checkin/"


def test_checkin_page_refuses_staff_without_the_permission(ticket):
    response = staff_client(codename="view_registration").get(f"/checkin/{CODE}/")

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("language", "heading", "advice"),
    [
        ("ru", "Нет доступа к этой странице", "добавить вас в группу «Organisers»"),
        ("en", "No access to this page", "add you to the Organisers group"),
    ],
)
def test_refused_staff_get_the_site_own_403_page_in_their_language(
    ticket, language, heading, advice
):
    prefix = "" if language == "ru" else f"/{language}"

    response = staff_client(codename="view_registration").get(f"{prefix}/checkin/")

    page = response.content.decode()
    assert response.status_code == 403
    assert heading in page
    assert advice in page
    assert "<strong>door</strong>" in page
    assert f"/admin/login/?next={prefix}/checkin/" in page
    assert "Forbidden" not in page


def test_checkin_page_opens_for_staff_with_the_change_permission(ticket):
    response = staff_client(codename="change_registration").get(f"/checkin/{CODE}/")

    assert response.status_code == 200
    assert CODE in response.content.decode()


def test_checkin_page_refuses_organisers_who_are_not_staff(ticket):
    user = User.objects.create_user("volunteer", password="door-2023")
    user.groups.add(Group.objects.get(name="Organisers"))
    client = Client()
    client.force_login(user)

    assert client.get(f"/checkin/{CODE}/").status_code == 403


def test_checkin_page_shows_the_code_form(organiser_client, db):
    response = organiser_client.get("/checkin/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="code"' in html
    assert 'method="get"' in html


def test_checkin_by_typed_code_opens_the_ticket(organiser_client, ticket):
    response = organiser_client.get("/checkin/", {"code": "kq7m-x2pa"})

    assert response.status_code == 302
    assert response["Location"] == f"/checkin/{CODE}/"


def test_checkin_by_unknown_code_says_so_on_the_form(organiser_client, ticket):
    response = organiser_client.get("/checkin/", {"code": "ZZZZ-ZZZZ"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Нет билета с кодом ZZZZZZZZ." in html
    assert 'value="ZZZZ-ZZZZ"' in html


def test_checkin_with_an_empty_code_asks_for_it(organiser_client, db):
    response = organiser_client.get("/checkin/", {"code": " - "})

    assert "Введите код с билета." in response.content.decode()


def test_checkin_by_qr_link_shows_the_person_and_one_button(
    organiser_client, ticket, at_the_door, settings
):
    settings.QUALITYWEEK_SITE_URL = "https://qualityweek.example.ru"
    url = links.checkin_url(ticket)

    response = organiser_client.get(url.removeprefix(settings.QUALITYWEEK_SITE_URL))

    html = response.content.decode()
    assert url == f"https://qualityweek.example.ru/checkin/{CODE}/"
    assert response.status_code == 200
    assert "checkin-status-can_check_in" in html
    assert "Смирнова Анна Игоревна" in html
    assert "ООО «Северный завод»" in html
    assert "Региональный день форума" in html
    assert html.count('method="post"') == 1
    assert "Отметить вход" in html


def test_checkin_ticket_link_in_lowercase_leads_to_the_ticket(organiser_client, ticket):
    response = organiser_client.get("/checkin/kq7m-x2pa/")

    assert response.status_code == 302
    assert response["Location"] == f"/checkin/{CODE}/"


def test_checkin_button_checks_in_and_says_so(organiser_client, ticket, at_the_door):
    response = organiser_client.post(f"/checkin/{CODE}/", follow=True)

    ticket.refresh_from_db()
    html = response.content.decode()
    assert response.redirect_chain == [(f"/checkin/{CODE}/", 302)]
    assert ticket.checked_in_at is not None
    assert "checkin-status-checked_in_now" in html
    assert "Вход отмечен" in html
    assert 'method="post"' not in html


def test_checkin_page_of_a_used_ticket_tells_when_it_was_used(
    organiser_client, ticket, at_the_door
):
    ticket.checked_in_at = moscow(2023, 11, 10, 9, 12)
    ticket.save()

    html = organiser_client.get(f"/checkin/{CODE}/").content.decode()

    assert "checkin-status-already_checked_in" in html
    assert "Билет уже использован в 09:12, 10 ноября." in html
    assert 'method="post"' not in html


def test_second_check_in_is_refused_with_the_time_of_the_first(
    organiser_client, ticket, at_the_door
):
    ticket.checked_in_at = moscow(2023, 11, 10, 9, 12)
    ticket.save()

    response = organiser_client.post(f"/checkin/{CODE}/")

    ticket.refresh_from_db()
    assert response.status_code == 409
    assert "Билет уже использован в 09:12, 10 ноября." in response.content.decode()
    assert ticket.checked_in_at == moscow(2023, 11, 10, 9, 12)


def test_checkin_page_of_a_cancelled_ticket_says_it_is_not_valid(
    organiser_client, regional_day, at_the_door
):
    RegistrationFactory(event=regional_day, ticket_code=CODE, cancelled=True)

    response = organiser_client.get(f"/checkin/{CODE}/")

    html = response.content.decode()
    assert "checkin-status-cancelled" in html
    assert "Регистрация отменена: билет недействителен." in html
    assert 'method="post"' not in html


def test_checkin_post_on_a_cancelled_ticket_changes_nothing(
    organiser_client, regional_day, at_the_door
):
    registration = RegistrationFactory(
        event=regional_day, ticket_code=CODE, cancelled=True
    )

    response = organiser_client.post(f"/checkin/{CODE}/")

    registration.refresh_from_db()
    assert response.status_code == 409
    assert registration.checked_in_at is None


def test_checkin_page_of_a_waiting_ticket_says_there_is_no_seat(
    organiser_client, regional_day, at_the_door
):
    RegistrationFactory(event=regional_day, ticket_code=CODE, waiting=True)

    html = organiser_client.get(f"/checkin/{CODE}/").content.decode()

    assert "checkin-status-waiting" in html
    assert "Места нет." in html


def test_checkin_page_of_an_unknown_code_is_a_clear_404(organiser_client, db):
    response = organiser_client.get("/checkin/ZZZZZZZZ/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "Неизвестный билет" in html
    assert "Нет билета с кодом ZZZZZZZZ." in html


def test_checkin_page_of_an_erased_registration_is_unknown(
    organiser_client, ticket, clock
):
    services.erase_personal_data(ticket)

    response = organiser_client.get(f"/checkin/{CODE}/")

    assert response.status_code == 404


def test_checkin_page_warns_when_the_ticket_is_for_another_day(
    organiser_client, ticket, clock
):
    clock("2023-11-09T09:30+03:00")

    html = organiser_client.get(f"/checkin/{CODE}/").content.decode()

    assert "этот билет на 10 ноября, а не на сегодня" in html


def test_checkin_pages_are_not_cached(organiser_client, ticket):
    response = organiser_client.get(f"/checkin/{CODE}/")

    assert "no-store" in response["Cache-Control"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_check_in_from_five_phones_at_once_lets_the_person_in_once(ticket, at_the_door):
    barrier = threading.Barrier(5)
    results = []

    def scan():
        try:
            barrier.wait()
            services.check_in(Registration.objects.get(pk=ticket.pk))
            results.append("in")
        except services.RegistrationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["in", "refused", "refused", "refused", "refused"]


def test_registration_stays_confirmed_after_check_in(ticket, at_the_door):
    services.check_in(ticket)

    assert Registration.objects.get().status == Registration.Status.CONFIRMED


def test_checkin_of_an_online_registration_says_there_is_no_seat(
    organiser_client, regional_day, at_the_door
):
    registration = RegistrationFactory(
        event=regional_day, ticket_code=CODE, mode="online", status="online"
    )

    page = organiser_client.get(f"/checkin/{CODE}/")
    post = organiser_client.post(f"/checkin/{CODE}/")

    registration.refresh_from_db()
    assert "checkin-status-online" in page.content.decode()
    assert "зарегистрировался на онлайн-участие" in text_of(page)
    assert post.status_code == 409
    assert registration.checked_in_at is None
