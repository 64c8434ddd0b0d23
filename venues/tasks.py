"""What leaves a venue application's request: the applicant's e-mails."""

from django_tasks import task

from qualityweek import tasks as site_tasks

from . import emails


@task()
def send_mail(
    application_pk: int, mail: str, attempt: int = 1, letter: str = ""
) -> str:
    """Send one e-mail about a venue application; a refused one is tried again later."""
    outcome = emails.send(application_pk, mail, letter=letter)
    if outcome == emails.FAILED:
        site_tasks.retry_later(
            send_mail, application_pk, mail, attempt=attempt, letter=letter
        )
    return outcome
