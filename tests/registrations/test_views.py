import re
import threading

import pytest
import qrcode
import qrcode.image.svg
from django.core import mail
from django.db import connection, connections, transaction
from django.test import Client

from events.models import Event
from qualityweek import personal_data, spam
from registrations import links
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory
from tests.pages import text_of
from tests.registrations.helpers import link_in
from tests.spam import shown, shown_for_each_post

SITE = "https://qualityweek.example.ru"

FORM = {
    "surname": "Петров",
    "name": "Иван",
    "patronymic": "Сергеевич",
    "email": "ivan.petrov@example.ru",
    "phone": "8 916 123-45-67",
    "organisation": "ООО «Завод»",
    "position": "директор по качеству",
    "region": "43",
    "consent": "on",
    "homepage": "",
    **shown_for_each_post(),
}


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.QUALITYWEEK_SITE_URL = SITE


def confirm_path(registration) -> str:
    return f"/registrations/confirm/{links.sign_confirmation(registration)}/"


def fill(event, count):
    RegistrationFactory.create_batch(count, event=event, confirmed=True)


# The regional day page and its states


def test_regional_day_open_shows_what_where_seats_left_and_the_form(
    client, regional_day
):
    Event.objects.filter(pk=regional_day.pk).update(
        online_instructions="Площадки подключаются через платформу форума."
    )

    response = client.get("/regional-day/")

    page = text_of(response)
    assert response.status_code == 200
    assert "Региональный день форума «Всемирный день качества»" in page
    assert "ВДНХ, Региональный павильон" in page
    assert "Площадки подключаются через платформу форума." in page
    assert "Осталось 2 места" in page
    assert 'name="surname"' in response.content.decode()
    assert 'value="Зарегистрироваться"' in response.content.decode()


def test_regional_day_in_english(client, regional_day):
    response = client.get("/en/regional-day/")

    page = text_of(response)
    assert response.status_code == 200
    assert "Regional day of the forum “World Quality Day”" in page
    assert "2 seats left" in page
    assert "Surname" in page


def test_regional_day_not_open_yet_tells_when_it_opens(client, regional_day, clock):
    clock("2023-10-01T10:00+03:00")

    response = client.get("/regional-day/")

    page = text_of(response)
    assert (
        "Регистрация откроется 16 октября 2023 в 10:00 по московскому времени." in page
    )
    assert 'name="surname"' not in response.content.decode()


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        ("2023-11-09T19:00+03:00", "Регистрация на это мероприятие закрыта."),
        ("2023-11-10T12:00+03:00", "Регистрация на это мероприятие закрыта."),
        ("2023-11-11T10:00+03:00", "Это мероприятие уже прошло."),
    ],
)
def test_regional_day_closed_or_over_says_so_without_a_form(
    client, regional_day, clock, moment, message
):
    clock(moment)

    response = client.get("/regional-day/")

    assert message in text_of(response)
    assert 'name="surname"' not in response.content.decode()


def test_regional_day_full_offers_the_waiting_list(client, regional_day):
    fill(regional_day, 2)

    response = client.get("/regional-day/")

    page = text_of(response)
    assert "Все места заняты." in page
    assert "Можно встать в лист ожидания" in page
    assert 'value="Встать в лист ожидания"' in response.content.decode()


def test_regional_day_full_without_waiting_list_takes_no_more(client, regional_day):
    fill(regional_day, 2)
    Event.objects.filter(pk=regional_day.pk).update(keeps_waiting_list=False)

    response = client.get("/regional-day/")

    assert "К сожалению, все места заняты." in text_of(response)
    assert 'name="surname"' not in response.content.decode()


def test_regional_day_missing_is_404(client, edition_2023):
    response = client.get("/regional-day/")

    assert response.status_code == 404


def test_regional_day_unpublished_is_404(client, regional_day):
    Event.objects.filter(pk=regional_day.pk).update(is_published=False)

    response = client.get("/regional-day/")

    assert response.status_code == 404


def test_register_page_for_any_event_that_takes_registrations(client, regional_day):
    event = EventFactory(
        edition=regional_day.edition,
        in_person=True,
        takes_registrations=True,
        seats=10,
        consent_text=regional_day.consent_text,
    )

    response = client.get(f"/events/{event.slug}/register/")

    assert response.status_code == 200
    assert "Осталось 10 мест" in text_of(response)


def test_register_page_for_an_event_without_registration_is_404(client, edition_2023):
    event = EventFactory(edition=edition_2023)

    response = client.get(f"/events/{event.slug}/register/")

    assert response.status_code == 404


