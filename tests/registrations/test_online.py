"""Taking part in the regional day online: no seat, the stream link, a reminder."""

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Event
from qualityweek import scheduler
from registrations import services, tasks
from registrations.models import Registration
from registrations.services.mail import online_reminder_key, send_online_reminder
from tests.admin_forms import change_form_data
from tests.factories import EventFactory, RegistrationFactory, moscow
from tests.pages import html_alike, text_of
from tests.registrations.helpers import link_in
from tests.registrations.test_views import FORM, SITE, confirm_path, fill
from tests.spam import shown_for_each_post
from tests.spreadsheets import csv_rows

STREAM = "https://stream.example.ru/regional-day"
CHECK_EMAIL = "/registrations/check-email/"
# The online form sits beside the in-person one, its fields prefixed; no phone.
ONLINE_FORM = {
    f"online-{name}": value
    for name, value in FORM.items()
    if name not in ("phone", "rendered")
}
ONLINE_FORM["online-rendered"] = shown_for_each_post()["rendered"]


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.QUALITYWEEK_SITE_URL = SITE


@pytest.fixture
def streamed(regional_day):
    Event.objects.filter(pk=regional_day.pk).update(stream_url=STREAM)
    regional_day.refresh_from_db()
    return regional_day


def sold_out(event):
    fill(event, event.seats)
    Event.objects.filter(pk=event.pk).update(keeps_waiting_list=False)


def test_regional_day_page_offers_online_sign_up_beside_the_in_person_form(
    client, regional_day
):
    response = client.get("/regional-day/")

    page = response.content.decode()
    assert 'id="online"' in page
    assert 'action="/regional-day/online/#online"' in page
    assert 'name="online-email"' in page
    assert 'name="online-phone"' not in page  # no pass, so no phone
    assert "для регистрации на онлайн-участие в мероприятии" in text_of(response)
    assert 'name="email"' in page  # the in-person form is still there


def region_queries(client, path, data=None) -> tuple[list[str], str]:
    """The queries of the regions table one page view makes, and the page."""
    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, data) if data else client.get(path)
    read = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "events_region"."id"')
        and 'FROM "events_region"' in query["sql"]
        and "WHERE" not in query["sql"]
    ]
    return read, response.content.decode()


def test_both_forms_of_the_regional_day_list_the_regions_read_once(
    client, regional_day
):
    read, page = region_queries(client, "/regional-day/")

    assert len(read) == 1
    # Both lists are whole: every region, and the last choice for abroad.
    assert page.count('value="54"') == 2
    assert page.count('value="abroad"') == 2
    english_read, english = region_queries(client, "/en/regional-day/")
    assert len(english_read) == 1
    assert english.count(">Novosibirsk Oblast<") == 2


def test_a_refused_online_sign_up_reads_the_regions_once_for_both_forms(
    client, regional_day
):
    data = {key: value for key, value in ONLINE_FORM.items() if key != "online-consent"}

    read, page = region_queries(client, "/regional-day/online/", data)

    assert len(read) == 1
    assert page.count('value="54"') == 2


# Locks, constraints and grouped counts: both databases.
@pytest.mark.postgres
def test_online_sign_up_with_all_seats_taken_succeeds_and_takes_no_seat(
    client, regional_day, committed
):
    sold_out(regional_day)

    page = client.get("/regional-day/")
    with committed():
        response = client.post("/regional-day/online/", ONLINE_FORM)
    registration = Registration.objects.get(email="ivan.petrov@example.ru")
    with committed():
        client.post(confirm_path(registration))

    registration.refresh_from_db()
    regional_day.refresh_from_db()
    assert "Все места заняты" in text_of(page)
    assert 'name="online-email"' in page.content.decode()
    assert response["Location"] == CHECK_EMAIL
    assert registration.mode == Registration.Mode.ONLINE
    assert registration.status == Registration.Status.ONLINE
    assert registration.phone == ""
    assert (regional_day.seats_taken, regional_day.seats) == (2, 2)
    assert Registration.objects.confirmed().count() == 2
    assert Registration.objects.waiting().count() == 0


def test_online_sign_up_needs_consent_as_the_in_person_form(client, regional_day):
    data = {key: value for key, value in ONLINE_FORM.items() if key != "online-consent"}

    response = client.post("/regional-day/online/", data)

    assert response.status_code == 200
    assert "Для регистрации нужно ваше согласие" in text_of(response)
    assert 'value="ivan.petrov@example.ru"' in response.content.decode()
    assert not Registration.objects.exists()


