"""One request's ID in nginx's access log, gunicorn's, the site's log and the log
of the task it queued."""

import contextlib
import http.client
import io
import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from deploy.loopback import NGINX, nginx_conf
from qualityweek import log_format, request_id
from registrations import links
from registrations.models import Registration
from tests.factories import RegistrationFactory
from tests.processes import database_url
from tests.spam import shown

ROOT = Path(django_settings.BASE_DIR)
NGINX_ID = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def json_log():
    """The site's JSON log lines (as QUALITYWEEK_LOG_FORMAT=json writes them)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(request_id.RequestIDFilter())
    handler.setFormatter(log_format.JSONFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def worker() -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def sign_up_form() -> dict:
    return {
        "surname": "Трассова",
        "name": "Вера",
        "patronymic": "",
        "email": "vera.trace@example.ru",
        "phone": "+7 916 555-33-02",
        "organisation": "ООО «След»",
        "position": "диспетчер",
        "region": "43",
        "consent": "on",
        "homepage": "",
        **shown(),
    }


def test_request_id_from_nginx_is_answered_and_a_bad_one_replaced(client, db):
    given = client.get("/healthz", HTTP_X_REQUEST_ID=NGINX_ID)
    injected = client.get("/healthz", HTTP_X_REQUEST_ID="x\nFAKE LOG LINE")
    none = client.get("/healthz")

    assert given["X-Request-ID"] == NGINX_ID
    assert re.fullmatch(r"[0-9a-f]{32}", injected["X-Request-ID"])
    assert re.fullmatch(r"[0-9a-f]{32}", none["X-Request-ID"])
    assert none["X-Request-ID"] != injected["X-Request-ID"]


def test_request_id_reaches_the_log_the_task_row_and_the_worker_log(
    client, regional_day, clock, queue, json_log, mailoutbox
):
    response = client.post("/regional-day/", sign_up_form(), HTTP_X_REQUEST_ID=NGINX_ID)
    task = DBTaskResult.objects.get()

    # What `manage.py db_worker` does with a task it claims (in this process,
    # so the test's database connection stays open).
    task.claim("test-worker")
    worker().run_task(task)

    registration = Registration.objects.get()
    lines = [
        (line["request_id"], line["logger"], line["message"]) for line in json_log()
    ]
    assert (response.status_code, response["X-Request-ID"]) == (302, NGINX_ID)
    assert task.args_kwargs["request_id"] == NGINX_ID
    assert (
        NGINX_ID,
        "registrations.services.seats",
        f"Registration {registration.pk}: signed up",
    ) in lines
    assert (
        NGINX_ID,
        "qualityweek.mail",
        f"Registration {registration.pk}: confirm_address e-mail sent",
    ) in lines
    assert len(mailoutbox) == 1
    assert request_id.current.get() == ""  # the worker's next lines name none


def test_json_log_line_holds_time_level_logger_message_and_request_id():
    record = logging.LogRecord(
        "registrations",
        logging.INFO,
        __file__,
        1,
        "Registration %s: %s",
        (7, "x"),
        None,
    )
    request_id.RequestIDFilter().filter(record)

    line = json.loads(log_format.JSONFormatter().format(record))

    assert set(line) == {"time", "level", "logger", "message", "request_id", "process"}
    assert (line["level"], line["logger"], line["message"], line["request_id"]) == (
        "INFO",
        "registrations",
        "Registration 7: x",
        "-",
    )
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["time"])


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def processes(tmp_path):
    started = []

    def start(name, command, env):
        log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        started.append(process)
        return process

    try:
        yield start
    finally:
        for process in started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_until_answers(port: int, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        assert time.monotonic() < deadline, log.read_text() if log.exists() else ""
        time.sleep(0.2)


def request(port, method, path, *, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        response.content = response.read()
        return response
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_one_requests_id_in_nginx_gunicorn_site_and_worker_logs(
    regional_day, clock, settings, tmp_path
):
    # The processes sign the confirmation link with the test's own key.
    settings.SECRET_KEY = "a-throwaway-key-of-the-request-id-test-" + "Rq4Tz8Wm1K" * 4
    person = RegistrationFactory(event=regional_day)
    env = {
        **{key: value for key, value in os.environ.items() if "GUNICORN" not in key},
        "DEBUG": "0",
        "QUALITYWEEK_SECURE": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(),
        "CACHE_URL": "locmemcache://",
        "EMAIL_URL": f"filemail:///{tmp_path / 'mail'}",
        "QUALITYWEEK_CLOCK": settings.QUALITYWEEK_CLOCK,
        "QUALITYWEEK_TRUSTED_PROXIES": "127.0.0.1/32",
        "QUALITYWEEK_LOG_FORMAT": "json",
        "HOME": str(tmp_path),
    }
    web, proxy = free_port(), free_port()
    conf = nginx_conf(tmp_path, listen=proxy, upstreams=[web])
    path = urllib.parse.urlsplit(links.confirm_url(person)).path

    with processes(tmp_path) as start:
        start(
            "gunicorn",
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            {
                **env,
                "GUNICORN_BIND": f"127.0.0.1:{web}",
                "GUNICORN_WORKERS": "1",
                "GUNICORN_CONTROL_SOCKET": "off",
            },
        )
        start("nginx", [NGINX, "-c", str(conf), "-g", "daemon off;"], env)
        wait_until_answers(web, tmp_path / "gunicorn.log")
        wait_until_answers(proxy, tmp_path / "nginx.log")
        # A CSRF secret of the client's own, as cookie and as form field
        # (Django accepts the unmasked secret): no page needs to be rendered.
        secret = "RequestIdTestCsrfSecret123456789"
        confirmed = request(
            proxy,
            "POST",
            path,
            headers={
                "Cookie": f"csrftoken={secret}",
                "Content-Type": "application/x-www-form-urlencoded",
                # Whatever a client sends, nginx names the request itself.
                "X-Request-ID": "client-chosen-id-0001",
            },
            body=f"csrfmiddlewaretoken={secret}".encode(),
        )
        worker = start(
            "worker",
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--no-reload",
                "--no-startup-delay",
                "--interval=0",
            ],
            env,
        )
        assert worker.wait(timeout=60) == 0, (tmp_path / "worker.log").read_text()

    the_id = confirmed.getheader("X-Request-ID")
    nginx_lines = (tmp_path / "access.log").read_text().splitlines()
    gunicorn_log = (tmp_path / "gunicorn.log").read_text().splitlines()
    site_lines = [json.loads(line) for line in gunicorn_log if line.startswith("{")]
    worker_lines = [
        json.loads(line)
        for line in (tmp_path / "worker.log").read_text().splitlines()
        if line.startswith("{")
    ]
    assert confirmed.status == 302, gunicorn_log
    assert re.fullmatch(r"[0-9a-f]{32}", the_id)
    # nginx: the POST's line ends with its ID.
    assert [line for line in nginx_lines if line.endswith(the_id)] == [
        line for line in nginx_lines if '"POST ' in line
    ]
    # gunicorn: a timestamp first, the ID last.
    access = [line for line in gunicorn_log if line.endswith(" " + the_id)]
    assert len(access) == 1
    assert re.match(
        r"\[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] 127\.0\.0\.1 ", access[0]
    )
    assert ('"POST /registrations/confirm/' in access[0], " 302 " in access[0]) == (
        True,
        True,
    )
    # The site's own line, then the letter the task sent.
    assert {
        (line["request_id"], line["message"])
        for line in site_lines
        if line["logger"] == "registrations.services.seats"
    } == {(the_id, f"Registration {person.pk}: confirmed")}
    assert [
        (line["request_id"], line["message"].split(" state=")[-1])
        for line in worker_lines
        if line["logger"] in ("django_tasks", "qualityweek.mail")
    ] == [
        (the_id, "RUNNING"),
        (the_id, f"Registration {person.pk}: seat e-mail sent"),
        (the_id, "SUCCESSFUL"),
    ]
