"""What every app's tasks share: retries with growing pauses.

Tasks are Django's tasks (the `django-tasks` backport), queued in the database
by `django-tasks-db` in the same transaction as the change that causes them: a
rolled-back change leaves no task, a committed one keeps its task whatever
happens to the process. A task takes primary keys, re-reads its rows and is
safe to run twice.
"""

import datetime
import logging

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# After a failed attempt the next waits this long: about a day in all.
RETRY_DELAYS = [
    datetime.timedelta(seconds=30),
    datetime.timedelta(minutes=2),
    datetime.timedelta(minutes=10),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=6),
    datetime.timedelta(hours=12),
]


def retry_later(task, *args, attempt: int, **kwargs) -> bool:
    """Queue the task again after the pause for this attempt; False once spent."""
    if attempt > len(RETRY_DELAYS):
        logger.error("%s%s: gave up after %s attempts", task.name, args, attempt)
        return False
    # The queue runs on real time, whatever the site clock says: a rehearsal
    # must not make a retry wait for a moment in 2023.
    run_after = timezone.now() + RETRY_DELAYS[attempt - 1]
    task.using(run_after=run_after).enqueue(*args, attempt=attempt + 1, **kwargs)
    return True


@task()
def requeue_abandoned_tasks() -> int:
    """Put back in the queue the tasks a killed worker left running."""
    from . import workers

    return workers.requeue_abandoned_tasks()


@task()
def prune_finished_tasks(older_than_days: int) -> int:
    """Forget the queue's finished tasks and the scheduler's slots past this age.

    Each sent letter leaves a finished row (and each quarter of an hour a slot);
    unpruned they would grow the tables by the week's every letter. Rows hold
    primary keys, never personal data; a failed task's row stays as long, for
    organisers to see what gave up.
    """
    from django_tasks_db.models import DBTaskResult

    from .models import PeriodicRun, SentLetter, WorkerHeartbeat

    before = timezone.now() - datetime.timedelta(days=older_than_days)
    pruned, _ = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    PeriodicRun.objects.filter(queued_at__lt=before).delete()
    # A task older than this is never run again, so its letter's key can go.
    SentLetter.objects.filter(sent_at__lt=before).delete()
    WorkerHeartbeat.objects.filter(seen_at__lt=before).delete()
    return pruned


@task()
def purge_personal_data(older_than_days: int) -> dict:
    """The daily 152-FZ purge, in every app (qualityweek.personal_data)."""
    from . import personal_data

    return personal_data.purge_personal_data(older_than_days=older_than_days)


@task()
def clear_expired_sessions() -> None:
    """Delete expired sessions (Django's `clearsessions`): a session outlives
    its visit in the database until something deletes it, with whatever it
    held, and a staff member's sign-in among it."""
    from django.core.management import call_command

    call_command("clearsessions")
