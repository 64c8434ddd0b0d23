import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.pages import text_of

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "quality-week-2023"


@pytest.fixture
def organiser(db):
    user = User.objects.create_user("organiser", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Organisers"))
    return user


@pytest.fixture
def compulsory(settings):
    settings.QUALITYWEEK_ADMIN_2FA = True


@pytest.fixture
def phone(organiser):
    return TOTPDevice.objects.create(user=organiser, name="Телефон", confirmed=True)


def code(device, *, shift=0) -> str:
    return f"{totp(device.bin_key, step=device.step, drift=shift):06d}"


def sign_in(client, **extra):
    data = {"username": "organiser", "password": PASSWORD, "next": "/admin/"}
    return client.post(LOGIN, {**data, **extra})


def test_with_2fa_on_the_password_alone_does_not_open_the_admin(compulsory, phone):
    client = Client()

    response = sign_in(client)

    assert response.status_code == 200
    assert "Введите шестизначный код из приложения-аутентификатора." in text_of(
        response
    )
    assert client.get("/admin/").status_code == 302


def test_with_2fa_on_the_password_and_the_apps_code_open_the_admin(compulsory, phone):
    client = Client()

    response = sign_in(client, otp_token=code(phone))

    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_does_not_open_the_admin(compulsory, phone):
    client = Client()

    response = sign_in(client, otp_token=code(phone, shift=10))

    assert "Код не подходит." in text_of(response)
    assert client.get("/admin/").status_code == 302


def test_with_2fa_on_staff_without_an_app_are_sent_to_set_one_up(compulsory, organiser):
    client = Client()
    sign_in(client)

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1] == ("/admin/two-factor/?next=%2Fadmin%2F", 302)
    assert "<svg" in response.content.decode()
    assert "Вход в админку возможен только с двухфакторной" in text_of(response)
    assert client.get("/admin/registrations/registration/").status_code == 302


def test_setting_up_the_app_with_its_code_opens_the_admin(compulsory, organiser):
    client = Client()
    sign_in(client)
    client.get("/admin/two-factor/")
    device = TOTPDevice.objects.get(user=organiser)

    response = client.post(
        "/admin/two-factor/", {"otp_token": code(device), "next": "/admin/"}
    )

    device.refresh_from_db()
    assert device.confirmed is True
    assert 'href="/admin/"' in response.content.decode()  # after the recovery codes
    assert client.get("/admin/").status_code == 200


def test_setting_up_the_app_refuses_a_wrong_code(compulsory, organiser):
    client = Client()
    sign_in(client)
    client.get("/admin/two-factor/")
    device = TOTPDevice.objects.get(user=organiser)

    response = client.post("/admin/two-factor/", {"otp_token": code(device, shift=10)})

    device.refresh_from_db()
    assert "Код не подходит." in text_of(response)
    assert device.confirmed is False


def test_the_password_alone_cannot_add_a_second_app(phone, compulsory):
    client = Client()
    client.force_login(phone.user)

    response = client.get("/admin/two-factor/")

    assert response.status_code == 403
    assert TOTPDevice.objects.count() == 1


def test_with_2fa_off_the_password_opens_the_admin(organiser):
    client = Client()

    response = sign_in(client)

    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_with_2fa_off_an_organiser_with_an_app_still_gives_its_code(phone):
    client = Client()

    without = sign_in(client)
    with_code = sign_in(client, otp_token=code(phone))

    assert without.status_code == 200
    assert with_code["Location"] == "/admin/"


def test_with_2fa_on_check_in_wants_the_code_too(compulsory, phone):
    client = Client()
    client.force_login(phone.user)

    response = client.get("/checkin/")

    assert response["Location"] == "/admin/login/?next=/checkin/"


def test_superuser_adds_an_app_for_an_organiser_and_shows_its_qr_code(organiser):
    chief = User.objects.create_superuser("chief", password="quality-week-chief")
    client = Client()
    client.force_login(chief)

    added = client.post(
        "/admin/qualityweek/authenticator/add/",
        {"user": organiser.pk, "name": "Телефон Анны", "key": "ab" * 20},
    )
    device = TOTPDevice.objects.get(user=organiser)
    page = client.get(f"/admin/qualityweek/authenticator/{device.pk}/config/")

    assert added.status_code == 302
    assert device.confirmed is False  # its owner confirms it with a first code
    assert "<svg" in page.content.decode()
    assert "Пусть organiser отсканирует этот QR-код" in text_of(page)