# Sending the form


def test_register_valid_form_stores_it_and_says_check_your_email(
    client, regional_day, committed
):
    with committed():
        response = client.post("/regional-day/", FORM)

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "/registrations/check-email/"
    assert registration.status == Registration.Status.PENDING
    assert registration.phone == "+79161234567"
    assert registration.language == "ru"
    assert mail.outbox[0].to == ["ivan.petrov@example.ru"]


def test_register_on_the_english_site_registers_in_english(
    client, regional_day, committed
):
    with committed():
        response = client.post("/en/regional-day/", FORM)

    assert response["Location"] == "/en/registrations/check-email/"
    assert Registration.objects.get().language == "en"
    assert mail.outbox[0].subject == (
        "Confirm your registration: Regional day of the forum “World Quality Day”"
    )


def test_register_invalid_form_keeps_what_was_typed(client, regional_day):
    response = client.post("/regional-day/", {**FORM, "phone": "123", "consent": ""})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Укажите номер телефона, например +7 916 123-45-67." in html
    assert (
        "Для регистрации нужно ваше согласие на обработку персональных данных." in html
    )
    assert 'value="Петров"' in html
    assert Registration.objects.count() == 0


def test_register_same_email_twice_answers_the_same(client, regional_day, committed):
    with committed():
        first = client.post("/regional-day/", FORM)
        second = client.post("/regional-day/", {**FORM, "surname": "Другой"})

    assert (first.status_code, first["Location"]) == (
        second.status_code,
        second["Location"],
    )
    assert Registration.objects.count() == 1
    assert [m.subject.split(":")[0] for m in mail.outbox] == [
        "Подтвердите регистрацию",
        "Вы уже зарегистрированы",
    ]


def test_register_honeypot_filled_stores_nothing_but_answers_the_same(
    client, regional_day, committed
):
    with committed():
        response = client.post("/regional-day/", {**FORM, "homepage": "spam"})

    assert response["Location"] == "/registrations/check-email/"
    assert Registration.objects.count() == 0
    assert mail.outbox == []


def test_register_honeypot_is_hidden_and_labelled_to_leave_empty(client, regional_day):
    html = client.get("/regional-day/").content.decode()

    honeypot = re.search(r'class="hp-field"\s*>.*?</div>\s*</div>', html, re.S)
    assert honeypot is not None
    assert "Оставьте это поле пустым" in honeypot.group(0)
    assert 'tabindex="-1"' in honeypot.group(0)


def test_register_too_many_from_one_address_is_refused_clearly(
    client, regional_day, settings
):
    settings.QUALITYWEEK_REGISTRATION_RATE = "2/h"
    for n in range(2):
        client.post("/regional-day/", {**FORM, "email": f"person{n}@example.ru"})

    response = client.post("/regional-day/", {**FORM, "email": "third@example.ru"})

    html = response.content.decode()
    assert response.status_code == 429
    assert (
        "Из вашей сети пришло слишком много регистраций. "
        "Пожалуйста, попробуйте через час." in html
    )
    assert 'value="third@example.ru"' in html
    assert html.count("Из вашей сети пришло слишком много регистраций.") == 1
    assert Registration.objects.count() == 2


def test_register_rate_limit_does_not_count_forms_sent_back_with_errors(
    client, regional_day, settings
):
    settings.QUALITYWEEK_REGISTRATION_RATE = "2/h"
    for _ in range(5):
        client.post("/regional-day/", {**FORM, "email": "not-an-address"})

    response = client.post("/regional-day/", FORM)

    assert response.status_code == 302
    assert Registration.objects.count() == 1


def test_register_form_with_errors_opens_at_the_form_with_a_summary(
    client, regional_day
):
    response = client.post("/regional-day/", {**FORM, "phone": "123"})

    html = response.content.decode()
    assert 'action="#register"' in html
    assert 'id="register"' in html
    assert "Исправьте отмеченные поля." in html
    # The summary names the field and leads to it.
    assert '<li><a href="#id_phone">Укажите номер телефона' in html


def test_register_rate_limit_is_per_address(regional_day, settings):
    settings.QUALITYWEEK_REGISTRATION_RATE = "1/h"
    Client(REMOTE_ADDR="192.0.2.1").post("/regional-day/", FORM)

    response = Client(REMOTE_ADDR="192.0.2.2").post(
        "/regional-day/", {**FORM, "email": "other@example.ru"}
    )

    assert response.status_code == 302
    assert Registration.objects.count() == 2


