"""What leaves a registration's request: its e-mails."""

from django_tasks import task

from qualityweek import tasks as site_tasks

from . import emails


@task()
def send_mail(
    registration_pk: int, mail: str, attempt: int = 1, letter: str = ""
) -> str:
    """Send one e-mail of a registration; a refused one is tried again later."""
    outcome = emails.send(registration_pk, mail, letter=letter)
    if outcome == emails.FAILED:
        site_tasks.retry_later(
            send_mail, registration_pk, mail, attempt=attempt, letter=letter
        )
    return outcome


@task()
def send_reminders(days: int) -> int:
    """The daily reminders; each person is reminded once, however often it runs."""
    from . import services

    return services.send_reminders(days=days)
