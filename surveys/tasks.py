"""What leaves a survey's request: the invitations' letters and the daily job."""

from django_tasks import task

from qualityweek import mail
from qualityweek import tasks as site_tasks


@task()
def send_invitation(invitation_pk: int, attempt: int = 1) -> str:
    """Send one survey invitation; a refused one is tried again later."""
    from . import emails

    outcome = emails.send_invitation(invitation_pk)
    if outcome == mail.FAILED:
        site_tasks.retry_later(send_invitation, invitation_pk, attempt=attempt)
    return outcome


@task()
def send_invitations() -> int:
    """The daily job: the events over since yesterday ask their people, once."""
    from . import services

    return services.send_invitations()