NGINX = "10.0.0.5"


@pytest.fixture
def behind_nginx(regional_day, settings):
    """The deployment's nginx in front, trusted; one sign-up an hour per address."""
    settings.QUALITYWEEK_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.QUALITYWEEK_REGISTRATION_RATE = "1/h"
    return Client(REMOTE_ADDR=NGINX)


def test_register_behind_a_trusted_proxy_counts_each_visitor_apart(behind_nginx):
    first = behind_nginx.post(
        "/regional-day/", FORM, headers={"X-Forwarded-For": "192.0.2.1"}
    )
    second = behind_nginx.post(
        "/regional-day/",
        {**FORM, "email": "other@example.ru"},
        headers={"X-Forwarded-For": "192.0.2.2"},
    )

    assert (first.status_code, second.status_code) == (302, 302)
    assert Registration.objects.count() == 2


def test_register_spoofed_forwarded_for_from_a_visitor_counts_the_visitor(
    behind_nginx,
):
    visitor = Client(REMOTE_ADDR="198.51.100.9")

    first = visitor.post(
        "/regional-day/", FORM, headers={"X-Forwarded-For": "192.0.2.1"}
    )
    second = visitor.post(
        "/regional-day/",
        {**FORM, "email": "other@example.ru"},
        headers={"X-Forwarded-For": "192.0.2.2"},
    )

    assert (first.status_code, second.status_code) == (302, 429)
    assert Registration.objects.count() == 1


@pytest.mark.parametrize("header", ["", "garbage", "192.0.2.1, nonsense", ",,"])
def test_register_malformed_forwarded_for_counts_the_proxy_never_a_500(
    behind_nginx, header
):
    first = behind_nginx.post(
        "/regional-day/", FORM, headers={"X-Forwarded-For": header}
    )
    second = behind_nginx.post(
        "/regional-day/",
        {**FORM, "email": "other@example.ru"},
        headers={"X-Forwarded-For": header},
    )

    assert (first.status_code, second.status_code) == (302, 429)
    assert Registration.objects.count() == 1


def test_register_from_a_peer_without_an_address_is_counted_not_a_500(
    regional_day, settings
):
    settings.QUALITYWEEK_REGISTRATION_RATE = "1/h"
    unix_socket = Client(REMOTE_ADDR="")

    first = unix_socket.post("/regional-day/", FORM)
    second = unix_socket.post("/regional-day/", {**FORM, "email": "other@example.ru"})

    assert (first.status_code, second.status_code) == (302, 429)


def test_register_when_closed_refuses_the_post(client, regional_day, clock):
    clock("2023-11-09T19:00+03:00")

    response = client.post("/regional-day/", FORM)

    assert response.status_code == 409
    assert "Регистрация на это мероприятие закрыта." in text_of(response)
    assert Registration.objects.count() == 0


def test_register_a_whole_office_behind_one_address_is_taken(client, regional_day):
    # The default rate: a ministry's delegation signs up from one office address.
    for n in range(12):
        response = client.post("/regional-day/", {**FORM, "email": f"c{n}@example.ru"})
        assert response.status_code == 302, n

    assert Registration.objects.count() == 12


def test_register_same_email_too_often_is_refused_clearly(regional_day):
    # Three tries an hour per e-mail address (the default), from any address.
    for n in range(3):
        Client(REMOTE_ADDR=f"192.0.2.{n}").post("/regional-day/", FORM)

    response = Client(REMOTE_ADDR="192.0.2.9").post(
        "/regional-day/", {**FORM, "email": " Ivan.Petrov@EXAMPLE.ru "}
    )

    html = response.content.decode()
    assert response.status_code == 429
    assert (
        "С этим адресом электронной почты пришло слишком много регистраций. "
        "Пожалуйста, попробуйте через час." in html
    )
    assert 'value="Петров"' in html
    assert Registration.objects.count() == 1


def test_register_email_rate_counts_a_hash_never_the_address(client, regional_day):
    from django.core.cache import cache

    client.post("/regional-day/", FORM)

    stored = repr(cache._cache) if hasattr(cache, "_cache") else ""
    assert stored
    assert "ivan.petrov" not in stored


