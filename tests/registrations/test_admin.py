import datetime
import json
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import translation

from registrations.models import Registration
from tests.factories import (
    EventFactory,
    RegistrationFactory,
    moscow,
)
from tests.spreadsheets import csv_rows, formulas_in, record, sheet_of, values_of

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/registrations/registration/"


def act(client, action, registrations, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [r.pk for r in registrations], **extra},
    )


@pytest.fixture
def big_hall(edition_2023):
    return EventFactory(
        edition=edition_2023,
        title="Пленарное заседание",
        in_person=True,
        takes_registrations=True,
        seats=10,
        start=moscow(2023, 11, 9, 10),
        end=moscow(2023, 11, 9, 12),
    )


def test_organisers_group_manages_registrations_but_never_deletes_them():
    codenames = set(
        Group.objects.get(name="Organisers")
        .permissions.filter(content_type__app_label="registrations")
        .values_list("codename", flat=True)
    )

    assert codenames == {
        "view_registration",
        "change_registration",
    }


def test_registration_admin_refuses_staff_without_permission(regional_day):
    user = User.objects.create_user("intern", password="intern-2023", is_staff=True)
    client = Client()
    client.force_login(user)

    response = client.get(CHANGELIST)

    assert response.status_code == 403


def test_registration_list_shows_status_event_region_and_organisation(
    organiser_client, regional_day
):
    RegistrationFactory(event=regional_day, confirmed=True, surname="Смирнова")

    html = organiser_client.get(CHANGELIST).content.decode()

    assert "Смирнова Мария Петровна" in html
    assert "АО «Качество»" in html
    assert "Москва" in html
    assert regional_day.title in html


@pytest.mark.postgres
def test_registration_list_finds_by_ticket_code(organiser_client, regional_day):
    RegistrationFactory(event=regional_day, ticket_code="KQ7MX2PA", surname="Ким")
    RegistrationFactory(event=regional_day, surname="Орлов")

    html = organiser_client.get(CHANGELIST, {"q": "kq7mx2pa"}).content.decode()

    assert "Ким Мария" in html
    assert "Орлов" not in html


def test_registration_list_filters_the_checked_in(organiser_client, regional_day):
    RegistrationFactory(
        event=regional_day,
        confirmed=True,
        surname="Ким",
        checked_in_at=moscow(2023, 11, 10, 9),
    )
    RegistrationFactory(event=regional_day, confirmed=True, surname="Орлов")

    html = organiser_client.get(CHANGELIST, {"checked_in": "yes"}).content.decode()

    assert "Ким Мария" in html
    assert "Орлов" not in html


def test_registration_admin_neither_adds_nor_deletes(organiser_client, regional_day):
    registration = RegistrationFactory(event=regional_day)

    add = organiser_client.get(CHANGELIST + "add/")
    delete = organiser_client.get(f"{CHANGELIST}{registration.pk}/delete/")

    assert (add.status_code, delete.status_code) == (403, 403)


def test_registration_change_page_keeps_status_read_only(
    organiser_client, regional_day
):
    registration = RegistrationFactory(event=regional_day)

    html = organiser_client.get(f"{CHANGELIST}{registration.pk}/change/").content
    html = html.decode()

    assert 'name="surname"' in html
    assert 'name="status"' not in html


def test_cancel_action_frees_the_seat_for_the_waiting_list(
    organiser_client, regional_day, clock
):
    leaving = RegistrationFactory.create_batch(2, event=regional_day, confirmed=True)[0]
    waiting = RegistrationFactory(event=regional_day, waiting=True)

    act(organiser_client, "cancel", [leaving])

    leaving.refresh_from_db()
    waiting.refresh_from_db()
    assert leaving.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED
    assert LogEntry.objects.get().object_id == str(leaving.pk)


def test_promote_action_gives_free_seats_to_the_waiting_list_in_order(
    organiser_client, big_hall, clock
):
    first, second = RegistrationFactory.create_batch(2, event=big_hall, waiting=True)
    big_hall.seats = 1  # organisers raised the seats from 0 to 1
    big_hall.save()

    response = act(organiser_client, "promote_from_waiting_list", [second])

    first.refresh_from_db()
    second.refresh_from_db()
    assert response.status_code == 302
    assert first.status == Registration.Status.CONFIRMED
    assert second.status == Registration.Status.WAITING


