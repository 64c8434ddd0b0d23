import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from registrations.models import Registration
from tests.factories import RegistrationFactory


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_send_reminders_sends_each_reminder_once(regional_day, clock, committed):
    holder = RegistrationFactory(event=regional_day, confirmed=True)
    RegistrationFactory(event=regional_day, waiting=True)
    clock("2023-11-08T09:00+03:00")

    with committed():
        first = run("send_reminders", "--days", "2")
        second = run("send_reminders", "--days", "2")

    holder.refresh_from_db()
    assert first == "Reminders sent: 1.\n"
    assert second == "Reminders sent: 0.\n"
    assert [m.to for m in mail.outbox] == [[holder.email]]
    assert holder.reminder_sent_at is not None


def test_send_reminders_waits_until_the_event_is_near(regional_day, committed):
    RegistrationFactory(event=regional_day, confirmed=True)

    with committed():
        output = run("send_reminders", "--days", "2")

    assert output == "Reminders sent: 0.\n"
    assert mail.outbox == []


def test_send_reminders_refuses_negative_days(db):
    with pytest.raises(CommandError):
        run("send_reminders", "--days", "-1")


def test_send_reminders_when_the_mail_server_fails_queues_a_retry(
    regional_day, clock, settings, committed, deferred_tasks
):
    holder = RegistrationFactory(event=regional_day, confirmed=True)
    clock("2023-11-09T09:00+03:00")
    settings.EMAIL_BACKEND = "tests.registrations.mail.FailingBackend"

    with committed():
        run("send_reminders", "--days", "1")

    holder.refresh_from_db()
    assert holder.reminder_sent_at is not None
    [(_task, args, kwargs)] = deferred_tasks
    assert (args, kwargs["attempt"]) == ((holder.pk, Registration.Mail.REMINDER), 2)
    assert len(kwargs["letter"]) == 32  # the same letter, tried again
