"""What leaves the programme's requests: the letters a change of an event owes."""

from django_tasks import task


@task()
def announce_change(notice_pk: int) -> int:
    """Once a change notice falls due, each feature queues its letters."""
    from . import changes

    return changes.announce(notice_pk)


@task()
def issue_certificates(source: str) -> int:
    """Issue the certificates a feature's holders have earned, and queue their
    letters; safe to run twice (the periodic job each feature registers)."""
    from . import certificates

    return len(certificates.issue_due(source))


@task()
def send_certificate(certificate_pk: int, attempt: int = 1) -> str:
    """The letter with one certificate, once; a refused one is tried again later."""
    from qualityweek import mail as site_mail
    from qualityweek import tasks as site_tasks

    from . import certificates

    outcome = certificates.send(certificate_pk)
    if outcome == site_mail.FAILED:
        site_tasks.retry_later(send_certificate, certificate_pk, attempt=attempt)
    return outcome