def test_online_sign_up_records_the_consent_text_in_force(client, regional_day):
    client.post("/regional-day/online/", ONLINE_FORM)

    registration = Registration.objects.get()
    assert registration.consent_text == regional_day.consent_text
    assert registration.consent_given_at is not None


def test_online_sign_up_closes_with_the_registration_window(
    client, regional_day, clock
):
    clock("2023-11-09T18:00+03:00")

    response = client.post("/regional-day/online/", ONLINE_FORM)

    assert response.status_code == 409
    assert "Регистрация на это мероприятие закрыта." in text_of(response)
    assert not Registration.objects.exists()


def test_online_sign_up_from_a_robot_stores_nothing(client, regional_day):
    response = client.post(
        "/regional-day/online/",
        {**ONLINE_FORM, "online-homepage": "https://spam.example"},
    )

    assert response["Location"] == CHECK_EMAIL
    assert not Registration.objects.exists()


def test_online_page_opened_directly_leads_to_the_form(client, regional_day):
    response = client.get("/regional-day/online/")

    assert response["Location"] == "/regional-day/#online"


def test_check_email_page_is_the_same_for_a_new_and_a_known_address_online(
    regional_day,
):
    new_visitor = Client()
    new = new_visitor.post("/regional-day/online/", ONLINE_FORM, follow=True)
    RegistrationFactory(
        event=regional_day, email="known@example.ru", confirmed=True
    )  # in person, with a seat

    known = Client().post(
        "/regional-day/online/",
        {**ONLINE_FORM, "online-email": "known@example.ru"},
        follow=True,
    )

    alike_new = html_alike(new).replace("ivan.petrov@example.ru", "ADDRESS")
    alike_known = html_alike(known).replace("known@example.ru", "ADDRESS")
    assert alike_known == alike_new
    assert Registration.objects.get(email="known@example.ru").mode == "in_person"


# Locks, constraints and grouped counts: both databases.
@pytest.mark.postgres
def test_pending_sign_up_switches_to_online_and_confirms_without_a_seat(
    client, regional_day, committed
):
    with committed():
        client.post("/regional-day/", FORM)
        client.post("/regional-day/online/", ONLINE_FORM)
    registration = Registration.objects.get()

    with committed():
        client.post(confirm_path(registration))

    registration.refresh_from_db()
    regional_day.refresh_from_db()
    assert registration.status == Registration.Status.ONLINE
    assert regional_day.seats_taken == 0
    assert "Вы участвуете онлайн" in mail.outbox[1].body


def test_confirmed_seat_stays_when_its_owner_signs_up_online(
    client, regional_day, committed
):
    holder = RegistrationFactory(
        event=regional_day, email="ivan.petrov@example.ru", confirmed=True
    )

    with committed():
        client.post("/regional-day/online/", ONLINE_FORM)

    holder.refresh_from_db()
    regional_day.refresh_from_db()
    assert (holder.status, holder.mode) == ("confirmed", "in_person")
    assert regional_day.seats_taken == 1
    assert mail.outbox[0].subject.startswith("Вы уже зарегистрированы")


def test_confirmation_letter_and_own_page_carry_the_stream_link(
    client, streamed, committed
):
    with committed():
        client.post("/regional-day/online/", ONLINE_FORM)
    registration = Registration.objects.get()
    confirm_letter = mail.outbox[0]
    with committed():
        client.post(link_in(confirm_letter, "/confirm/"))

    letter = mail.outbox[1]
    page = client.get(registration.get_absolute_url())
    assert "онлайн-участие" in confirm_letter.body
    assert letter.subject == f"Вы участвуете онлайн: {streamed.title}"
    assert f"Смотреть трансляцию: {STREAM}" in letter.body
    assert STREAM in letter.alternatives[0][0]
    assert [name for name, *_ in letter.attachments] == ["regional-day-2023.ics"]
    assert f'href="{STREAM}"' in page.content.decode()
    assert "Вы участвуете онлайн: место и пропуск не нужны." in text_of(page)
    assert client.get(f"{registration.get_absolute_url()}qr.svg").status_code == 404


def test_confirmation_letter_without_a_stream_link_yet_says_where_it_will_be(
    regional_day, committed
):
    registration = RegistrationFactory(event=regional_day, mode="online")

    with committed():
        services.confirm(registration)

    assert "ещё не опубликовали ссылку на трансляцию" in mail.outbox[0].body


