"""Task workers that stay up, and the tasks of those that did not.

A worker (`manage.py run_worker`) beats every few seconds from a thread of its
own, whatever task it is running; the scheduler's every tick puts back in the
queue the tasks whose worker has not beaten for LOST_AFTER, so a letter held by
a killed worker goes out within the minute, not a quarter of an hour later.
Heartbeats are stamped and compared by the database's clock, never a host's:
a host whose clock lags must not make a live worker look dead.

A worker that loses the database (a restart, a failover, a killed connection)
waits and tries again with growing pauses instead of exiting, and puts back the
task the loss interrupted. Tasks are safe to run twice: a letter's key makes it
one letter (qualityweek.mail).
"""

import contextlib
import datetime
import logging
import threading
import time

from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    connection,
    models,
)
from django.db.models.functions import Now
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5
LOST_AFTER = datetime.timedelta(seconds=30)
# A task whose worker never beat (the library's own `db_worker`) is taken back
# only after this long: mail gives up after EMAIL_TIMEOUT, no task takes minutes.
ABANDONED_AFTER = datetime.timedelta(minutes=15)
# Pauses between tries when the database is gone: 1, 2, 4… seconds, at most 30.
RETRY_PAUSES = [1, 2, 4, 8, 16, 30]
CONNECTION_LOST = (InterfaceError, OperationalError)
# A task that failed because the database went away under it (as django-tasks-db
# records the error) runs again, up to this many claims in all: its letter's key
# keeps it one letter; a task failing so every time stays failed.
LOST_CONNECTION_FAILURES = {
    f"{error.__module__}.{error.__qualname__}" for error in CONNECTION_LOST
}
MAX_CLAIMS = 5


def beat(worker_id: str) -> None:
    """Note that this worker is alive now."""
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=Now()):
        WorkerHeartbeat.objects.create(worker_id=worker_id, seen_at=Now())


def requeue_abandoned_tasks() -> int:
    """Put back in the queue the tasks left running by workers that died."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    running = list(
        DBTaskResult.objects.running().values_list("pk", "worker_ids", "started_at")
    )
    if not running:
        return 0
    workers = {ids[-1] for _pk, ids, _started in running if ids}
    beaten = WorkerHeartbeat.objects.filter(worker_id__in=workers)
    known = set(beaten.values_list("worker_id", flat=True))
    alive = set(
        beaten.filter(seen_at__gte=Now() - LOST_AFTER).values_list(
            "worker_id", flat=True
        )
    )
    long_ago = timezone.now() - ABANDONED_AFTER
    count = 0
    for pk, ids, started_at in running:
        worker = ids[-1] if ids else None
        if worker in alive or (worker not in known and started_at >= long_ago):
            continue
        # started_at names this run: a task another scheduler has already put
        # back and a new worker has claimed is left to that worker.
        count += DBTaskResult.objects.filter(
            pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at
        ).update(status=TaskResultStatus.READY, started_at=None)
    if count:
        logger.warning("Requeued %s task(s) left running by a dead worker", count)
    return count


def _close_connection() -> None:
    with contextlib.suppress(DatabaseError):  # already gone with the server
        connection.close()


class Heartbeat(threading.Thread):
    """Beats for a worker, on a database connection of its own, until stopped."""

    def __init__(self, worker_id: str):
        super().__init__(name="heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(HEARTBEAT_SECONDS):
            try:
                beat(self.worker_id)
            except DatabaseError:
                logger.warning("Worker %s: heartbeat not recorded", self.worker_id)
                _close_connection()  # this thread's: reconnect on the next beat
        _close_connection()


class SteadyWorker(Worker):
    """django-tasks-db's worker, with a heartbeat and a worker that outlives the
    database's restarts instead of exiting with the first lost connection."""

    task_pk = None

    def run(self) -> None:
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.start()
        try:
            self._run_until_stopped()
        finally:
            heartbeat.stopping.set()

    def _run_until_stopped(self) -> None:
        failures = 0
        while True:
            started = time.monotonic()
            try:
                beat(self.worker_id)  # before its first claim: no task unowned
                if self.task_pk is not None:
                    self._put_back_interrupted_task()
                return super().run()
            except CONNECTION_LOST:
                if not self.running:
                    raise  # asked to stop: no reason to wait for the database
                if time.monotonic() - started > sum(RETRY_PAUSES):
                    failures = 0  # it ran a good while: a new outage
                pause = RETRY_PAUSES[min(failures, len(RETRY_PAUSES) - 1)]
                failures += 1
                logger.warning(
                    "Worker %s: database unavailable, retrying in %s s",
                    self.worker_id,
                    pause,
                    exc_info=True,
                )
                _close_connection()
                time.sleep(pause)

    def run_task(self, db_task_result) -> None:
        # Left set if marking the task's end fails with the connection: the
        # task is then put back once the database answers again.
        self.task_pk = db_task_result.pk
        super().run_task(db_task_result)
        # The library records the database's loss inside the task (a letter's
        # query as the server restarts) as the task's failure: put it back.
        if _failed_by_lost_connection(db_task_result):
            self._put_back_interrupted_task()
        self.task_pk = None

    def _put_back_interrupted_task(self) -> None:
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        interrupted = models.Q(status=TaskResultStatus.RUNNING) | models.Q(
            status=TaskResultStatus.FAILED,
            exception_class_path__in=LOST_CONNECTION_FAILURES,
        )
        DBTaskResult.objects.filter(interrupted, pk=self.task_pk).update(
            status=TaskResultStatus.READY,
            started_at=None,
            finished_at=None,
            exception_class_path="",
            traceback="",
        )
        logger.warning("Worker %s: task %s put back", self.worker_id, self.task_pk)
        self.task_pk = None


def _failed_by_lost_connection(db_task_result) -> bool:
    from django_tasks.base import TaskResultStatus

    return (
        db_task_result.status == TaskResultStatus.FAILED
        and db_task_result.exception_class_path in LOST_CONNECTION_FAILURES
        and len(db_task_result.worker_ids) < MAX_CLAIMS
    )
