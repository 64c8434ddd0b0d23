"""/readyz: ready while the task queue moves; 503, with the reason, when it stops."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from qualityweek import readiness
from qualityweek import tasks as site_tasks
from tests.processes import database_url

pytestmark = pytest.mark.postgres  # the queue's aggregates, on both databases
ROOT = Path(django_settings.BASE_DIR)


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued(minutes_ago: float) -> DBTaskResult:
    """A task, as if queued so long ago (the queue runs on real time)."""
    result = site_tasks.clear_expired_sessions.enqueue()
    row = DBTaskResult.objects.get(pk=result.id)
    row.enqueued_at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    row.save(update_fields=["enqueued_at"])
    return row


def worker_seen(seconds_ago: float) -> None:
    """A task a worker finished so long ago."""
    finished = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    row = queued(minutes_ago=10)
    DBTaskResult.objects.filter(pk=row.pk).update(
        status="SUCCESSFUL", started_at=finished, finished_at=finished
    )


def test_readyz_with_a_task_waiting_three_minutes_and_no_worker_is_503(
    client, db, queue
):
    queued(minutes_ago=3)

    response = client.get("/readyz")

    assert response.status_code == 503
    lines = response.content.decode().splitlines()
    assert [line.split(" has waited ")[0] for line in lines] == [
        "queue: the oldest ready task",
        "worker: none seen",
    ]
    assert lines[0].endswith(" (limit 120 s)")
    assert 180 <= int(lines[0].split(" has waited ")[1].split(" s")[0]) < 190


def test_readyz_with_a_fresh_task_and_a_recent_worker_is_200(client, db, queue):
    worker_seen(seconds_ago=5)
    queued(minutes_ago=0)

    response = client.get("/readyz")

    assert (response.status_code, response.content) == (200, b"ready\n")


def test_readyz_with_tasks_waiting_and_the_worker_gone_a_while_is_503(
    client, db, queue
):
    worker_seen(seconds_ago=300)
    queued(minutes_ago=0.5)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.content.decode() == "worker: last seen 300 s ago (limit 60 s)\n"


def test_readyz_with_an_empty_queue_is_200_however_long_the_workers_idle(
    client, db, queue
):
    worker_seen(seconds_ago=3600)

    response = client.get("/readyz")

    assert response.status_code == 200


def beat(seconds_ago: float) -> None:
    """A run_worker's heartbeat, so long ago."""
    from qualityweek.models import WorkerHeartbeat

    WorkerHeartbeat.objects.create(
        worker_id=f"worker-{seconds_ago}",
        seen_at=timezone.now() - datetime.timedelta(seconds=seconds_ago),
    )


def test_readyz_with_workers_beating_and_an_empty_queue_is_200(client, db, queue):
    beat(seconds_ago=3)

    assert client.get("/readyz").content == b"ready\n"


def test_readyz_fails_once_every_heartbeat_is_old_even_with_an_empty_queue(
    client, db, queue
):
    """A worker that beats beats while idle too: silence means none is alive,
    before the first letter waits for it."""
    beat(seconds_ago=90)
    beat(seconds_ago=75)

    response = client.get("/readyz")

    assert (response.status_code, response.content) == (
        503,
        b"worker: no heartbeat within 60 s\n",
    )


def test_readyz_counts_a_retry_from_its_pause_not_from_its_first_queuing(
    client, db, queue
):
    worker_seen(seconds_ago=1)
    site_tasks.retry_later(site_tasks.prune_finished_tasks, 14, attempt=1)
    # Queued an hour ago, its pause ended a moment ago: it has waited a moment.
    DBTaskResult.objects.filter(status="READY").update(
        enqueued_at=timezone.now() - datetime.timedelta(hours=1),
        run_after=timezone.now() - datetime.timedelta(seconds=1),
    )

    response = client.get("/readyz")

    assert response.status_code == 200


def test_readyz_limits_come_from_the_settings(client, db, queue, settings):
    settings.QUALITYWEEK_READY_MAX_TASK_AGE = 30
    worker_seen(seconds_ago=1)
    queued(minutes_ago=1)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.content.decode().startswith("queue: the oldest ready task")
    assert response.content.decode().endswith(" (limit 30 s)\n")


def test_last_worker_seen_is_the_newest_start_or_finish_of_a_task(db, queue):
    started = timezone.now() - datetime.timedelta(seconds=20)
    finished = timezone.now() - datetime.timedelta(seconds=40)
    DBTaskResult.objects.filter(pk=queued(1).pk).update(
        status="RUNNING", started_at=started
    )
    DBTaskResult.objects.filter(pk=queued(2).pk).update(
        status="SUCCESSFUL", started_at=finished, finished_at=finished
    )

    assert readiness.last_worker_seen() == started


def start_worker() -> subprocess.Popen:
    """`manage.py db_worker` as production runs it, on the test database."""
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0.1",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(), "QUALITYWEEK_CLOCK": ""},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for_status(client, status: int, timeout: float) -> float:
    """Seconds until /readyz answers the status (polling), failing after timeout."""
    started = time.monotonic()
    while (answer := client.get("/readyz")).status_code != status:
        assert time.monotonic() - started < timeout, answer.content
        time.sleep(0.2)
    return time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_readyz_fails_within_the_stated_time_once_the_worker_stops(
    client, queue, settings
):
    settings.QUALITYWEEK_READY_WORKER_SECONDS = 3
    worker = start_worker()
    try:
        site_tasks.clear_expired_sessions.enqueue()
        wait_for_status(client, 200, timeout=60)
        deadline = time.monotonic() + 60
        while DBTaskResult.objects.successful().count() < 1:
            assert time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)

    site_tasks.clear_expired_sessions.enqueue()
    took = wait_for_status(client, 503, timeout=30)

    # Limit 3 s since the worker was last seen, once the task has waited the
    # pick-up grace (here the limit too): about 3 s, polling included.
    assert took < 3 + 3 + 2
    assert client.get("/readyz").content.decode().startswith("worker: last seen ")


def test_readyz_and_metrics_answer_plain_http_on_the_private_network(
    client, db, settings
):
    settings.SECURE_SSL_REDIRECT = True

    answers = [client.get(path).status_code for path in ("/readyz", "/metrics")]
    page = client.get("/privacy/")

    assert (answers, page.status_code) == ([200, 200], 301)