# The reminder an hour before


# Locks, constraints and grouped counts: both databases.
@pytest.mark.postgres
def test_online_reminder_goes_once_an_hour_before_the_start(streamed, clock, committed):
    watcher = RegistrationFactory(event=streamed, mode="online")
    services.confirm(watcher)
    RegistrationFactory(event=streamed, confirmed=True)  # in person: not this one
    RegistrationFactory(event=streamed, mode="online")  # never confirmed
    mail.outbox.clear()

    clock("2023-11-10T08:58+03:00")
    with committed():
        early = services.send_online_reminders()
    clock("2023-11-10T09:02+03:00")
    with committed():
        due = services.send_online_reminders()
        again = services.send_online_reminders()

    assert (early, due, again) == (0, 1, 0)
    assert [letter.to for letter in mail.outbox] == [[watcher.email]]
    letter = mail.outbox[0]
    assert letter.subject == f"Трансляция начнётся через час: {streamed.title}"
    assert STREAM in letter.body


def test_online_reminder_task_run_twice_sends_one_letter(streamed, clock, committed):
    watcher = RegistrationFactory(event=streamed, mode="online")
    services.confirm(watcher)
    watcher.refresh_from_db()
    mail.outbox.clear()
    clock("2023-11-10T09:30+03:00")
    send_online_reminder(watcher)  # its task left queued: not committed
    watcher.refresh_from_db()
    key = online_reminder_key(watcher)

    with committed():
        tasks.send_mail.call(watcher.pk, Registration.Mail.ONLINE_REMINDER, letter=key)
        tasks.send_mail.call(watcher.pk, Registration.Mail.ONLINE_REMINDER, letter=key)

    assert len(mail.outbox) == 1


def test_online_reminder_leaves_events_already_started(streamed, clock, committed):
    watcher = RegistrationFactory(event=streamed, mode="online")
    services.confirm(watcher)
    mail.outbox.clear()
    clock("2023-11-10T10:05+03:00")

    with committed():
        sent = services.send_online_reminders()

    assert sent == 0
    assert mail.outbox == []


def test_in_person_reminder_leaves_those_taking_part_online(streamed, clock, committed):
    watcher = RegistrationFactory(event=streamed, mode="online")
    services.confirm(watcher)
    mail.outbox.clear()
    clock("2023-11-08T09:00+03:00")

    with committed():
        sent = services.send_reminders(days=2)

    assert sent == 0


def test_online_reminders_run_as_a_periodic_job_every_five_minutes():
    job = next(job for job in scheduler.JOBS if job.name == "send_online_reminders")

    assert job.task == "registrations.tasks.send_online_reminders"
    assert job.every_minutes == 5


# Organisers' side and personal data


# Locks, constraints and grouped counts: both databases.
@pytest.mark.postgres
def test_dashboard_counts_those_online_apart_from_seats(organiser_client, regional_day):
    RegistrationFactory(event=regional_day, confirmed=True)
    RegistrationFactory.create_batch(
        3, event=regional_day, mode="online", status="online"
    )
    RegistrationFactory(event=regional_day, mode="online")  # pending

    response = organiser_client.get(reverse("admin:dashboard"))

    item = next(i for i in response.context["figures"] if i.event == regional_day)
    assert (item.taken, item.online) == (1, 3)
    assert "Онлайн 3" in text_of(response)


def test_export_lists_both_and_the_pass_office_only_those_with_a_seat(
    officer_client, regional_day
):
    RegistrationFactory(event=regional_day, confirmed=True, surname="Очная")
    RegistrationFactory(
        event=regional_day, mode="online", status="online", surname="Онлайнова"
    )
    everyone = [r.pk for r in Registration.objects.all()]

    export = officer_client.post(
        "/admin/registrations/registration/",
        {"action": "export_csv", "_selected_action": everyone},
    )
    pass_office = officer_client.post(
        "/admin/registrations/registration/",
        {"action": "pass_office_csv", "_selected_action": everyone},
    )

    rows = csv_rows(export)
    taking_part = {row[4]: (row[1], row[2]) for row in rows[1:]}
    assert taking_part == {
        "Очная": ("место подтверждено", "очно"),
        "Онлайнова": ("участвует онлайн", "онлайн"),
    }
    assert "Онлайнова" not in pass_office.content.decode("utf-8-sig")
    assert "Очная" in pass_office.content.decode("utf-8-sig")


