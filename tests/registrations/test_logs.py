"""What a person types never reaches the logs, whatever they do on the site."""

import logging

from registrations.models import Registration
from tests.registrations.helpers import link_in
from tests.spam import shown

# Distinctive values, found in any log line that carries them.
SURNAME, NAME, PATRONYMIC = "Лоргинова", "Аглая", "Ксенофонтовна"
EMAIL = "aglaya.logs@example.ru"
PHONE = "+7 916 555-77-01"
OTHER_EMAIL = "second.logs@example.ru"


def form(email: str) -> dict:
    return {
        "surname": SURNAME,
        "name": NAME,
        "patronymic": PATRONYMIC,
        "email": email,
        "phone": PHONE,
        "organisation": "ООО «Журнал»",
        "position": "аудитор",
        "region": "43",
        "consent": "on",
        "homepage": "",
        **shown(),
    }


def sign_up_and_confirm(client, mailoutbox, committed, email: str) -> Registration:
    with committed():
        client.post("/regional-day/", form(email))
    confirm = link_in(mailoutbox[-1], "/registrations/confirm/")
    client.get(confirm)
    with committed():
        client.post(confirm)
    return Registration.objects.get(email=email)


def test_sign_up_confirm_cancel_and_check_in_log_no_personal_data(
    client, organiser_client, regional_day, clock, mailoutbox, caplog, committed
):
    caplog.set_level(logging.DEBUG)

    attendee = sign_up_and_confirm(client, mailoutbox, committed, EMAIL)
    with committed():
        client.post("/regional-day/", form(EMAIL))  # "you are already registered"
    client.post("/regional-day/", {**form("not-an-address"), "phone": "12"})
    cancelling = sign_up_and_confirm(client, mailoutbox, committed, OTHER_EMAIL)
    with committed():
        client.post(f"/registrations/{cancelling.token}/cancel/")
    clock("2023-11-10T09:30+03:00")
    organiser_client.get("/checkin/", {"code": attendee.ticket_code})
    organiser_client.post(f"/checkin/{attendee.ticket_code}/")
    organiser_client.post(f"/checkin/{attendee.ticket_code}/")  # twice: refused

    attendee.refresh_from_db()
    logged = "\n".join(
        f"{record.name} {record.getMessage()} {record.args!r}"
        for record in caplog.records
    ).lower()
    assert attendee.checked_in_at is not None
    assert len(mailoutbox) == 6  # two sign-ups and confirmations, the repeat, cancel
    assert len(caplog.records) >= 8
    assert [
        value
        for value in (SURNAME, NAME, PATRONYMIC, EMAIL, OTHER_EMAIL, PHONE, "5557701")
        if value.lower() in logged
    ] == []
