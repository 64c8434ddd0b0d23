"""/metrics: the operator's figures, and who may read them."""

import datetime
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from qualityweek import clock as site_clock
from qualityweek import tasks as site_tasks
from qualityweek.models import SentLetter
from tests.factories import RegistrationFactory
from tests.processes import database_url
from tests.spam import shown

ROOT = Path(django_settings.BASE_DIR)


def scrape(client, **headers) -> dict:
    """Every sample of /metrics: {(name, ((label, value), …)): value}."""
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def sign_up_form(email: str) -> dict:
    return {
        "surname": "Метрикова",
        "name": "Ольга",
        "patronymic": "",
        "email": email,
        "phone": "+7 916 555-44-01",
        "organisation": "ООО «Счёт»",
        "position": "аналитик",
        "region": "43",
        "consent": "on",
        "homepage": "",
        **shown(),
    }


@pytest.mark.postgres
def test_metrics_after_a_sign_up_count_it_its_letter_and_the_seats(
    client, regional_day, clock, mailoutbox, django_capture_on_commit_callbacks
):
    RegistrationFactory(event=regional_day, confirmed=True)
    before = scrape(client)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/regional-day/", sign_up_form("olga.m@example.ru"))

    after = scrape(client)
    event = ("event", "regional-day-2023")
    assert (response.status_code, len(mailoutbox)) == (302, 1)
    signups = ("qualityweek_signups_last_minute", ())
    assert (before[signups], after[signups]) == (1, 2)
    assert after[("qualityweek_registrations", (event, ("status", "pending")))] == 1
    assert after[("qualityweek_registrations", (event, ("status", "confirmed")))] == 1
    assert after[("qualityweek_seats_left", (event,))] == 1
    assert after[("qualityweek_seats", (event,))] == 2
    assert after[("qualityweek_letters", (("state", "sent"),))] == 1
    assert after[("qualityweek_letters_last_minute", (("state", "sent"),))] == 1
    assert after[("qualityweek_letters", (("state", "bounced"),))] == 0
    answered = ("qualityweek_http_requests_total", (("status", "302"),))
    assert after[answered] - before.get(answered, 0) == 1


def test_metrics_count_confirmations_of_the_last_minute(client, regional_day, clock):
    now = site_clock.now()
    RegistrationFactory(event=regional_day)
    RegistrationFactory(event=regional_day, confirmed=True, confirmed_at=now)
    RegistrationFactory(
        event=regional_day,
        confirmed=True,
        confirmed_at=now - datetime.timedelta(days=1),
    )

    figures = scrape(client)

    assert figures[("qualityweek_confirmations_last_minute", ())] == 1


def test_metrics_count_page_cache_hits_and_misses(client, regional_day, clock):
    before = scrape(client)

    first = client.get("/schedule/")
    second = client.get("/schedule/")

    after = scrape(client)

    def grew(result):
        key = ("qualityweek_page_cache_lookups_total", (("result", result),))
        return after.get(key, 0) - before.get(key, 0)

    assert (first.status_code, second.status_code) == (200, 200)
    assert first.content == second.content
    assert grew("miss") >= 1
    assert grew("shared") >= 1


@pytest.mark.postgres  # a JSON key compared in SQL, and aggregates
def test_metrics_show_the_queue_length_age_and_retries(client, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    site_tasks.clear_expired_sessions.enqueue()
    site_tasks.prune_finished_tasks.enqueue(14)
    DBTaskResult.objects.filter(task_path__endswith="clear_expired_sessions").update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=3)
    )
    site_tasks.retry_later(site_tasks.prune_finished_tasks, 14, attempt=1)
    DBTaskResult.objects.filter(args_kwargs__kwargs__attempt=2).update(
        run_after=timezone.now() - datetime.timedelta(seconds=5)
    )

    figures = scrape(client)

    assert figures[("qualityweek_tasks_ready", ())] == 3
    assert 180 <= figures[("qualityweek_tasks_oldest_ready_seconds", ())] < 190
    assert figures[("qualityweek_tasks_retrying", ())] == 1
    assert figures[("qualityweek_worker_last_seen_seconds", ())] == -1


def test_metrics_count_letters_by_state(client, db):
    for state in ["sent", "sent", "bounced", "uncertain"]:
        SentLetter.objects.create(key=f"key-{SentLetter.objects.count()}", state=state)

    figures = scrape(client)

    assert {
        state: figures[("qualityweek_letters", (("state", state),))]
        for state in SentLetter.State.values
    } == {"attempting": 0, "sent": 2, "bounced": 1, "uncertain": 1}


def test_metrics_refuse_visitors_through_the_proxy(client, db, settings):
    settings.QUALITYWEEK_TRUSTED_PROXIES = ["127.0.0.1/32"]

    visitor = client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9")
    inside = client.get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1")

    assert (visitor.status_code, visitor.content) == (403, b"forbidden\n")
    assert inside.status_code == 200


def test_metrics_from_a_private_network_of_the_trusted_proxies(client, db, settings):
    settings.QUALITYWEEK_TRUSTED_PROXIES = ["10.0.0.0/8"]

    scraper = client.get("/metrics", REMOTE_ADDR="10.0.0.5")
    stranger = client.get("/metrics", REMOTE_ADDR="198.51.100.7")

    assert (scraper.status_code, stranger.status_code) == (200, 403)


@pytest.mark.parametrize(
    ("authorization", "status"),
    [
        ("Bearer a-scrape-token-of-thirty-two-chars", 200),
        ("Bearer wrong", 403),
        ("", 403),
    ],
)
def test_metrics_with_a_token_open_only_to_it(
    client, db, settings, authorization, status
):
    settings.QUALITYWEEK_METRICS_TOKEN = "a-scrape-token-of-thirty-two-chars"
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}

    response = client.get("/metrics", **headers)

    assert response.status_code == status


@pytest.mark.django_db(transaction=True)
def test_metrics_of_gunicorn_workers_add_up_in_every_scrape(tmp_path):
    port = free_port()
    env = {
        **{key: value for key, value in os.environ.items() if "GUNICORN" not in key},
        "DEBUG": "0",
        "SECRET_KEY": "a-throwaway-key-of-the-metrics-test-" + "Mx5Kd9Qp2V" * 4,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(),
        "CACHE_URL": "locmemcache://",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "3",
        "GUNICORN_CONTROL_SOCKET": "off",
        "GUNICORN_ACCESSLOG": "/dev/null",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    }
    log = tmp_path / "gunicorn.log"
    with open(log, "w") as output:
        master = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while get(port, "/healthz")[0] != 200:
            assert master.poll() is None and time.monotonic() < deadline, (
                log.read_text()
            )
            time.sleep(0.2)
        for _ in range(30):
            assert get(port, "/healthz")[0] == 200

        counted = [
            counted_ok(get(port, "/metrics", headers={"Connection": "close"})[1])
            for _ in range(6)
        ]
    finally:
        master.terminate()
        try:
            master.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(master.pid, signal.SIGKILL)
            master.wait()

    # However the scrapes fell on the three workers, each sees every answer
    # before it (31 healthz and the scrapes before it), never one worker's part.
    assert all(count >= 31 for count in counted), counted
    assert counted == sorted(counted)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, headers=None) -> tuple[int | None, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode()
    except OSError:
        return None, ""
    finally:
        connection.close()


def counted_ok(text: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "qualityweek_http_requests_total"
        and sample.labels == {"status": "200"}
    )