# Locks, constraints and grouped counts: both databases.
@pytest.mark.postgres
def test_erasure_covers_those_taking_part_online(regional_day):
    watcher = RegistrationFactory(event=regional_day, mode="online", status="online")

    services.erase_personal_data(watcher)

    watcher.refresh_from_db()
    assert watcher.status == Registration.Status.CANCELLED
    assert (watcher.surname, watcher.email) == ("", "")
    assert regional_day.seats_taken == 0


def test_personal_record_says_how_they_take_part(regional_day):
    watcher = RegistrationFactory(event=regional_day, mode="online", status="online")

    record = services.personal_record(watcher)

    assert (record["status"], record["mode"]) == ("online", "online")


# Locks, constraints and grouped counts: both databases.
@pytest.mark.postgres
def test_database_refuses_a_seat_held_online(regional_day):
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(event=regional_day, mode="online", confirmed=True)


# The day itself


def test_regional_day_page_opens_with_the_stream_while_the_day_is_on(
    client, streamed, clock
):
    before = client.get("/regional-day/").content.decode()
    clock("2023-11-10T12:00+03:00")

    response = client.get("/regional-day/")

    html = response.content.decode()
    assert 'class="live-now"' not in before
    assert "order-last" not in before
    assert html.index('class="live-now"') < html.index('id="register"')
    assert html.index(f'href="{STREAM}"') < html.index('id="register"')
    # The closed form goes below what is on (on a phone; beside it on a desktop).
    assert '<div class="col-lg-7 order-last order-lg-first">' in html
    assert "Регистрация на это мероприятие закрыта." in text_of(response)
    assert 'name="online-email"' not in html


def test_regional_day_page_names_the_days_sessions_on_now(client, streamed, clock):
    EventFactory(
        edition=streamed.edition,
        title="Секция: лучшие практики регионов",
        parent=streamed,
        start=moscow(2023, 11, 10, 11),
        end=moscow(2023, 11, 10, 13),
    )
    clock("2023-11-10T12:00+03:00")

    response = client.get("/regional-day/")

    assert "Сейчас также идут: Секция: лучшие практики регионов" in text_of(response)


def test_organisers_can_write_to_those_taking_part_online(
    organiser_client, regional_day, committed
):
    RegistrationFactory(event=regional_day, confirmed=True, email="seat@ex.ru")
    RegistrationFactory(
        event=regional_day, mode="online", status="online", email="online@ex.ru"
    )

    with committed():
        organiser_client.post(
            "/admin/events/event/",
            {
                "action": "write_to_registrations",
                "_selected_action": [regional_day.pk],
                "step": "send",
                "group": "online",
                "key": "o" * 32,
                "subject": "Ссылка на трансляцию",
                "body": "Добрый день!",
                "subject_en": "The stream link",
                "body_en": "Hello!",
            },
        )

    assert [letter.to for letter in mail.outbox] == [["online@ex.ru"]]


def test_cancelling_the_day_tells_those_online_without_a_word_of_tickets(
    organiser_client, regional_day, settings, committed
):
    settings.QUALITYWEEK_CHANGE_LETTER_DELAY_SECONDS = 0
    RegistrationFactory(
        event=regional_day, mode="online", status="online", email="online@ex.ru"
    )
    data = change_form_data(organiser_client, regional_day)
    data["is_cancelled"] = "on"
    url = f"/admin/events/event/{regional_day.pk}/change/"

    preview = organiser_client.post(url, data)
    with committed():
        organiser_client.post(url, {**data, "_change_letters": "send"})

    assert "Люди с местом, в листе ожидания или онлайн: 1" in text_of(preview)
    [letter] = mail.outbox
    assert letter.to == ["online@ex.ru"]
    assert "в котором вы собирались участвовать онлайн" in letter.body
    assert "билет" not in letter.body
    assert "/cancel/" not in letter.body


def test_cancelling_online_says_so_and_offers_the_online_form_again(
    client, regional_day, committed
):
    watcher = RegistrationFactory(event=regional_day, mode="online", status="online")

    with committed():
        services.cancel(watcher)
    page = client.get(watcher.get_absolute_url())

    letter = mail.outbox[0]
    assert "Ваша регистрация на онлайн-участие в мероприятии отменена" in letter.body
    assert "билет" not in letter.body
    assert f"{SITE}/regional-day/#online" in letter.body
    assert 'href="/regional-day/#online"' in page.content.decode()
    assert "билет" not in text_of(page)
