"""What leaves a venue application's request: the applicant's e-mails."""

from django_tasks import task

from qualityweek import tasks as site_tasks

from . import emails


@task()
def send_mail(
    application_pk: int,
    mail: str,
    attempt: int = 1,
    letter: str = "",
    notice: int | None = None,
) -> str:
    """Send one e-mail about a venue application; a refused one is tried again
    later. `notice` names the change of the regional day a letter tells of."""
    outcome = emails.send(application_pk, mail, letter=letter, notice=notice)
    about = {"notice": notice} if notice else {}
    if outcome == emails.FAILED:
        site_tasks.retry_later(
            send_mail, application_pk, mail, attempt=attempt, letter=letter, **about
        )
    return outcome


@task()
def send_instructions(application_pk: int, version: str, attempt: int = 1) -> str:
    """Send an approved venue the connection instructions of this version, unless a
    newer version has come since (its own letter goes instead)."""
    outcome = emails.send_instructions(application_pk, version)
    if outcome == emails.FAILED:
        site_tasks.retry_later(
            send_instructions, application_pk, version, attempt=attempt
        )
    return outcome