def test_register_already_registered_letter_goes_once_an_hour(regional_day, committed):
    RegistrationFactory(event=regional_day, email=FORM["email"], confirmed=True)

    with committed():
        answers = [
            Client(REMOTE_ADDR=f"192.0.2.{n}").post("/regional-day/", FORM)
            for n in range(2)
        ]

    assert [(r.status_code, r["Location"]) for r in answers] == [
        (302, "/registrations/check-email/")
    ] * 2
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Вы уже зарегистрированы"]


def test_register_already_registered_letter_goes_again_after_the_pause(
    client, regional_day, committed, settings
):
    settings.QUALITYWEEK_ALREADY_REGISTERED_MAIL_MINUTES = 0
    RegistrationFactory(event=regional_day, email=FORM["email"], confirmed=True)

    with committed():
        client.post("/regional-day/", FORM)
        client.post("/regional-day/", FORM)

    assert len(mail.outbox) == 2


# The minimum fill time


def rendered_stamp(html: str) -> str:
    return re.search(r'name="rendered" value="([^"]+)"', html).group(1)


def test_register_form_carries_the_signed_moment_it_was_shown(client, regional_day):
    html = client.get("/regional-day/").content.decode()

    assert 'type="hidden" name="rendered"' in html
    assert spam.stamp_age(rendered_stamp(html)) == pytest.approx(0, abs=2)


def test_register_sent_at_once_after_the_page_answers_the_same_and_stores_nothing(
    client, regional_day, committed
):
    stamp = rendered_stamp(client.get("/regional-day/").content.decode())

    with committed():
        response = client.post("/regional-day/", {**FORM, "rendered": stamp})

    assert response["Location"] == "/registrations/check-email/"
    assert Registration.objects.count() == 0
    assert mail.outbox == []


def test_register_with_the_page_stamp_after_the_fill_time_is_stored(
    client, regional_day, settings
):
    settings.QUALITYWEEK_FORM_MIN_SECONDS = 0
    stamp = rendered_stamp(client.get("/regional-day/").content.decode())

    response = client.post("/regional-day/", {**FORM, "rendered": stamp})

    assert response["Location"] == "/registrations/check-email/"
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    "stamp", [None, "", "1700000000", "1700000000:forged-signature", "garbage"]
)
def test_register_without_a_true_stamp_answers_the_same_and_stores_nothing(
    client, regional_day, committed, stamp
):
    data = {key: value for key, value in FORM.items() if key != "rendered"}
    if stamp is not None:
        data["rendered"] = stamp

    with committed():
        response = client.post("/regional-day/", data)

    assert response["Location"] == "/registrations/check-email/"
    assert Registration.objects.count() == 0
    assert mail.outbox == []


def test_register_page_open_for_days_asks_to_send_again_and_keeps_the_form(
    client, regional_day
):
    response = client.post("/regional-day/", {**FORM, **shown(3 * 24 * 3600)})

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Страница была открыта очень долго. Проверьте, пожалуйста, форму и "
        "отправьте её ещё раз." in html
    )
    assert 'value="Петров"' in html
    assert spam.stamp_age(rendered_stamp(html)) == pytest.approx(0, abs=2)
    assert Registration.objects.count() == 0


def test_register_fixing_a_typo_keeps_the_first_render_time(client, regional_day):
    first_stamp = shown(600)["rendered"]

    response = client.post(
        "/regional-day/", {**FORM, "phone": "123", "rendered": first_stamp}
    )

    assert rendered_stamp(response.content.decode()) == first_stamp


def test_register_without_csrf_token_is_forbidden(regional_day):
    response = Client(enforce_csrf_checks=True).post("/regional-day/", FORM)

    assert response.status_code == 403
    assert Registration.objects.count() == 0


def test_check_email_page_explains_the_next_step(client, db):
    response = client.get("/registrations/check-email/")

    page = text_of(response)
    assert response.status_code == 200
    assert "Проверьте почту" in page
    assert "Ссылка действует 48 часов." in page


# The confirmation link


def test_confirm_link_opens_a_button_and_changes_nothing(client, regional_day):
    registration = RegistrationFactory(event=regional_day)

    response = client.get(confirm_path(registration))

    registration.refresh_from_db()
    assert response.status_code == 200
    assert "Подтвердить регистрацию" in text_of(response)
    assert registration.status == Registration.Status.PENDING
    regional_day.refresh_from_db()
    assert regional_day.seats_taken == 0


def test_confirm_button_takes_the_seat_and_opens_the_ticket(client, regional_day):
    registration = RegistrationFactory(event=regional_day)

    response = client.post(confirm_path(registration))

    registration.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/registrations/{registration.token}/"
    assert registration.status == Registration.Status.CONFIRMED


