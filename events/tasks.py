"""What leaves the programme's requests: the letters a change of an event owes."""

from django_tasks import task


@task()
def announce_change(notice_pk: int) -> int:
    """Once a change notice falls due, each feature queues its letters."""
    from . import changes

    return changes.announce(notice_pk)
