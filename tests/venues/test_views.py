import re

import pytest
from django.test import Client

from qualityweek import links
from tests.factories import VenueApplicationFactory, region
from tests.pages import text_of
from tests.spam import shown
from tests.venues.conftest import FORM
from venues import emails
from venues.models import VenueApplication

pytestmark = pytest.mark.django_db
NEW = "/regional-venues/new/"


def errors_of(response) -> dict:
    form = response.context["form"]
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def page_path(application) -> str:
    return emails.page_url(application).removeprefix(links.absolute(""))


def test_new_form_says_until_when_it_takes_applications(client, open_call):
    response = client.get(NEW)

    assert response.status_code == 200
    assert "Заявки принимаются до 8 ноября 2023, 18:00 по московскому времени" in (
        text_of(response)
    )
    assert "<p>Согласие на обработку данных площадки.</p>" in response.content.decode()


@pytest.mark.parametrize(
    ("moment", "says"),
    [
        ("2023-09-20T10:00+03:00", "Приём заявок откроется 2 октября 2023, 10:00"),
        ("2023-11-08T18:00+03:00", "Приём заявок закрыт 8 ноября 2023, 18:00"),
    ],
)
def test_outside_the_window_the_page_says_so_and_has_no_form(
    client, venue_call, venue_consent, clock, moment, says
):
    clock(moment)

    response = client.get(NEW)

    assert says in text_of(response)
    assert response.context["form"] is None
    assert client.post(NEW, FORM).status_code == 409
    assert not VenueApplication.objects.exists()


def test_without_a_call_the_page_says_the_dates_are_not_announced(
    client, edition_2023, venue_consent, clock
):
    response = client.get(NEW)

    assert "ещё не объявили сроки приёма заявок" in text_of(response)
    assert response.context["form"] is None


def test_without_a_consent_text_the_form_cannot_take_applications(
    client, venue_call, clock
):
    response = client.get(NEW)

    assert "не опубликовали текст согласия для заявок площадок" in text_of(response)
    assert client.post(NEW, FORM).status_code == 200
    assert not VenueApplication.objects.exists()


def test_submit_stores_a_pending_application_and_sends_a_receipt(
    client, open_call, mails
):
    response = mails.after(lambda: client.post(NEW, FORM))

    application = VenueApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "/regional-venues/sent/"
    assert (application.status, application.email, application.phone) == (
        "pending",
        "olga.smirnova@example.ru",
        "+79161234567",
    )
    assert (application.region.code, application.audience) == ("43", 60)
    assert application.consent_text.version == "2023-V1"
    assert [m.subject for m in mails] == [
        "Мы получили заявку площадки: Актовый зал министерства"
    ]
    assert mails[0].to == ["olga.smirnova@example.ru"]
    assert page_path(application) in mails[0].body


def test_submit_double_clicked_stores_one_application_and_answers_the_same(
    client, open_call, mails
):
    sent = {**FORM, **shown(), "submission_key": "0c9d7e5f3a1b4c6d8e0f2a4b6c8d0e1f"}

    answers = mails.after(lambda: [client.post(NEW, sent) for _ in range(2)])

    assert [answer["Location"] for answer in answers] == ["/regional-venues/sent/"] * 2
    assert VenueApplication.objects.count() == 1
    assert len(mails) == 1


def test_submit_in_english_writes_in_english(client, open_call, mails):
    mails.after(lambda: client.post("/en" + NEW, FORM))

    assert VenueApplication.objects.get().language == "en"
    assert mails[0].subject == (
        "We have received your venue application: Актовый зал министерства"
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("venue_name", "", "Укажите название площадки."),
        ("address", "", "Укажите адрес площадки."),
        ("organising_body", "", "Укажите организатора площадки."),
        ("region", "", "Выберите регион площадки."),
        ("region", "99", "Выберите регион из списка."),
        ("audience", "", "Укажите, сколько примерно человек будет смотреть."),
        ("audience", "0", "Укажите целое число человек, например 40."),
        ("audience", "сорок", "Укажите целое число человек, например 40."),
        ("audience", "100000", "Укажите не больше 10000 человек."),
        ("email", "olga@", "Укажите адрес электронной почты в виде name@example.ru."),
        ("phone", "12", "Укажите номер телефона, например +7 916 123-45-67."),
        ("tech_name", "", "Укажите имя технического специалиста."),
        ("tech_phone", "", "Укажите телефон технического специалиста."),
        (
            "consent",
            "",
            "Для заявки нужно ваше согласие на обработку персональных данных.",
        ),
    ],
)
def test_each_mistake_gets_a_clear_message_and_keeps_the_rest(
    client, open_call, field, value, message
):
    response = client.post(NEW, {**FORM, field: value})

    assert response.status_code == 200
    assert errors_of(response)[field] == [message]
    assert response.context["form"]["venue_name"].value() == FORM["venue_name"] or (
        field == "venue_name"
    )
    assert not VenueApplication.objects.exists()