def test_confirm_twice_takes_one_seat_and_shows_the_page(client, regional_day):
    registration = RegistrationFactory(event=regional_day)
    path = confirm_path(registration)
    client.post(path)

    again = client.post(path)
    opened = client.get(path)

    regional_day.refresh_from_db()
    assert regional_day.seats_taken == 1
    assert again["Location"] == f"/registrations/{registration.token}/"
    assert opened["Location"] == f"/registrations/{registration.token}/"


def test_confirm_when_full_puts_on_the_waiting_list(client, regional_day):
    fill(regional_day, 2)
    registration = RegistrationFactory(event=regional_day)

    page = text_of(client.get(confirm_path(registration)))
    client.post(confirm_path(registration))

    registration.refresh_from_db()
    assert "Все места уже заняты." in page
    assert registration.status == Registration.Status.WAITING


def test_confirm_link_after_48_hours_has_expired(client, regional_day, clock):
    registration = RegistrationFactory(event=regional_day)
    path = confirm_path(registration)
    clock("2023-11-03T10:01+03:00")

    response = client.get(path)
    posted = client.post(path)

    page = text_of(response)
    registration.refresh_from_db()
    assert response.status_code == 410
    assert posted.status_code == 410
    assert "Срок действия ссылки истёк" in page
    assert "Ссылка для подтверждения действует 48 часов после отправки." in page
    assert f'href="/events/{regional_day.slug}/register/"' in (
        response.content.decode()
    )
    assert registration.status == Registration.Status.PENDING


def test_confirm_link_of_a_sign_up_already_expired_and_deleted_says_expired(
    client, regional_day, clock
):
    registration = RegistrationFactory(event=regional_day)
    path = confirm_path(registration)
    registration.delete()  # services.expire_pending_sign_ups, days later
    clock("2023-11-04T10:01+03:00")

    response = client.get(path)

    assert response.status_code == 410
    assert "Срок действия ссылки истёк" in text_of(response)


def test_confirm_link_within_48_hours_still_works(client, regional_day, clock):
    registration = RegistrationFactory(event=regional_day)
    path = confirm_path(registration)
    clock("2023-11-03T09:59+03:00")

    response = client.get(path)

    assert response.status_code == 200
    assert "Подтвердить регистрацию" in text_of(response)
    # …and the button does it.
    assert client.post(path)["Location"] == f"/registrations/{registration.token}/"
    registration.refresh_from_db()
    assert registration.status == registration.Status.CONFIRMED


@pytest.mark.parametrize(
    "tamper",
    [
        lambda signed: signed[:-2] + ("AA" if not signed.endswith("AA") else "BB"),
        lambda signed: "x" + signed,
        lambda signed: "not-a-link",
    ],
)
def test_confirm_link_tampered_does_not_work(client, regional_day, tamper):
    registration = RegistrationFactory(event=regional_day)
    signed = links.sign_confirmation(registration)

    response = client.post(f"/registrations/confirm/{tamper(signed)}/")

    registration.refresh_from_db()
    assert response.status_code == 400
    assert "Эта ссылка не работает" in text_of(response)
    assert 'href="/regional-day/"' in response.content.decode()
    assert registration.status == Registration.Status.PENDING


def test_confirm_link_carries_no_email(regional_day):
    registration = RegistrationFactory(event=regional_day, email="person@example.ru")

    signed = links.sign_confirmation(registration)

    assert signed.split(":")[0] == registration.confirmation_key
    assert "person" not in signed


def test_confirm_after_registration_closed_says_so(client, regional_day, clock):
    clock("2023-11-09T10:00+03:00")
    registration = RegistrationFactory(event=regional_day)
    path = confirm_path(registration)
    clock("2023-11-09T19:00+03:00")

    opened = client.get(path)
    posted = client.post(path)

    registration.refresh_from_db()
    assert "Регистрация на это мероприятие закрыта." in text_of(opened)
    assert posted.status_code == 409
    assert registration.status == Registration.Status.PENDING


# The participant's own page


def test_detail_confirmed_shows_the_printable_ticket(client, regional_day):
    registration = RegistrationFactory(event=regional_day, confirmed=True)

    response = client.get(f"/registrations/{registration.token}/")

    html = response.content.decode()
    page = text_of(response)
    assert response.status_code == 200
    assert "max-age=0" in response["Cache-Control"]
    assert registration.ticket_code in page
    assert "Иванова Мария Петровна" in page
    assert "Пятница, 10 ноября 2023, 10:00–18:00" in page
    assert "ВДНХ, Региональный павильон" in page
    assert f'src="/registrations/{registration.token}/qr.svg"' in html
    assert f'href="/events/{regional_day.slug}.ics"' in html
    assert f'href="/registrations/{registration.token}/cancel/"' in html
    assert '<meta name="robots" content="noindex">' in html


