"""The page after a venue applies tells nobody whether the address is known."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from tests.pages import html_alike
from tests.venues.conftest import FORM
from venues.models import VenueApplication

pytestmark = pytest.mark.django_db


def send(data):
    response = Client().post("/regional-venues/new/", data, follow=True)
    assert response.redirect_chain == [("/regional-venues/sent/", 302)]
    return response


def test_page_after_applying_is_the_same_for_a_new_and_a_known_address(open_call):
    new = send({**FORM, "email": "olga.smirnova@example.ru"})

    known = send({**FORM, "email": " OLGA.Smirnova@Example.ru  "})

    assert html_alike(known) == html_alike(new)
    assert (
        VenueApplication.objects.filter(email="olga.smirnova@example.ru").count() == 2
    )


def test_applying_keeps_no_session(open_call):
    response = Client().post("/regional-venues/new/", FORM)

    assert response.status_code == 302
    assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0