def test_errors_come_in_english_on_the_english_form(client, open_call):
    response = client.post("/en" + NEW, {**FORM, "venue_name": ""})

    assert errors_of(response)["venue_name"] == ["Name the venue."]


def test_a_robot_gets_the_ordinary_answer_and_nothing_is_stored(
    client, open_call, mailoutbox
):
    for robot in ({"homepage": "http://spam.example"}, shown(seconds_ago=0)):
        response = client.post(NEW, {**FORM, **robot})

        assert response["Location"] == "/regional-venues/sent/"
    assert not VenueApplication.objects.exists()
    assert mailoutbox == []


def test_too_many_applications_with_one_address_are_refused_politely(
    client, open_call, settings
):
    settings.QUALITYWEEK_VENUE_EMAIL_RATE = "2/h"
    for _ in range(2):
        assert client.post(NEW, FORM).status_code == 302

    response = client.post(NEW, FORM)

    assert response.status_code == 429
    assert "слишком много заявок" in text_of(response)
    assert VenueApplication.objects.count() == 2


def test_the_venue_page_shows_the_state_and_the_instructions_once_approved(
    client, open_call
):
    pending = VenueApplicationFactory(edition=open_call.edition, pending=True)
    approved = VenueApplicationFactory(edition=open_call.edition)

    assert "ждёт модерации" in text_of(client.get(page_path(pending)))
    assert "forum.example.ru/join" not in text_of(client.get(page_path(pending)))
    page = client.get(page_path(approved))
    assert page.status_code == 200
    assert "Площадка одобрена" in text_of(page)
    assert re.search(
        r'<a href="https://forum.example.ru/join"[^>]*>', page.content.decode()
    )
    english = text_of(client.get("/en" + page_path(approved)))
    assert "Connect through the forum" in english


def test_the_venue_page_of_a_rejected_application_gives_the_reason(client, open_call):
    rejected = VenueApplicationFactory(edition=open_call.edition, rejected=True)

    text = text_of(client.get(page_path(rejected)))

    assert "Нет зала." in text
    assert "Отозвать заявку" not in text


def test_a_changed_or_foreign_link_does_not_open_a_page(client, open_call):
    application = VenueApplicationFactory(edition=open_call.edition)
    path = page_path(application)

    assert client.get(path[:-3] + "xyz/").status_code == 400
    activation_link = links.sign(application.access_key, salt="activations.edit")
    assert client.get(f"/regional-venues/{activation_link}/").status_code == 400


def test_an_old_link_says_it_has_expired(client, open_call, clock, settings):
    application = VenueApplicationFactory(edition=open_call.edition)
    path = page_path(application)
    clock("2024-06-01T10:00+03:00")

    response = client.get(path)

    assert response.status_code == 410
    assert "действует 180 дней" in text_of(response)


def test_withdrawing_asks_first_then_takes_the_venue_off_the_list(
    client, open_call, mails
):
    application = VenueApplicationFactory(edition=open_call.edition)
    path = page_path(application)

    confirm = client.get(path + "?withdraw=1")
    assert "Отозвать заявку? Площадка исчезнет" in text_of(confirm)
    assert VenueApplication.objects.get().status == "approved"

    response = mails.after(lambda: client.post(path, {"withdraw": "1"}))

    assert response["Location"] == path + "?withdrawn=1"
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert application.withdrawn_at is not None
    assert [m.subject for m in mails] == [
        f"Заявка площадки отозвана: {application.venue_name}"
    ]
    assert "Заявка отозвана. Мы отправили вам письмо" in text_of(
        client.get(path + "?withdrawn=1")
    )
    assert application.venue_name not in text_of(client.get("/regional-day/"))
    # A second post changes nothing and sends nothing.
    mails.after(lambda: client.post(path, {"withdraw": "1"}))
    assert len(mails) == 1


def test_an_erased_application_has_no_page(client, open_call):
    from venues import services

    application = VenueApplicationFactory(edition=open_call.edition)
    path = page_path(application)
    services.erase_personal_data(application)

    assert client.get(path).status_code == 400


def test_the_venue_page_is_never_cached(open_call):
    application = VenueApplicationFactory(edition=open_call.edition)

    response = Client().get(page_path(application))

    assert "no-store" in response["Cache-Control"] or "private" in response.get(
        "Cache-Control", ""
    )
    assert region("43").name in text_of(response)


def test_a_busy_database_keeps_what_was_typed(client, open_call, monkeypatch):
    from django.db import OperationalError

    from venues import services

    def busy(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "submit", busy)

    response = client.post(NEW, FORM)

    assert response.status_code == 503
    assert "Ничего не потеряно" in text_of(response)
    assert response.context["form"]["venue_name"].value() == FORM["venue_name"]
