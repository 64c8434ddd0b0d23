"""The personal data operator: set by organisers, named wherever consent is asked."""

import pytest

from qualityweek.models import DataOperator
from tests.pages import text_of

pytestmark = pytest.mark.django_db

OPERATOR = {
    "name": "АНО «Российская система качества»",
    "name_en": "Russian Quality System",
    "inn": "7703411312",
    "address": "Москва, ул. Образцова, 7",
    "address_en": "7 Obraztsova St, Moscow",
    "email": "pd@roskachestvo.example.ru",
    "phone": "+7 495 777-43-83",
}


def test_until_organisers_name_it_the_policy_says_so_and_invents_nothing(client):
    page = text_of(client.get("/privacy/"))

    assert "Организаторы вот-вот опубликуют здесь" in page
    assert "Оператор персональных данных" not in page


def test_organiser_sets_the_operator_and_every_place_shows_it(
    organiser_client, client, clock, regional_day
):
    client.get("/")  # the home page is cached: the edit must reach it at once

    assert organiser_client.get("/admin/qualityweek/dataoperator/").url == (
        "/admin/qualityweek/dataoperator/add/"
    )
    response = organiser_client.post("/admin/qualityweek/dataoperator/add/", OPERATOR)
    assert response.status_code == 302

    policy = text_of(client.get("/privacy/"))
    assert (
        "Оператор ваших персональных данных — АНО «Российская система качества», "
        "Москва, ул. Образцова, 7. ИНН 7703411312." in policy
    )
    assert "Запросы о ваших данных: pd@roskachestvo.example.ru" in policy
    assert "телефон +7 495 777-43-83" in policy
    home = text_of(client.get("/"))
    assert (
        "Оператор персональных данных: АНО «Российская система качества». "
        "Запросы о ваших данных: pd@roskachestvo.example.ru" in home
    )
    form = text_of(client.get("/regional-day/"))
    assert (
        "Оператор персональных данных: АНО «Российская система качества», "
        "Москва, ул. Образцова, 7." in form
    )
    english = text_of(client.get("/en/privacy/"))
    assert "Russian Quality System, 7 Obraztsova St, Moscow" in english


def test_an_edit_of_the_operator_shows_at_once(organiser_client, client):
    operator = DataOperator.objects.create(**OPERATOR)
    client.get("/privacy/")

    organiser_client.post(
        f"/admin/qualityweek/dataoperator/{operator.pk}/change/",
        {**OPERATOR, "email": "privacy@roskachestvo.example.ru"},
    )

    page = text_of(client.get("/privacy/"))
    assert "privacy@roskachestvo.example.ru" in page
    assert "pd@roskachestvo.example.ru" not in page


def test_there_is_one_operator_and_it_is_not_deleted(organiser_client):
    operator = DataOperator.objects.create(**OPERATOR)

    assert organiser_client.get("/admin/qualityweek/dataoperator/").url == (
        f"/admin/qualityweek/dataoperator/{operator.pk}/change/"
    )
    add = organiser_client.get("/admin/qualityweek/dataoperator/add/")
    delete = organiser_client.get(
        f"/admin/qualityweek/dataoperator/{operator.pk}/delete/"
    )

    assert add.url == f"/admin/qualityweek/dataoperator/{operator.pk}/change/"
    assert delete.status_code == 403


def test_a_wrong_inn_is_refused_in_words(organiser_client):
    response = organiser_client.post(
        "/admin/qualityweek/dataoperator/add/", {**OPERATOR, "inn": "12345"}
    )

    assert response.status_code == 200
    assert "ИНН состоит из 10 цифр (12 — у физического лица)." in text_of(response)
    assert not DataOperator.objects.exists()
