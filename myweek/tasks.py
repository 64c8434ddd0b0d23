"""What leaves a visitor's week: the link letter, and the purge of unused weeks."""

from django_tasks import task

from qualityweek import mail
from qualityweek import tasks as site_tasks


@task()
def send_link(
    selection_pk: int, sealed_address: str, language: str, *, letter: str, attempt=1
) -> str:
    """Mail a week's private link; a refused letter is tried again later."""
    from . import emails

    outcome = emails.send(selection_pk, sealed_address, language, letter=letter)
    if outcome == mail.FAILED:
        site_tasks.retry_later(
            send_link,
            selection_pk,
            sealed_address,
            language,
            attempt=attempt,
            letter=letter,
        )
    return outcome


@task()
def purge_unused_selections(older_than_days: int) -> int:
    """Forget the weeks nobody has used for so long."""
    from . import services

    return services.purge_unused(older_than_days)
