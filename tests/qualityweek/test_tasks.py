"""The task queue's guarantees, with the real database queue and real workers."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from qualityweek import tasks as site_tasks
from qualityweek import workers
from qualityweek.models import SentLetter
from registrations import services, tasks
from registrations.models import Registration
from tests.factories import EventFactory, RegistrationFactory, region
from tests.processes import database_url
from tests.smtp import SMTPServer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
ROOT = Path(django_settings.BASE_DIR)


@pytest.fixture
def person(db):
    return {
        "surname": "Петров",
        "name": "Иван",
        "email": "ivan.petrov@example.ru",
        "phone": "+79161234567",
        "organisation": "ООО «Завод»",
        "position": "инженер",
        "region": region("43"),
        "consent": True,
    }


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def start_worker(
    mail_dir: Path | None = None, *, smtp_port: int = 0, batch: bool = True
) -> subprocess.Popen:
    """`manage.py db_worker` as production runs it, on the test database; it
    writes letters as files, or sends them to an SMTP server on loopback."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        # django-environ drops one slash of the file path.
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}"
        if smtp_port
        else f"filemail:///{mail_dir}",
        "EMAIL_TIMEOUT": "60",
        "QUALITYWEEK_CLOCK": "",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            *(["--batch"] if batch else []),
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0" if batch else "0.1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if batch else subprocess.DEVNULL,
    )


def letters_to(mail_dir: Path) -> list[str]:
    """The addressee of each letter the file backend wrote."""
    return [
        line.removeprefix("To: ")
        for path in sorted(mail_dir.glob("*.log"))
        for line in path.read_text().splitlines()
        if line.startswith("To: ")
    ]


def test_sign_up_rolled_back_leaves_no_task(queue, regional_day, clock, person):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.register(regional_day, person, language="ru")
        raise RuntimeError("the request failed after the sign-up")

    assert (Registration.objects.count(), DBTaskResult.objects.count()) == (0, 0)


def test_committed_sign_up_is_sent_by_a_worker_process(
    queue, regional_day, clock, person, tmp_path
):
    registration = services.register(regional_day, person, language="ru")
    assert DBTaskResult.objects.ready().count() == 1

    worker = start_worker(tmp_path)

    assert worker.wait(timeout=60) == 0, worker.stderr.read().decode()
    assert letters_to(tmp_path) == [registration.email]
    assert DBTaskResult.objects.successful().count() == 1


def test_two_workers_never_send_one_letter_twice(queue, edition_2023, tmp_path):
    hall = EventFactory(
        edition=edition_2023, in_person=True, takes_registrations=True, seats=40
    )
    people = RegistrationFactory.create_batch(40, event=hall, confirmed=True)
    for registration in people:
        tasks.send_mail.enqueue(registration.pk, Registration.Mail.SEAT)

    workers = [start_worker(tmp_path), start_worker(tmp_path)]

    assert [worker.wait(timeout=120) for worker in workers] == [0, 0]
    assert sorted(letters_to(tmp_path)) == sorted(r.email for r in people)


def test_a_letter_sent_by_a_worker_that_then_died_is_not_sent_again(
    queue, regional_day, clock, person, tmp_path
):
    registration = services.register(regional_day, person, language="ru")
    worker = start_worker(tmp_path)
    assert worker.wait(timeout=60) == 0, worker.stderr.read().decode()
    # The worker died after the mail server took the letter, before it marked the
    # task done: requeue_abandoned_tasks puts such a task back in the queue.
    DBTaskResult.objects.update(status="READY", finished_at=None)

    again = start_worker(tmp_path)

    assert again.wait(timeout=60) == 0, again.stderr.read().decode()
    assert letters_to(tmp_path) == [registration.email]
    assert DBTaskResult.objects.successful().count() == 1


def test_a_worker_killed_while_the_server_takes_the_letter_does_not_send_it_again(
    queue, regional_day, clock, person
):
    # The server has the letter but holds back its answer: the worker is killed
    # while it waits, as a deploy or an out-of-memory kill would do.
    with SMTPServer(stall=120) as smtp:
        registration = services.register(regional_day, person, language="ru")
        killed = start_worker(smtp_port=smtp.port, batch=False)
        assert smtp.data_started.wait(timeout=60)
        killed.send_signal(signal.SIGKILL)
        killed.wait()
        task = DBTaskResult.objects.get()
        assert task.status == "RUNNING"
        # Time passes: the task has been "running" longer than any task may.
        DBTaskResult.objects.filter(pk=task.pk).update(
            started_at=timezone.now() - workers.ABANDONED_AFTER * 2
        )
        assert site_tasks.requeue_abandoned_tasks.call() == 1
        smtp.stall = 0

        again = start_worker(smtp_port=smtp.port)

        assert again.wait(timeout=60) == 0, again.stderr.read().decode()
    assert smtp.delivered == [
        (
            registration.email,
            "Подтвердите регистрацию: " + regional_day.title,
        )
    ]
    task.refresh_from_db()
    assert (task.status, task.return_value) == ("SUCCESSFUL", "uncertain")
    assert list(SentLetter.objects.values_list("state", "about", "object_pk")) == [
        ("uncertain", "Registration", registration.pk)
    ]


@pytest.fixture
def silent_smtp_server():
    """A mail server that accepts connections and never says a word."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted = []

    def accept():
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            accepted.append(client)

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1]
    server.close()
    for client in accepted:
        client.close()


def test_hung_mail_server_times_out_and_the_letter_is_retried_later(
    queue, regional_day, settings, silent_smtp_server
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", silent_smtp_server
    settings.EMAIL_TIMEOUT = 0.5
    registration = RegistrationFactory(event=regional_day, confirmed=True)

    started = time.monotonic()
    outcome = tasks.send_mail.call(registration.pk, Registration.Mail.SEAT)
    waited = time.monotonic() - started

    retry = DBTaskResult.objects.get()
    assert (outcome, waited < 5) == ("failed", True)
    assert retry.args_kwargs == {
        "args": [registration.pk, "seat"],
        "kwargs": {"attempt": 2, "letter": ""},
    }
    assert retry.run_after is not None
    assert DBTaskResult.objects.ready().count() == 0  # not before its pause