def test_resend_email_action_sends_the_status_email_again(
    organiser_client,
    regional_day,
    clock,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    registration = RegistrationFactory(
        event=regional_day, confirmed=True, email="maria@example.ru"
    )

    with django_capture_on_commit_callbacks(execute=True):
        act(organiser_client, "resend_email", [registration])

    assert [message.to for message in mailoutbox] == [["maria@example.ru"]]


def test_check_in_action_checks_in_the_confirmed_and_reports_the_rest(
    organiser_client, regional_day, clock
):
    clock("2023-11-10T09:30+03:00")
    confirmed = RegistrationFactory(event=regional_day, confirmed=True)
    cancelled = RegistrationFactory(event=regional_day, cancelled=True)

    response = act(organiser_client, "check_in", [confirmed, cancelled])

    confirmed.refresh_from_db()
    cancelled.refresh_from_db()
    notes = [str(message) for message in get_messages(response.wsgi_request)]
    assert confirmed.checked_in_at is not None
    assert cancelled.checked_in_at is None
    assert notes == [
        f"{cancelled}: Регистрация отменена: билет недействителен.",
        "1 человек отмечен(а) на входе.",
    ]


@pytest.fixture
def checked_in(regional_day):
    """A registration whose organisation and position look like formulas."""
    return RegistrationFactory(
        event=regional_day,
        confirmed=True,
        ticket_code="KQ7MX2PA",
        organisation='=HYPERLINK("http://evil.example";"Нажми")',
        position="@SUM(A1)",
        checked_in_at=moscow(2023, 11, 10, 9, 42),
    )


def test_export_csv_action_gives_a_file_excel_opens_in_russian(
    officer_client, regional_day, checked_in
):
    response = act(officer_client, "export_csv", Registration.objects.all())

    rows = csv_rows(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="registrations.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf\xd0\x9a")  # BOM, then «К»
    assert response.content.count(b"\r\n") == 2
    assert rows[0][:5] == ["Код билета", "Статус", "Участие", "Мероприятие", "Фамилия"]
    assert rows[1] == [
        "KQ7MX2PA",
        "место подтверждено",
        "очно",
        regional_day.title,
        "Иванова",
        "Мария",
        "Петровна",
        rows[1][7],
        "\u200b+79161234567",  # text to Excel, and no apostrophe in sight
        '\'=HYPERLINK("http://evil.example";"Нажми")',
        "'@SUM(A1)",
        "Москва",
        rows[1][12],
        "01.11.2023 11:00",
        "10.11.2023 09:42",
    ]


REGISTRATION_HEADERS = [
    "Код билета",
    "Статус",
    "Участие",
    "Мероприятие",
    "Фамилия",
    "Имя",
    "Отчество",
    "Электронная почта",
    "Телефон",
    "Организация",
    "Должность",
    "Регион",
    "Дата регистрации",
    "Подтверждена",
    "Вход отмечен",
]


def test_export_xlsx_action_gives_a_workbook_in_russian_with_moscow_times(
    officer_client, regional_day, checked_in
):
    response = act(officer_client, "export_xlsx", Registration.objects.all())

    sheet = sheet_of(response)
    row = record(sheet)
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="registrations.xlsx"'
    )
    assert sheet.title == "Регистрации"
    assert [cell.value for cell in sheet[1]] == REGISTRATION_HEADERS
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 2
    assert row["Мероприятие"].value == regional_day.title
    assert sheet.column_dimensions[row["Мероприятие"].column_letter].width > 40
    checked_in = row["Вход отмечен"]
    assert (checked_in.value, checked_in.number_format) == (
        datetime.datetime(2023, 11, 10, 9, 42),
        "DD.MM.YYYY HH:MM",
    )
    assert [
        (row[name].value, row[name].data_type)
        for name in ["Код билета", "Телефон", "Организация", "Должность"]
    ] == [
        ("KQ7MX2PA", "s"),
        ("+79161234567", "s"),
        ('=HYPERLINK("http://evil.example";"Нажми")', "s"),
        ("@SUM(A1)", "s"),
    ]
    assert formulas_in(response) == 0


