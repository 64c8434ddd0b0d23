"""Task workers that die or lose the database: a letter waits seconds, not a
quarter of an hour. Real worker processes, killed for real."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.models.functions import Now
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from qualityweek import workers
from qualityweek.models import WorkerHeartbeat
from tests.processes import database_url
from tests.slow_tasks import fail_with, lose_connection, write_after

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def running(worker_id: str, *, started_ago: datetime.timedelta) -> int:
    result = write_after.enqueue("/dev/null", 0).db_result
    DBTaskResult.objects.filter(pk=result.pk).update(
        status="RUNNING",
        started_at=timezone.now() - started_ago,
        worker_ids=[worker_id],
    )
    return result.pk


def status(pk: int) -> str:
    return DBTaskResult.objects.get(pk=pk).status


def test_requeue_takes_back_the_tasks_of_workers_no_longer_beating(queue):
    workers.beat("alive")
    workers.beat("dead")
    WorkerHeartbeat.objects.filter(worker_id="dead").update(
        seen_at=Now() - datetime.timedelta(seconds=31)
    )
    minute = datetime.timedelta(minutes=1)
    of_the_living = running("alive", started_ago=minute * 60)
    of_the_dead = running("dead", started_ago=minute)
    # Workers that never beat (django-tasks-db's own db_worker): the old rule.
    old_unbeaten = running("unbeaten", started_ago=minute * 16)
    new_unbeaten = running("unbeaten", started_ago=minute)

    assert workers.requeue_abandoned_tasks() == 2
    assert [
        status(pk) for pk in (of_the_living, of_the_dead, old_unbeaten, new_unbeaten)
    ] == ["RUNNING", "READY", "READY", "RUNNING"]


def start(command: str, *arguments: str) -> subprocess.Popen:
    """`manage.py <command>` as production runs it, on the test database."""
    env = {**os.environ, "DATABASE_URL": database_url(), "QUALITYWEEK_CLOCK": ""}
    return subprocess.Popen(
        [sys.executable, "manage.py", command, *arguments],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def start_worker() -> subprocess.Popen:
    return start("run_worker", "--no-startup-delay", "--no-reload", "--interval", "0.1")


def wait_until(condition, *, seconds: float) -> float:
    """Seconds it took the condition to hold; fails after `seconds`."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, "it never happened"
        time.sleep(0.1)
    return time.monotonic() - started


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)


@pytest.mark.postgres
def test_a_task_of_a_killed_worker_is_done_by_another_within_a_minute(queue, tmp_path):
    done = tmp_path / "done"
    result = write_after.enqueue(str(done), 3).db_result
    killed = start_worker()
    wait_until(lambda: status(result.pk) == "RUNNING", seconds=60)

    killed.send_signal(signal.SIGKILL)
    killed.wait()
    rescuer, scheduler = start_worker(), start("run_scheduler", "--interval", "1")
    try:
        # Within a minute of the kill, not the quarter of an hour of old.
        wait_until(lambda: status(result.pk) == "SUCCESSFUL", seconds=60)
    finally:
        stop(rescuer, scheduler)

    assert Path(done).read_text() == "done"


def terminate_other_connections() -> int:
    """What a PostgreSQL restart does to every process but this test's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres_only
def test_a_worker_rides_out_the_loss_of_its_database_connections(queue, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    interrupted = write_after.enqueue(str(first), 2).db_result
    worker = start_worker()
    try:
        wait_until(lambda: status(interrupted.pk) == "RUNNING", seconds=60)

        assert terminate_other_connections() >= 1  # mid-task
        wait_until(lambda: status(interrupted.pk) == "SUCCESSFUL", seconds=60)
        later = write_after.enqueue(str(second), 0).db_result
        wait_until(lambda: status(later.pk) == "SUCCESSFUL", seconds=60)

        assert worker.poll() is None
    finally:
        stop(worker)
    assert (first.read_text(), second.read_text()) == ("done", "done")


def claimed_by(task_result, *worker_ids: str) -> DBTaskResult:
    row = DBTaskResult.objects.get(pk=task_result.id)
    for worker_id in worker_ids:
        row.claim(worker_id)
    return row


def worker(worker_id: str = "w1") -> workers.SteadyWorker:
    return workers.SteadyWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def test_a_task_failed_by_the_database_going_away_goes_back_to_the_queue(queue):
    """The launch day lost a letter so: its query met the connection PostgreSQL's
    restart had cut, the library recorded the task as failed, and no one ran it
    again."""
    row = claimed_by(lose_connection.enqueue())

    worker().run_task(row)

    assert status(row.pk) == "READY"
    assert DBTaskResult.objects.get(pk=row.pk).exception_class_path == ""


def test_a_task_failing_of_its_own_error_stays_failed(queue):
    row = claimed_by(fail_with.enqueue("a wrong address"))

    worker().run_task(row)

    assert status(row.pk) == "FAILED"


def test_a_task_the_database_fails_at_every_claim_stays_failed_at_last(queue):
    row = claimed_by(lose_connection.enqueue(), *[f"w{n}" for n in range(5)])

    worker("w5").run_task(row)

    assert status(row.pk) == "FAILED"