def test_detail_waiting_shows_the_place_in_line(client, regional_day):
    fill(regional_day, 2)
    RegistrationFactory(event=regional_day, waiting=True)
    second = RegistrationFactory(event=regional_day, waiting=True)

    response = client.get(f"/registrations/{second.token}/")

    page = text_of(response)
    assert "Ваш номер в листе ожидания — 2." in page
    assert "Выйти из листа ожидания" in page
    assert second.ticket_code not in page


def test_detail_cancelled_says_so_and_offers_to_register_again(client, regional_day):
    registration = RegistrationFactory(event=regional_day, cancelled=True)

    response = client.get(f"/registrations/{registration.token}/")

    page = text_of(response)
    assert "Ваша регистрация отменена. Билет больше не действует." in page
    assert 'status-cancelled">отменена</span>' in response.content.decode()
    assert "отменено" not in page
    assert registration.ticket_code not in page
    assert f'href="/events/{regional_day.slug}/register/"' in (
        response.content.decode()
    )


def test_detail_pending_asks_to_confirm(client, regional_day):
    registration = RegistrationFactory(event=regional_day)

    response = client.get(f"/registrations/{registration.token}/")

    assert "Ваша регистрация ещё не подтверждена." in text_of(response)


def test_detail_unknown_token_is_404(client, db):
    response = client.get("/registrations/no-such-token/")

    assert response.status_code == 404


def test_detail_erased_is_404(client, regional_day):
    registration = RegistrationFactory(event=regional_day, erased_at=regional_day.start)

    response = client.get(f"/registrations/{registration.token}/")

    assert response.status_code == 404