def shown(value) -> str:
    """A cell of the workbook as Excel shows it with the formats the export sets."""
    if isinstance(value, datetime.datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    return "" if value is None else str(value)


def test_export_csv_and_xlsx_hold_the_same_list(officer_client, regional_day):
    RegistrationFactory(event=regional_day, confirmed=True, surname="Абрамова")
    RegistrationFactory(event=regional_day, waiting=True, surname="Жуков")

    rows = csv_rows(act(officer_client, "export_csv", Registration.objects.all()))
    sheet = sheet_of(act(officer_client, "export_xlsx", Registration.objects.all()))

    assert [[shown(value) for value in row] for row in values_of(sheet)] == [
        [cell.removeprefix("\u200b") for cell in row] for row in rows
    ]


@pytest.mark.postgres
def test_pass_office_list_is_alphabetical_with_confirmed_people_only(
    officer_client, big_hall
):
    for surname in ["Ёлкин", "Абрамова", "Жуков", "елисеев"]:
        RegistrationFactory(event=big_hall, surname=surname, confirmed=True)
    RegistrationFactory(event=big_hall, surname="Борисов", cancelled=True)
    RegistrationFactory(event=big_hall, surname="Волков", waiting=True)

    response = act(officer_client, "pass_office_list", Registration.objects.all())

    html = response.content.decode()
    surnames = re.findall(r"<td>\d+</td>\s*<td>([^<]+)</td>", html)
    assert response.status_code == 200
    assert surnames == ["Абрамова", "елисеев", "Ёлкин", "Жуков"]
    assert "Пленарное заседание" in html
    assert "Всего 4 человека." in html


def test_pass_office_csv_numbers_full_names_and_organisations(officer_client, big_hall):
    RegistrationFactory(event=big_hall, surname="Жуков", confirmed=True)
    RegistrationFactory(
        event=big_hall,
        surname="Абрамова",
        organisation="НИИ «Метролог»",
        confirmed=True,
    )

    response = act(officer_client, "pass_office_csv", Registration.objects.all())

    assert response.content.startswith(b"\xef\xbb\xbf")
    assert csv_rows(response) == [
        ["№", "Фамилия", "Имя", "Отчество", "Организация", "Мероприятие"],
        ["1", "Абрамова", "Мария", "Петровна", "НИИ «Метролог»", "Пленарное заседание"],
        ["2", "Жуков", "Мария", "Петровна", "АО «Качество»", "Пленарное заседание"],
    ]


def test_pass_office_xlsx_numbers_full_names_and_organisations(
    officer_client, big_hall
):
    RegistrationFactory(event=big_hall, surname="Жуков", confirmed=True)
    RegistrationFactory(event=big_hall, surname="Абрамова", confirmed=True)

    response = act(officer_client, "pass_office_xlsx", Registration.objects.all())

    sheet = sheet_of(response)
    assert response["Content-Disposition"] == (
        'attachment; filename="pass-office-list.xlsx"'
    )
    assert sheet.title == "Список для бюро пропусков"
    assert values_of(sheet) == [
        ["№", "Фамилия", "Имя", "Отчество", "Организация", "Мероприятие"],
        [1, "Абрамова", "Мария", "Петровна", "АО «Качество»", "Пленарное заседание"],
        [2, "Жуков", "Мария", "Петровна", "АО «Качество»", "Пленарное заседание"],
    ]


def test_export_personal_data_action_gives_the_person_their_data(
    officer_client, regional_day, big_hall
):
    selected = RegistrationFactory(event=regional_day, email="maria@example.ru")
    RegistrationFactory(event=big_hall, email="maria@example.ru")

    response = act(officer_client, "export_personal_data", [selected])

    data = json.loads(response.content)
    assert response["Content-Disposition"] == (
        f'attachment; filename="personal-data-{selected.pk}.json"'
    )
    assert data["email"] == "maria@example.ru"
    assert [r["event"] for r in data["registrations"]] == [
        regional_day.title,
        "Пленарное заседание",
    ]


def test_export_personal_data_action_wants_one_person(officer_client, regional_day):
    registrations = RegistrationFactory.create_batch(2, event=regional_day)

    response = act(officer_client, "export_personal_data", registrations)

    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    assert "одного человека" in officer_client.get(CHANGELIST).content.decode()


def test_erase_personal_data_action_asks_first(officer_client, regional_day):
    registration = RegistrationFactory(event=regional_day, email="maria@example.ru")

    response = act(officer_client, "erase_personal_data", [registration])

    registration.refresh_from_db()
    assert response.status_code == 200
    assert 'name="post" value="yes"' in response.content.decode()
    assert registration.erased_at is None


def test_erase_personal_data_action_erases_every_registration_of_the_person(
    officer_client, regional_day, big_hall
):
    selected = RegistrationFactory(event=regional_day, email="maria@example.ru")
    other = RegistrationFactory(event=big_hall, email="maria@example.ru")
    stranger = RegistrationFactory(event=big_hall, email="oleg@example.ru")

    act(officer_client, "erase_personal_data", [selected], post="yes")

    assert set(
        Registration.objects.filter(erased_at__isnull=False).values_list(
            "pk", flat=True
        )
    ) == {selected.pk, other.pk}
    stranger.refresh_from_db()
    assert stranger.email == "oleg@example.ru"
    entries = LogEntry.objects.order_by("object_id")
    assert [(e.object_repr, e.change_message) for e in entries] == [
        (f"Регистрация №{selected.pk}", "Персональные данные удалены."),
        (f"Регистрация №{other.pk}", "Персональные данные удалены."),
    ]
    assert_no_personal_data_in(entries, "maria@example.ru", "Иванова")


def test_erased_registration_change_page_is_read_only(
    organiser_client, officer_client, regional_day
):
    registration = RegistrationFactory(event=regional_day)
    act(officer_client, "erase_personal_data", [registration], post="yes")

    html = organiser_client.get(f"{CHANGELIST}{registration.pk}/change/").content
    html = html.decode()

    assert 'name="surname"' not in html
    assert (
        "(персональные данные удалены)"
        in organiser_client.get(CHANGELIST).content.decode()
    )


@pytest.mark.postgres
def test_event_change_page_shows_the_registration_figures(
    organiser_client, regional_day
):
    RegistrationFactory(
        event=regional_day, confirmed=True, checked_in_at=moscow(2023, 11, 10, 9)
    )
    RegistrationFactory(event=regional_day, waiting=True)

    html = organiser_client.get(
        f"/admin/events/event/{regional_day.pk}/change/"
    ).content.decode()

    figures = dict(
        re.findall(
            r"field-(seats_taken|seats_left|waiting|checked_in)_figure.*?"
            r'<div class="readonly">(.*?)</div>',
            html,
            re.S,
        )
    )
    assert figures == {
        "seats_taken": "1",
        "seats_left": "1",
        "waiting": "1",
        "checked_in": "1",
    }
    assert 'name="takes_registrations"' in html
    assert 'name="consent_text"' in html


def make_events_with_registrations(edition, count):
    for n in range(count):
        event = EventFactory(
            edition=edition, in_person=True, takes_registrations=True, seats=5
        )
        RegistrationFactory.create_batch(n + 1, event=event, confirmed=True)
        RegistrationFactory(event=event, waiting=True)


@pytest.mark.postgres
@pytest.mark.parametrize("count", [1, 3])
def test_event_list_shows_figures_in_a_fixed_number_of_queries(
    organiser_client, edition_2023, django_assert_num_queries, count
):
    make_events_with_registrations(edition_2023, count)

    with django_assert_num_queries(11):
        response = organiser_client.get("/admin/events/event/")

    assert response.status_code == 200
    assert response.context["cl"].result_count == count
    # Same start time for all: their order is the database's collation of titles.
    figures = sorted(
        (event.seats_taken, event.waiting_figure)
        for event in response.context["cl"].result_list
    )
    assert figures == [(n + 1, 1) for n in range(count)]


@pytest.mark.parametrize("count", [1, 3])
def test_registration_list_takes_a_fixed_number_of_queries(
    organiser_client, big_hall, django_assert_num_queries, count
):
    RegistrationFactory.create_batch(count, event=big_hall, confirmed=True)

    with django_assert_num_queries(9):
        response = organiser_client.get(CHANGELIST)

    assert response.context["cl"].result_count == count


PERSONAL_DATA_ACTIONS = [
    "export_csv",
    "export_xlsx",
    "pass_office_list",
    "pass_office_csv",
    "pass_office_xlsx",
    "export_personal_data",
    "erase_personal_data",
]


def offered_actions(client) -> set[str]:
    choices = client.get(CHANGELIST).context["action_form"].fields["action"].choices
    return {name for name, _label in choices if name}


def assert_no_personal_data_in(entries, *values):
    written = " ".join(
        f"{entry.object_repr} {entry.change_message}" for entry in entries
    ).casefold()
    assert [value for value in values if value.casefold() in written] == []


def test_organiser_is_offered_the_running_of_registrations_but_no_export_or_erasure(
    organiser_client, regional_day
):
    RegistrationFactory(event=regional_day)

    assert offered_actions(organiser_client) == {
        "cancel",
        "promote_from_waiting_list",
        "resend_email",
        "check_in",
    }


def test_personal_data_officer_is_offered_exports_and_erasure_only(
    officer_client, regional_day
):
    RegistrationFactory(event=regional_day)

    assert offered_actions(officer_client) == set(PERSONAL_DATA_ACTIONS)


@pytest.mark.parametrize("action", PERSONAL_DATA_ACTIONS)
def test_organiser_posting_an_export_or_erasure_gets_nothing(
    organiser_client, regional_day, action
):
    registration = RegistrationFactory(event=regional_day, email="maria@example.ru")

    response = act(organiser_client, action, [registration], post="yes")

    registration.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    assert registration.email == "maria@example.ru"
    assert LogEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("action", "export"),
    [
        ("export_csv", "список для Excel"),
        ("export_xlsx", "список для Excel (XLSX)"),
        ("pass_office_list", "список для бюро пропусков"),
        ("pass_office_csv", "список для бюро пропусков (CSV)"),
        ("pass_office_xlsx", "список для бюро пропусков (XLSX)"),
    ],
)
def test_bulk_export_is_in_the_admin_log_without_personal_data(
    officer_client, big_hall, action, export
):
    exported = [
        RegistrationFactory(
            event=big_hall, confirmed=True, surname=surname, email=email
        )
        for surname, email in [
            ("Абрамова", "abr@example.ru"),
            ("Жуков", "zh@example.ru"),
        ]
    ]

    act(officer_client, action, exported)

    entries = LogEntry.objects.order_by("object_id")
    assert [(e.object_id, e.object_repr) for e in entries] == [
        (str(r.pk), f"Регистрация №{r.pk}") for r in exported
    ]
    assert {e.change_message for e in entries} == {
        f"Персональные данные выгружены: {export}, 2 регистрации."
    }
    assert {e.user.username for e in entries} == {"officer"}
    assert_no_personal_data_in(
        entries, "Абрамова", "Жуков", "Мария", "abr@example.ru", "zh@example.ru"
    )


def test_export_of_a_persons_data_is_in_the_admin_log_for_each_of_their_records(
    officer_client, regional_day, big_hall
):
    from tests.factories import ActivationFactory

    selected = RegistrationFactory(event=regional_day, email="maria@example.ru")
    other = RegistrationFactory(event=big_hall, email="maria@example.ru")
    activation = ActivationFactory(email="maria@example.ru")

    act(officer_client, "export_personal_data", [selected])

    entries = LogEntry.objects.all()
    assert sorted((e.content_type.model, e.object_id) for e in entries) == sorted(
        [
            ("registration", str(selected.pk)),
            ("registration", str(other.pk)),
            ("activation", str(activation.pk)),
        ]
    )
    assert {e.change_message for e in entries} == {
        "Персональные данные выгружены по запросу человека."
    }
    assert_no_personal_data_in(entries, "maria@example.ru", "Иванова", "Анна Петрова")


def test_exports_name_a_participant_from_abroad(regional_day):
    from registrations.exports import registration_rows

    RegistrationFactory(event=regional_day, region=None)

    with translation.override("ru"):
        header, row = registration_rows(Registration.objects.all())

    assert row[header.index("Регион")] == "Другая страна (не Россия)"
