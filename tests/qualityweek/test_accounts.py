import datetime
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from qualityweek.accounts import LAST_ACTIVITY_KEY
from tests.pages import text_of
from tests.registrations.test_views import FORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client():
    client = Client()
    client.force_login(
        User.objects.create_superuser("chief", password="quality-week-chief-2023")
    )
    return client


def add_user(client, password):
    return client.post(
        "/admin/auth/user/add/",
        {
            "username": "new-organiser",
            "usable_password": "true",
            "password1": password,
            "password2": password,
        },
    )


def test_admin_user_creation_refuses_a_password_under_12_characters(
    superuser_client,
):
    response = add_user(superuser_client, "Kq7mX2pa-9z")  # 11 characters

    assert response.status_code == 200
    assert "Введённый пароль слишком короткий" in response.content.decode()
    assert not User.objects.filter(username="new-organiser").exists()


def test_admin_user_creation_takes_a_password_of_12_characters(superuser_client):
    add_user(superuser_client, "Kq7mX2pa-9zW")

    assert User.objects.get(username="new-organiser").check_password("Kq7mX2pa-9zW")


def test_admin_password_change_refuses_a_password_under_12_characters(
    superuser_client,
):
    organiser = User.objects.create_user("o", password="quality-week-2023")

    response = superuser_client.post(
        f"/admin/auth/user/{organiser.pk}/password/",
        {"password1": "Kq7mX2pa-9z", "password2": "Kq7mX2pa-9z"},
    )

    organiser.refresh_from_db()
    assert "Введённый пароль слишком короткий" in response.content.decode()
    assert organiser.check_password("quality-week-2023")


LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def organiser(db):
    user = User.objects.create_user(
        "organiser", password="quality-week-2023", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Organisers"))
    return user


def sign_in(client, password, *, address="10.0.0.1", username="organiser"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def fail_to_sign_in(client, times, *, address="10.0.0.1"):
    for _attempt in range(times):
        sign_in(client, "wrong-password-guess", address=address)


def test_sign_in_after_5_failures_is_paused_with_a_page_that_says_so(organiser):
    client = Client()
    fail_to_sign_in(client, 5)

    response = sign_in(client, "quality-week-2023")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "после 5 неудачных попыток" in text_of(response)
    assert "Попробуйте снова через 15 минут." in text_of(response)


def test_sign_in_after_4_failures_still_lets_the_organiser_in(organiser):
    client = Client()
    fail_to_sign_in(client, 4)

    response = sign_in(client, "quality-week-2023")

    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.session["_auth_user_id"] == str(organiser.pk)


def test_failures_from_a_strangers_address_never_lock_the_organiser_out(organiser):
    fail_to_sign_in(Client(), 20, address="203.0.113.9")
    client = Client()

    response = sign_in(client, "quality-week-2023", address="10.0.0.1")

    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_sign_in_works_again_after_the_cool_off(organiser):
    client = Client()
    fail_to_sign_in(client, 5)
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - datetime.timedelta(minutes=16)
    )

    response = sign_in(client, "quality-week-2023")

    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_lockout_reads_the_address_from_remote_addr_not_a_forwarded_header(
    organiser,
):
    client = Client()
    for attempt in range(5):
        client.post(
            LOGIN,
            {"username": "organiser", "password": "wrong-password-guess"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}",
        )

    assert list(
        AccessAttempt.objects.values_list("ip_address", "failures_since_start")
    ) == [("10.0.0.1", 5)]


def idle_for(client, seconds):
    session = client.session
    session[LAST_ACTIVITY_KEY] -= seconds
    session.save()


def test_staff_session_ends_after_4_idle_hours(organiser_client):
    organiser_client.get("/admin/")
    idle_for(organiser_client, 4 * 60 * 60 + 1)

    response = organiser_client.get("/admin/", follow=True)

    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]
    assert "_auth_user_id" not in organiser_client.session
    assert "Вы вышли из учётной записи" in text_of(response)


def test_staff_session_lives_on_while_used(organiser_client):
    organiser_client.get("/admin/")
    idle_for(organiser_client, 4 * 60 * 60 - 60)

    response = organiser_client.get("/admin/")

    assert response.status_code == 200
    assert organiser_client.session[LAST_ACTIVITY_KEY] == pytest.approx(
        time.time(), abs=5
    )


def test_staff_session_cookie_lasts_the_idle_time_not_two_weeks(organiser):
    client = Client()

    response = sign_in(client, "quality-week-2023")

    assert response.cookies["sessionid"]["max-age"] == 4 * 60 * 60
    assert client.session.get_expiry_age() == 4 * 60 * 60


def test_staff_idle_time_is_a_setting(organiser_client, settings):
    settings.QUALITYWEEK_ADMIN_IDLE_SECONDS = 600
    organiser_client.get("/admin/")
    idle_for(organiser_client, 601)

    response = organiser_client.get("/admin/", follow=True)

    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]


def test_public_pages_start_no_session(edition_2023):
    response = Client().get("/")

    assert "sessionid" not in response.cookies


def session_queries(queries) -> list[str]:
    return [query["sql"] for query in queries if "django_session" in query["sql"]]


def test_visitor_who_signed_up_reads_no_session_on_any_page(regional_day, clock):
    visitor = Client()

    with CaptureQueriesContext(connection) as queries:
        signed_up = visitor.post("/regional-day/", {**FORM, "email": "a@example.ru"})
        pages = [
            visitor.get(path).status_code
            for path in ("/registrations/check-email/", "/", "/regional-day/")
        ]

    assert (signed_up.status_code, pages) == (302, [200, 200, 200])
    assert session_queries(queries.captured_queries) == []
    assert list(visitor.cookies) == ["qw_sent_to", "csrftoken"]


def test_staff_session_is_read_only_for_a_request_with_its_cookie(organiser_client):
    anonymous = Client()

    with CaptureQueriesContext(connection) as visitor:
        anonymous.get("/admin/login/")
    with CaptureQueriesContext(connection) as staff:
        organiser_client.get("/admin/")

    assert session_queries(visitor.captured_queries) == []
    assert session_queries(staff.captured_queries) != []


def test_stored_attempts_mask_the_password_and_the_code(organiser):
    sign_in(Client(), "wrong-password-guess")
    Client().post(
        LOGIN,
        {"username": "organiser", "password": "another-guess", "otp_token": "123456"},
        REMOTE_ADDR="10.0.0.1",
    )

    stored = AccessAttempt.objects.get().post_data

    assert [
        secret
        for secret in ("wrong-password-guess", "another-guess", "123456")
        if secret in stored
    ] == []
