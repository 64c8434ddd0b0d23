"""The page after an activation is sent tells nobody whether the address is known."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from activations.models import Activation
from tests.activations.conftest import FORM
from tests.pages import html_alike

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(edition_2023, activation_consent, clock, media):
    return edition_2023


def send(data):
    response = Client().post("/activations/new/", data, follow=True)
    assert response.redirect_chain == [("/activations/sent/", 302)]
    return response


def test_page_after_sending_is_the_same_for_a_new_and_a_known_address(ready):
    new = send({**FORM, "email": "anna.petrova@example.ru"})

    known = send({**FORM, "email": "  ANNA.Petrova@example.RU "})

    assert html_alike(known) == html_alike(new)
    assert Activation.objects.filter(email="anna.petrova@example.ru").count() == 2


def test_sending_keeps_no_session(ready):
    response = Client().post("/activations/new/", FORM)

    assert response.status_code == 302
    assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0
