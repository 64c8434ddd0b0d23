"""Mail refused for good, through the site's real SMTP backend to a real server
on loopback: tried once, noted, shown to organisers and to the person, who puts
the address right."""

import logging

import pytest
from django.urls import reverse

from registrations import services, tasks
from registrations.models import Registration
from tests.factories import RegistrationFactory, moscow
from tests.smtp import SMTPServer, use_smtp

REFUSED = "no.such.person@example.ru"
SEAT_SUBJECT = "Your seat is confirmed: Regional day of the forum “World Quality Day”"


@pytest.fixture
def smtp(settings):
    with SMTPServer(refuse=[REFUSED]) as server:
        use_smtp(settings, server.port)
        yield server


@pytest.fixture
def bounced(regional_day, smtp, committed, caplog):
    """A registration whose seat letter the mail server refused with 550."""
    registration = RegistrationFactory(event=regional_day, email=REFUSED, language="en")
    with caplog.at_level(logging.INFO), committed():
        services.confirm(registration)
    registration.refresh_from_db()
    return registration


def test_seat_letter_refused_with_550_is_tried_once_and_not_retried(
    bounced, smtp, deferred_tasks, caplog
):
    assert smtp.recipients_tried == [REFUSED]
    assert smtp.delivered == []
    assert deferred_tasks == []
    # The site clock's moment, which runs on from 10:00 as real time does.
    failed_at = bounced.email_failed_at.replace(second=0, microsecond=0)
    assert (failed_at, bounced.email_failed_letter) == (
        moscow(2023, 11, 1, 10),
        Registration.Mail.SEAT,
    )
    sent = caplog.get_records("setup")
    ours = [r for r in sent if not r.name.startswith("mail.log")]
    errors = [r.getMessage() for r in ours if r.levelno >= logging.ERROR]
    assert errors == [
        f"Registration {bounced.pk}: seat e-mail refused for good "
        "(SMTPRecipientsRefused)"
    ]
    assert [r for r in ours if REFUSED in r.getMessage()] == []


def test_send_mail_task_refused_for_good_returns_bounced(
    regional_day, smtp, deferred_tasks
):
    registration = RegistrationFactory(event=regional_day, email=REFUSED)

    outcome = tasks.send_mail.call(
        registration.pk, Registration.Mail.CONFIRM_ADDRESS, letter="k-bounced"
    )

    assert outcome == "bounced"
    assert deferred_tasks == []


def test_admin_mail_bounced_filter_lists_the_refused_registration(
    bounced, regional_day, organiser_client
):
    delivered = RegistrationFactory(event=regional_day, confirmed=True)
    url = "/admin/registrations/registration/"

    refused_page = organiser_client.get(url + "?mail_bounced=yes").content.decode()
    fine_page = organiser_client.get(url + "?mail_bounced=no").content.decode()

    assert bounced.ticket_code in refused_page
    assert delivered.ticket_code not in refused_page
    assert bounced.ticket_code not in fine_page
    assert delivered.ticket_code in fine_page


def test_dashboard_counts_the_refused_addresses(bounced, organiser_client):
    response = organiser_client.get(reverse("admin:dashboard"))

    assert response.context["refused"] == 1
    assert (
        '<a href="/admin/registrations/registration/?mail_bounced=yes"> '
        "1 адрес отклонён почтовым сервером: эти люди не получают наших писем. </a>"
    ) in " ".join(response.content.decode().split())


def test_participant_page_shows_the_refusal_and_a_form_to_correct_it(bounced, client):
    page = client.get(f"/en/registrations/{bounced.token}/").content.decode()

    assert (
        f'Our letters to <strong class="sent-to">{REFUSED}</strong> were refused '
        "by your mail server"
    ) in page
    assert f'action="/en/registrations/{bounced.token}/email/"' in page
    assert f'value="{REFUSED}"' in page


def test_correcting_the_address_sends_the_seat_letter_to_it(
    bounced, client, smtp, committed
):
    with committed():
        response = client.post(
            f"/en/registrations/{bounced.token}/email/",
            {"email": "Maria.Right@example.ru"},
        )

    assert response.status_code == 302
    assert response["Location"] == f"/en/registrations/{bounced.token}/?corrected=1"
    assert smtp.delivered == [("maria.right@example.ru", SEAT_SUBJECT)]
    bounced.refresh_from_db()
    assert (bounced.email, bounced.email_failed_at, bounced.email_failed_letter) == (
        "maria.right@example.ru",
        None,
        "",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Done: the letter is on its way to the corrected address." in page
    assert "Our letters to" not in page


def test_correcting_to_an_address_registered_for_the_event_is_refused_clearly(
    bounced, regional_day, client, smtp, committed
):
    RegistrationFactory(event=regional_day, email="taken@example.ru")

    with committed():
        response = client.post(
            f"/en/registrations/{bounced.token}/email/", {"email": "taken@example.ru"}
        )

    assert response.status_code == 200
    assert (
        "This address is already registered for this event. Please give another "
        "one, or use the letters sent to it."
    ) in response.content.decode()
    assert smtp.delivered == []
    bounced.refresh_from_db()
    assert bounced.email == REFUSED


def test_correct_refused_email_when_nothing_was_refused_is_refused(regional_day):
    registration = RegistrationFactory(event=regional_day, confirmed=True)

    with pytest.raises(services.RegistrationError) as refusal:
        services.correct_refused_email(registration.pk, "other@example.ru")

    assert str(refusal.value) == (
        "Здесь больше нет отклонённого адреса, который нужно исправить."
    )


def test_a_letter_that_gets_through_clears_the_refusal(bounced, smtp, committed):
    Registration.objects.filter(pk=bounced.pk).update(email="fixed@example.ru")
    bounced.refresh_from_db()

    with committed():
        services.resend_email(bounced)

    bounced.refresh_from_db()
    assert smtp.delivered == [("fixed@example.ru", SEAT_SUBJECT)]
    assert (bounced.email_failed_at, bounced.email_failed_letter) == (None, "")


def test_temporary_refusal_is_retried_and_not_noted(regional_day, settings, smtp):
    smtp.refuse.clear()
    registration = RegistrationFactory(event=regional_day, confirmed=True)
    settings.EMAIL_PORT = 1  # nothing listens: connection refused

    outcome = tasks.send_mail.call(registration.pk, Registration.Mail.SEAT)

    registration.refresh_from_db()
    assert (outcome, registration.email_failed_at) == ("failed", None)