def test_authenticator_apps_show_in_russian_in_admin(organiser):
    chief = User.objects.create_superuser("chief", password="quality-week-chief")
    client = Client()
    client.force_login(chief)

    index = text_of(client.get("/admin/"))

    assert "Приложения-аутентификаторы" in index
    assert "TOTP devices" not in index


@pytest.fixture
def staff_pages(edition_2023, regional_day):
    """Every page outside the admin that shows staff what visitors cannot see."""
    from tests.factories import ActivationFactory, EventFactory, RegistrationFactory

    draft = EventFactory(edition=edition_2023, slug="draft", unpublished=True)
    pending = ActivationFactory(edition=edition_2023, pending=True)
    ticket = RegistrationFactory(event=regional_day, confirmed=True)
    return [
        "/checkin/",
        f"/checkin/{ticket.ticket_code}/",
        draft.get_absolute_url(),
        pending.get_absolute_url(),
    ]


def test_with_2fa_on_the_password_alone_opens_no_staff_page(
    compulsory, phone, staff_pages
):
    client = Client()
    client.force_login(phone.user)  # the password, no code

    answers = [client.get(url) for url in staff_pages]

    assert [answer.status_code for answer in answers] == [302, 302, 404, 404]
    assert [answer["Location"] for answer in answers[:2]] == [
        f"/admin/login/?next={staff_pages[0]}",
        f"/admin/login/?next={staff_pages[1]}",
    ]


def test_with_2fa_on_the_apps_code_opens_every_staff_page(
    compulsory, phone, staff_pages
):
    client = Client()
    sign_in(client, otp_token=code(phone))

    answers = [client.get(url).status_code for url in staff_pages]

    assert answers == [200, 200, 200, 200]


# Recovery codes


def recovery_codes_shown(response) -> list[str]:
    return re.findall(
        r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", response.content.decode()
    )


def test_setting_up_the_app_shows_ten_recovery_codes_once(compulsory, organiser):
    client = Client()
    sign_in(client)
    client.get("/admin/two-factor/")
    device = TOTPDevice.objects.get(user=organiser)

    response = client.post(
        "/admin/two-factor/", {"otp_token": code(device), "next": "/admin/"}
    )

    codes = recovery_codes_shown(response)
    assert (response.status_code, len(set(codes))) == (200, 10)
    assert "Каждый код действует один раз" in text_of(response)
    assert 'href="/admin/"' in response.content.decode()
    assert recovery_codes_shown(client.get("/admin/two-factor/recovery-codes/")) == []


def test_a_recovery_code_signs_in_once_instead_of_the_apps_code(compulsory, phone):
    from qualityweek import two_factor

    recovery = two_factor.new_recovery_codes(phone.user)[0]

    first = sign_in(Client(), otp_token=recovery.upper().replace("-", " "))
    second = sign_in(Client(), otp_token=recovery)

    assert (first.status_code, first["Location"]) == (302, "/admin/")
    assert second.status_code == 200
    assert "Код не подходит." in text_of(second)


def test_the_apps_code_still_signs_in_beside_recovery_codes(compulsory, phone):
    from qualityweek import two_factor

    two_factor.new_recovery_codes(phone.user)

    response = sign_in(Client(), otp_token=code(phone))

    assert response["Location"] == "/admin/"


def test_new_recovery_codes_void_the_old_ones(compulsory, phone):
    from qualityweek import two_factor

    old = two_factor.new_recovery_codes(phone.user)
    client = Client()
    sign_in(client, otp_token=code(phone))

    page = client.get("/admin/two-factor/recovery-codes/")
    new = recovery_codes_shown(client.post("/admin/two-factor/recovery-codes/"))

    assert "У вас 10 неиспользованных кодов восстановления." in text_of(page)
    assert len(new) == 10 and not set(new) & set(old)
    assert sign_in(Client(), otp_token=new[0])["Location"] == "/admin/"
    assert sign_in(Client(), otp_token=old[0]).status_code == 200


def test_the_password_alone_cannot_make_recovery_codes(phone):
    client = Client()
    client.force_login(phone.user)

    response = client.post("/admin/two-factor/recovery-codes/")

    assert response.status_code == 403
    assert two_factor_codes_left(phone.user) == 0


def two_factor_codes_left(user) -> int:
    from qualityweek import two_factor

    return two_factor.recovery_codes_left(user)
