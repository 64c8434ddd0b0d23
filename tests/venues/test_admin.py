import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group

from tests.factories import VenueApplicationFactory, moscow
from tests.pages import text_of
from tests.spreadsheets import csv_rows, formulas_in, record, sheet_of
from venues.models import VenueApplication

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/venues/venueapplication/"


def act(client, action, applications, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [a.pk for a in applications], **extra},
    )


def test_organisers_moderate_and_set_the_call_but_never_delete():
    codenames = set(
        Group.objects.get(name="Organisers")
        .permissions.filter(content_type__app_label="venues")
        .values_list("codename", flat=True)
    )

    assert codenames == {
        "change_venueapplication",
        "view_venueapplication",
        "add_venuecall",
        "change_venuecall",
        "view_venuecall",
    }


def test_approve_action_approves_and_writes_with_the_instructions(
    organiser_client, open_call, mails
):
    pending = VenueApplicationFactory.create_batch(
        2, edition=open_call.edition, pending=True
    )

    mails.after(lambda: act(organiser_client, "approve", pending))

    assert set(VenueApplication.objects.values_list("status", flat=True)) == {
        "approved"
    }
    assert len(mails) == 2
    assert all("https://forum.example.ru/join" in m.body for m in mails)
    assert LogEntry.objects.count() == 2


def test_reject_action_asks_for_the_reason_then_writes_it(
    organiser_client, open_call, mails
):
    pending = VenueApplicationFactory(edition=open_call.edition, pending=True)

    page = act(organiser_client, "reject", [pending])
    assert page.status_code == 200
    assert "Заявители получат письмо с этой причиной." in text_of(page)
    assert VenueApplication.objects.get().status == "pending"

    mails.after(
        lambda: act(
            organiser_client, "reject", [pending], reason="Нет проектора в зале."
        )
    )

    pending.refresh_from_db()
    assert (pending.status, pending.rejection_reason) == (
        "rejected",
        "Нет проектора в зале.",
    )
    assert "Нет проектора в зале." in mails[0].body


def test_an_officer_lists_venue_applications_with_export_and_erase_offered(
    officer_client, open_call
):
    VenueApplicationFactory(edition=open_call.edition, venue_name="Зал «Вятка»")

    response = officer_client.get(CHANGELIST)

    assert response.status_code == 200
    assert "Зал «Вятка»" in text_of(response)
    actions = [
        name for name, _ in response.context["action_form"].fields["action"].choices
    ]
    assert actions == ["", "export_csv", "export_xlsx", "erase_personal_data"]


@pytest.mark.parametrize("action", ["export_csv", "export_xlsx"])
def test_an_organiser_cannot_export_contacts(organiser_client, open_call, action):
    approved = VenueApplicationFactory(edition=open_call.edition)

    response = act(organiser_client, action, [approved])

    assert response.status_code == 302  # no such action for them: back to the list
    assert response["Location"] == CHANGELIST
    assert LogEntry.objects.count() == 0


def test_an_officer_exports_the_approved_venues_as_an_excel_workbook(
    officer_client, open_call
):
    approved = VenueApplicationFactory(
        edition=open_call.edition,
        note="=HYPERLINK(1)",
        submitted_at=moscow(2023, 10, 20, 18, 5),
    )
    pending = VenueApplicationFactory(edition=open_call.edition, pending=True)

    response = act(officer_client, "export_xlsx", [approved, pending])

    sheet = sheet_of(response)
    row = record(sheet)
    assert response["Content-Disposition"] == (
        'attachment; filename="regional-venues.xlsx"'
    )
    assert sheet.title == "Региональные площадки"
    assert [cell.value for cell in sheet[1]][:4] == [
        "Федеральный округ",
        "Регион",
        "Город или населённый пункт",
        "Площадка",
    ]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 2
    assert row["Регион"].value == "Кировская область"
    assert [
        (row[name].value, row[name].data_type)
        for name in ["Телефон", "Телефон технического специалиста", "Примечание"]
    ] == [("+79161234567", "s"), ("+79167654321", "s"), ("=HYPERLINK(1)", "s")]
    assert (row["Подана"].value, row["Подана"].number_format) == (
        datetime.datetime(2023, 10, 20, 18, 5),
        "DD.MM.YYYY HH:MM",
    )
    assert formulas_in(response) == 0
    assert LogEntry.objects.get().object_id == str(approved.pk)


def test_an_officer_exports_the_approved_venues_for_excel(officer_client, open_call):
    approved = VenueApplicationFactory(edition=open_call.edition, note="=HYPERLINK(1)")
    pending = VenueApplicationFactory(edition=open_call.edition, pending=True)

    response = act(officer_client, "export_csv", [approved, pending])

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert rows[0][:4] == [
        "Федеральный округ",
        "Регион",
        "Город или населённый пункт",
        "Площадка",
    ]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Регион"] == "Кировская область"
    assert row["Технический специалист"] == "Иван Кузнецов"
    assert row["Примечание"] == "'=HYPERLINK(1)"
    assert LogEntry.objects.filter(object_id=str(approved.pk)).count() == 1
    assert approved.email not in LogEntry.objects.get().change_message


def test_erase_action_erases_both_contacts_across_the_site(officer_client, open_call):
    application = VenueApplicationFactory(edition=open_call.edition)

    confirm = act(officer_client, "erase_personal_data", [application])
    assert "venue_applications: 1" in text_of(confirm)
    assert VenueApplication.objects.get().email

    act(officer_client, "erase_personal_data", [application], post="yes")

    application.refresh_from_db()
    assert (application.email, application.tech_email, application.tech_name) == (
        "",
        "",
        "",
    )
    assert application.erased_at is not None
