"""«Check your e-mail» after a sign-up: the same for every address, kept in a
sealed cookie of the visitor's own, never in a session."""

import base64
import time

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client

from registrations.models import Registration
from tests.factories import RegistrationFactory
from tests.pages import html_alike, text_of
from tests.registrations.test_views import FORM

CHECK_EMAIL = "/registrations/check-email/"
COOKIE = "qw_sent_to"
# The address as its owner once typed it, and as the next visitor types it.
KNOWN_TYPED = {**FORM, "email": "  Ivan.PETROV@Example.RU "}


def sign_up(data) -> tuple[Client, object]:
    """A visitor of their own sends the form; their page after it."""
    visitor = Client()
    response = visitor.post("/regional-day/", data, follow=True)
    assert response.redirect_chain == [(CHECK_EMAIL, 302)]
    return visitor, response


@pytest.mark.parametrize("known_as", ["pending", "confirmed", "cancelled"])
def test_page_after_sign_up_is_the_same_for_a_new_and_a_known_address(
    regional_day, known_as
):
    _, new = sign_up(FORM)
    Registration.objects.update(status=known_as)

    _, known = sign_up(KNOWN_TYPED)

    assert html_alike(known) == html_alike(new)
    assert "на адрес ivan.petrov@example.ru" in text_of(new)
    assert "Ошибка в адресе?" in text_of(new)
    assert Registration.objects.count() == 1


def test_page_after_sign_up_is_the_same_for_a_robot(regional_day):
    _, person = sign_up(FORM)
    Registration.objects.all().delete()

    _, robot = sign_up({**FORM, "homepage": "https://spam.example"})

    assert html_alike(robot) == html_alike(person)
    assert not Registration.objects.exists()


def test_correction_answers_alike_but_changes_only_the_visitors_own_sign_up(
    regional_day, committed
):
    # A new address, mistyped, corrected by the person who typed it.
    first, _ = sign_up({**FORM, "email": "ivan.petorv@example.ru"})
    with committed():
        own = first.post(CHECK_EMAIL, {"email": "ivan.petrov@example.org"}, follow=True)
    corrected = Registration.objects.get()
    # Someone else's known address, typed by another visitor, who "corrects" it.
    someone = RegistrationFactory(event=regional_day, email="anna.sidorova@example.ru")
    second, _ = sign_up({**FORM, "email": " Anna.Sidorova@Example.RU"})
    mail.outbox.clear()
    with committed():
        other = second.post(
            CHECK_EMAIL, {"email": "ivan.petrov@example.org"}, follow=True
        )

    assert html_alike(other) == html_alike(own)
    assert "Готово: письмо отправлено на исправленный адрес" in text_of(own)
    assert "на адрес ivan.petrov@example.org" in text_of(own)
    assert corrected.email == "ivan.petrov@example.org"
    assert sorted(Registration.objects.values_list("pk", "email")) == [
        (corrected.pk, "ivan.petrov@example.org"),
        (someone.pk, "anna.sidorova@example.ru"),
    ]
    assert mail.outbox == []


@pytest.mark.parametrize("known", [False, True], ids=["new", "known"])
def test_sign_up_keeps_no_session_and_no_plain_address(regional_day, known):
    if known:
        RegistrationFactory(event=regional_day, email="ivan.petrov@example.ru")
    visitor = Client()

    response = visitor.post("/regional-day/", KNOWN_TYPED)
    page = visitor.get(CHECK_EMAIL)

    assert "sessionid" not in response.cookies
    assert "sessionid" not in page.cookies
    assert Session.objects.count() == 0
    cookie = response.cookies[COOKIE]
    assert (cookie["httponly"], cookie["samesite"], cookie["max-age"]) == (
        True,
        "Lax",
        3600,
    )
    assert "ivan.petrov" not in cookie.value.lower()
    assert b"ivan.petrov" not in base64.urlsafe_b64decode(cookie.value + "==")
    assert "на адрес ivan.petrov@example.ru" in text_of(page)


def test_state_cookie_is_secure_when_the_site_is(regional_day, settings):
    settings.SESSION_COOKIE_SECURE = True

    response = Client().post("/regional-day/", FORM)

    assert response.cookies[COOKIE]["secure"] is True


def test_state_cookie_of_a_new_and_a_known_address_has_one_length(regional_day):
    new = Client().post("/regional-day/", FORM).cookies[COOKIE].value
    RegistrationFactory.create_batch(150, event=regional_day)

    known = Client().post("/regional-day/", KNOWN_TYPED).cookies[COOKIE].value

    assert len(known) == len(new)
    assert known != new


def test_changed_or_foreign_state_cookie_is_the_plain_page(regional_day):
    value = Client().post("/regional-day/", FORM).cookies[COOKIE].value
    forged = Client()
    forged.cookies[COOKIE] = value[:-4] + ("AAAA" if value[-4:] != "AAAA" else "BBBB")

    page = text_of(forged.get(CHECK_EMAIL))

    assert "ivan.petrov" not in page
    assert "Мы отправили вам письмо со ссылкой" in page
    assert "Ошибка в адресе?" not in page


def test_state_cookie_lasts_an_hour(regional_day, monkeypatch):
    visitor = Client()
    visitor.post("/regional-day/", FORM)
    sealed_at = time.time()
    monkeypatch.setattr("time.time", lambda: sealed_at + 3601)

    page = text_of(visitor.get(CHECK_EMAIL))

    assert "ivan.petrov" not in page