def test_qr_code_holds_the_check_in_link_of_the_ticket(client, regional_day):
    registration = RegistrationFactory(event=regional_day, confirmed=True)
    expected = qrcode.make(
        f"{SITE}/checkin/{registration.ticket_code}/",
        image_factory=qrcode.image.svg.SvgPathFillImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=10,
        border=4,
    ).to_string()

    response = client.get(f"/en/registrations/{registration.token}/qr.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content == expected


def test_qr_code_only_for_a_confirmed_seat(client, regional_day):
    registration = RegistrationFactory(event=regional_day, waiting=True)

    response = client.get(f"/registrations/{registration.token}/qr.svg")

    assert response.status_code == 404


# Cancelling


def test_cancel_page_asks_first_and_changes_nothing(client, regional_day):
    registration = RegistrationFactory(event=regional_day, confirmed=True)

    response = client.get(f"/registrations/{registration.token}/cancel/")

    registration.refresh_from_db()
    page = text_of(response)
    assert "Не сможете прийти?" in page
    assert "Освободить место" in page
    assert registration.status == Registration.Status.CONFIRMED


def test_cancel_button_frees_the_seat_for_the_first_in_line(
    client, regional_day, committed
):
    holder, _ = RegistrationFactory.create_batch(2, event=regional_day, confirmed=True)
    waiting = RegistrationFactory(event=regional_day, waiting=True)

    with committed():
        response = client.post(f"/registrations/{holder.token}/cancel/")

    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert response["Location"] == f"/registrations/{holder.token}/"
    assert holder.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED
    promoted = [m for m in mail.outbox if m.to == [waiting.email]]
    assert link_in(promoted[0], "/registrations/") == (
        f"/registrations/{waiting.token}/"
    )


def test_cancel_page_leaves_the_waiting_list(client, regional_day):
    fill(regional_day, 2)
    registration = RegistrationFactory(event=regional_day, waiting=True)

    page = text_of(client.get(f"/registrations/{registration.token}/cancel/"))
    client.post(f"/registrations/{registration.token}/cancel/")

    registration.refresh_from_db()
    assert "Выйти из листа ожидания?" in page
    assert registration.status == Registration.Status.CANCELLED


def test_cancel_page_when_already_cancelled_goes_to_the_registration(
    client, regional_day
):
    registration = RegistrationFactory(event=regional_day, cancelled=True)

    response = client.get(f"/registrations/{registration.token}/cancel/")

    assert response["Location"] == f"/registrations/{registration.token}/"


def test_cancel_after_the_event_is_refused_clearly(client, regional_day, clock):
    registration = RegistrationFactory(event=regional_day, confirmed=True)
    clock("2023-11-11T10:00+03:00")

    response = client.post(f"/registrations/{registration.token}/cancel/")

    assert response.status_code == 409
    assert "Это мероприятие уже прошло." in text_of(response)


# A busy database


@pytest.fixture
def seat_lock_held(regional_day, settings):
    """Another connection holds the event's seat lock until the test ends."""
    settings.QUALITYWEEK_SEAT_LOCK_TIMEOUT = 0.2
    locked, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                Event.objects.select_for_update().get(pk=regional_day.pk)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(5)
    if connection.vendor == "sqlite":
        # SQLite waits "timeout" (20 s) for its write lock; not that long here.
        connection.ensure_connection()
        connection.connection.execute("PRAGMA busy_timeout = 200")
    yield
    release.set()
    holder.join()
    if connection.vendor == "sqlite":
        connection.connection.execute("PRAGMA busy_timeout = 20000")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_confirm_when_the_seat_lock_is_busy_asks_to_try_again(regional_day, request):
    registration = RegistrationFactory(event=regional_day)
    path = confirm_path(registration)
    request.getfixturevalue("seat_lock_held")

    response = Client().post(path)

    registration.refresh_from_db()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Попробуйте ещё раз через минуту" in text_of(response)
    assert registration.status == Registration.Status.PENDING


def test_ticket_and_event_page_open_the_place_in_three_maps(client, regional_day):
    registration = RegistrationFactory(event=regional_day, confirmed=True)

    ticket = client.get(f"/registrations/{registration.token}/").content.decode()
    event_page = client.get(f"/events/{regional_day.slug}/").content.decode()

    for page in (ticket, event_page):
        assert "На карте:" in page
        assert 'href="https://yandex.ru/maps/?pt=37.637700,55.826300&amp;z=17"' in page
        assert 'href="https://2gis.ru/geo/37.637700,55.826300"' in page
        assert "https://www.openstreetmap.org/?mlat=55.826300&amp;mlon=37.637700" in (
            page
        )


def test_ticket_says_when_the_time_is_not_yet_confirmed(client, regional_day):
    Event.objects.filter(pk=regional_day.pk).update(is_time_confirmed=False)
    registration = RegistrationFactory(event=regional_day, confirmed=True)

    page = text_of(client.get(f"/registrations/{registration.token}/"))

    assert "10:00–18:00 (время уточняется)" in page


# «Check your e-mail»: the address shown, and corrected without refilling the form


def test_check_email_page_shows_where_the_letter_went(client, regional_day):
    response = client.post("/regional-day/", FORM, follow=True)

    page = text_of(response)
    assert "Мы отправили письмо со ссылкой на адрес ivan.petrov@example.ru" in page
    assert "Ошибка в адресе?" in page
    assert 'value="ivan.petrov@example.ru"' in response.content.decode()


def test_corrected_address_gets_the_link_and_keeps_the_answers(
    client, regional_day, committed
):
    client.post("/regional-day/", {**FORM, "email": "ivan.petorv@example.ru"})
    registration = Registration.objects.get()
    old_link = confirm_path(registration)
    mail.outbox.clear()

    with committed():
        response = client.post(
            "/registrations/check-email/",
            {"email": " Ivan.Petrov@Example.ru "},
            follow=True,
        )

    registration.refresh_from_db()
    assert registration.email == "ivan.petrov@example.ru"
    assert (registration.surname, registration.phone) == ("Петров", "+79161234567")
    assert Registration.objects.count() == 1
    [letter] = mail.outbox
    assert letter.to == ["ivan.petrov@example.ru"]
    assert "Готово: письмо отправлено на исправленный адрес" in text_of(response)
    assert "на адрес ivan.petrov@example.ru" in text_of(response)
    # The link that went to the mistyped address no longer opens the sign-up.
    assert client.get(old_link).status_code == 400
    new_link = link_in(letter, "/registrations/confirm/")
    client.post(new_link)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_address_cannot_be_corrected_once_confirmed(client, regional_day):
    client.post("/regional-day/", FORM)
    registration = Registration.objects.get()
    client.post(confirm_path(registration))

    response = client.post(
        "/registrations/check-email/", {"email": "someone.else@example.ru"}
    )

    registration.refresh_from_db()
    assert registration.email == "ivan.petrov@example.ru"
    assert "Эту регистрацию уже нельзя исправить здесь" in text_of(response)


def test_bad_corrected_address_gets_a_clear_error(client, regional_day):
    client.post("/regional-day/", FORM)

    response = client.post("/registrations/check-email/", {"email": "ivan@"})

    assert response.status_code == 200
    assert "Укажите адрес электронной почты в виде name@example.ru." in text_of(
        response
    )
    assert Registration.objects.get().email == "ivan.petrov@example.ru"


def test_correcting_to_an_address_already_signed_up_drops_the_typo(
    client, regional_day, committed
):
    someone = RegistrationFactory(event=regional_day, email="ivan.petrov@example.ru")
    client.post("/regional-day/", {**FORM, "email": "ivan.petorv@example.ru"})
    mail.outbox.clear()

    with committed():
        client.post("/registrations/check-email/", {"email": "ivan.petrov@example.ru"})

    assert list(Registration.objects.values_list("pk", flat=True)) == [someone.pk]
    [letter] = mail.outbox
    assert letter.to == ["ivan.petrov@example.ru"]
    # That sign-up was not this visitor's: a second correction changes nothing.
    client.post("/registrations/check-email/", {"email": "x@example.ru"})
    assert list(Registration.objects.values_list("email", flat=True)) == [
        "ivan.petrov@example.ru"
    ]


def test_a_sign_up_the_form_did_not_start_cannot_be_corrected(
    client, regional_day, committed
):
    someone = RegistrationFactory(event=regional_day, email="ivan.petrov@example.ru")
    response = client.post("/regional-day/", FORM, follow=True)
    mail.outbox.clear()

    with committed():
        corrected = client.post(
            "/registrations/check-email/", {"email": "x@example.ru"}, follow=True
        )

    # Offered and answered as to anyone (the page tells nobody the address is
    # known), but someone's sign-up is not this visitor's to change.
    assert "Исправьте его здесь" in text_of(response)
    assert "Готово: письмо отправлено на исправленный адрес" in text_of(corrected)
    someone.refresh_from_db()
    assert someone.email == "ivan.petrov@example.ru"
    assert list(Registration.objects.values_list("email", flat=True)) == [
        "ivan.petrov@example.ru"
    ]
    assert mail.outbox == []


def test_check_email_page_after_erasure_shows_no_address(
    client, regional_day, committed
):
    client.post("/regional-day/", FORM)
    with committed():
        personal_data.erase_person("ivan.petrov@example.ru")

    page = text_of(client.get("/registrations/check-email/"))

    assert "ivan.petrov" not in page
    assert "Мы отправили вам письмо со ссылкой" in page
    assert "Ошибка в адресе?" not in page


def test_check_email_page_opened_directly_is_the_plain_message(client):
    page = text_of(client.get("/registrations/check-email/"))

    assert "Мы отправили вам письмо со ссылкой" in page
    assert "Ошибка в адресе?" not in page


def test_a_participant_from_abroad_registers(client, regional_day):
    response = client.get("/regional-day/")
    assert '<option value="abroad">Другая страна (не Россия)</option>' in (
        response.content.decode()
    )

    response = client.post("/regional-day/", {**FORM, "region": "abroad"})

    assert response.status_code == 302
    assert Registration.objects.get().region is None


def test_region_left_unchosen_is_still_asked_for(client, regional_day):
    response = client.post("/regional-day/", {**FORM, "region": ""})

    assert "Выберите регион." in text_of(response)
    assert not Registration.objects.exists()


def test_check_email_page_says_when_the_mail_server_refused_the_letter(
    client, regional_day, committed
):
    client.post("/regional-day/", {**FORM, "email": "ivan.petorv@example.ru"})
    registration = Registration.objects.get()
    Registration.objects.filter(pk=registration.pk).update(
        email_failed_at=registration.created_at,
        email_failed_letter=Registration.Mail.CONFIRM_ADDRESS,
    )

    refused = text_of(client.get("/registrations/check-email/"))
    with committed():
        corrected = text_of(
            client.post(
                "/registrations/check-email/",
                {"email": "ivan.petrov@example.ru"},
                follow=True,
            )
        )

    assert "Почтовый сервер этого адреса не принял наше письмо" in refused
    assert "Почтовый сервер этого адреса не принял наше письмо" not in corrected
    registration.refresh_from_db()
    assert (registration.email, registration.email_failed_at) == (
        "ivan.petrov@example.ru",
        None,
    )
