"""What leaves a registration's request: its e-mails."""

from django_tasks import task

from qualityweek import tasks as site_tasks

from . import emails
from .models import Registration


@task()
def send_mail(
    registration_pk: int,
    mail: str,
    attempt: int = 1,
    letter: str = "",
    notice: int | None = None,
    link: str = "",
) -> str:
    """Send one e-mail of a registration; a refused one is tried again later.

    `notice` names the ChangeNotice a letter about an event's change tells of;
    `link`, the stream link a letter about a new one was written for."""
    outcome = emails.send(
        registration_pk, mail, letter=letter, notice=notice, link=link
    )
    about = {"notice": notice} if notice else {}
    if link:
        about["link"] = link
    if outcome == emails.FAILED and site_tasks.retry_later(
        send_mail, registration_pk, mail, attempt=attempt, letter=letter, **about
    ):
        return outcome
    if mail == Registration.Mail.CANCELLED:
        # The farewell letter was the last use of the person's data: erase it now
        # (sent, no longer due, or given up). The letter needs the address when
        # it goes, and a task row keeps only the pk, never the address.
        _erase_cancelled(registration_pk)
    return outcome


def _erase_cancelled(registration_pk: int) -> None:
    from . import services

    registration = Registration.objects.filter(pk=registration_pk).first()
    if registration is not None:
        services.erase_cancelled(registration)


@task()
def send_reminders(days: int) -> int:
    """The daily reminders; each person is reminded once, however often it runs."""
    from . import services

    return services.send_reminders(days=days)


@task()
def send_online_reminders() -> int:
    """The stream link an hour before: each person once, however often it runs."""
    from . import services

    return services.send_online_reminders()


@task()
def expire_sign_ups() -> dict:
    """The retention job: unconfirmed sign-ups deleted once their link is dead,
    cancelled registrations left with data erased; safe to run any number of times."""
    from . import services

    return {
        "expired": services.expire_pending_sign_ups(),
        "erased": services.erase_cancelled_left_over(),
    }
