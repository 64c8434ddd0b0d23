import uuid

import pytest

from tests.factories import VenueApplicationFactory, region
from tests.venues.conftest import FORM
from venues import services
from venues.models import VenueApplication

pytestmark = pytest.mark.django_db


def data(**changes) -> dict:
    values = {**FORM, "region": region("43"), "audience": 60, **changes}
    values["email"] = values["email"].strip().lower()
    return values


@pytest.mark.parametrize(
    ("moment", "state"),
    [
        ("2023-10-02T09:59+03:00", services.CallState.NOT_YET),
        ("2023-10-02T10:00+03:00", services.CallState.OPEN),
        ("2023-11-08T17:59+03:00", services.CallState.OPEN),
        ("2023-11-08T18:00+03:00", services.CallState.CLOSED),
    ],
)
def test_the_window_is_read_by_the_site_clock(venue_call, clock, moment, state):
    clock(moment)

    assert services.call_state(venue_call) == state


def test_no_call_means_unannounced(edition_2023):
    assert services.call_of(edition_2023) is None
    assert services.call_state(None) == services.CallState.UNANNOUNCED


def test_submit_after_the_window_closed_is_refused(open_call, clock):
    clock("2023-11-09T09:00+03:00")

    with pytest.raises(services.VenueError, match="закрыт"):
        services.submit(open_call.edition, data(), language="ru")
    assert not VenueApplication.objects.exists()


def test_submit_twice_with_one_key_stores_one_application_and_writes_once(
    open_call, mails
):
    key = uuid.uuid4()

    first, second = mails.after(
        lambda: [
            services.submit(open_call.edition, data(), language="ru", key=key)
            for _ in range(2)
        ]
    )

    assert first == second == VenueApplication.objects.get()
    assert len(mails) == 1


def test_submit_without_consent_is_refused(open_call):
    with pytest.raises(services.VenueError):
        services.submit(open_call.edition, data(consent=False), language="ru")


def test_approve_then_reject_each_write_once(open_call, mails):
    application = VenueApplicationFactory(edition=open_call.edition, pending=True)

    assert mails.after(lambda: services.approve(application)) is True
    assert mails.after(lambda: services.approve(application)) is False
    assert [m.subject for m in mails] == [
        f"Ваша площадка одобрена: {application.venue_name}"
    ]
    approved = mails[0]
    assert approved.to == [application.email]
    assert approved.cc == [application.tech_email]
    assert "https://forum.example.ru/join" in approved.body
    html = approved.alternatives[0][0]
    assert '<a href="https://forum.example.ru/join"' in html

    assert mails.after(lambda: services.reject(application, reason=" Нет зала. "))
    assert not mails.after(lambda: services.reject(application, reason="Нет зала."))
    application.refresh_from_db()
    assert (application.status, application.rejection_reason) == (
        "rejected",
        "Нет зала.",
    )
    assert "Нет зала." in mails[-1].body
    assert mails[-1].cc == []


def test_the_approved_letter_without_instructions_says_they_will_come(open_call, mails):
    open_call.instructions = ""
    open_call.save()
    application = VenueApplicationFactory(edition=open_call.edition, pending=True)

    mails.after(lambda: services.approve(application))

    assert "Организаторы пришлют инструкцию по подключению" in mails[0].body


def test_the_approved_letter_gives_the_broadcast_once_set(
    open_call, regional_day, mails
):
    regional_day.stream_url = "https://video.example.ru/regional-day"
    regional_day.save()
    application = VenueApplicationFactory(edition=open_call.edition, pending=True)

    mails.after(lambda: services.approve(application))

    assert "Трансляция: https://video.example.ru/regional-day" in mails[0].body


def test_a_reason_is_required_to_reject(open_call):
    application = VenueApplicationFactory(edition=open_call.edition, pending=True)

    with pytest.raises(services.VenueError, match="причину"):
        services.reject(application, reason="  ")


def test_a_withdrawn_application_is_neither_approved_nor_rejected(open_call):
    application = VenueApplicationFactory(edition=open_call.edition)
    assert services.withdraw(application)

    assert services.approve(application) is False
    assert services.reject(application, reason="Поздно.") is False
    assert services.withdraw(application) is False
    assert VenueApplication.objects.get().status == "withdrawn"


def test_a_letter_for_an_erased_application_is_not_sent(open_call, mails):
    from venues import emails

    application = VenueApplicationFactory(edition=open_call.edition)
    services.erase_personal_data(application)

    assert emails.send(application.pk, emails.APPROVED) == emails.NOT_DUE


def test_the_person_is_found_as_either_contact(open_call):
    as_contact = VenueApplicationFactory(edition=open_call.edition, email="a@x.ru")
    as_tech = VenueApplicationFactory(edition=open_call.edition, tech_email="A@x.ru")
    VenueApplicationFactory(edition=open_call.edition)

    assert set(services.applications_of(" a@X.ru ")) == {as_contact, as_tech}


def test_purge_takes_rejected_and_withdrawn_before_the_edition_ends(open_call, clock):
    import datetime

    from qualityweek import clock as site_clock

    rejected = VenueApplicationFactory(edition=open_call.edition, rejected=True)
    rejected.moderated_at = site_clock.now()
    rejected.save()
    kept = VenueApplicationFactory(edition=open_call.edition)
    clock("2023-11-05T10:00+03:00")

    due = services.due_for_purge(site_clock.now() - datetime.timedelta(days=1))

    assert list(due) == [rejected]
    assert kept not in due
