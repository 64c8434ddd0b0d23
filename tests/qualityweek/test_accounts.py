import pytest
from django.contrib.auth.models import User
from django.test import Client

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
