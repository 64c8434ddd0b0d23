"""Secret links (a participant's page, the confirmation link, an activation's
edit link, a venue's page) never reach a log: gunicorn's, nginx's or Django's."""

import contextlib
import http.client
import logging
import os
import runpy
import socket
import subprocess
import sys
import time

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from deploy.loopback import NGINX, nginx_conf
from qualityweek.secret_paths import MASK, mask
from tests.qualityweek import test_deploy as deploy

TOKEN = "Zq8xKmW3rT5vYb2NcLp7HdF4sJ9gUe6AoQ1iXw0RtEk"
SIGNED = f"{TOKEN}:1qB2cD:Vb8nM3kL9pQ2wE5rT7yU1iO4aS6dF0gH3jK5lZ8xC"


def secret_routes(resolver=None, prefix=""):
    """Every route of the site with a `<token:…>`, `<signed:…>` or check-in code
    part, as a path with sample values in them."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern).lstrip("^")
        if isinstance(entry, URLResolver):
            yield from secret_routes(entry, route)
        elif isinstance(entry, URLPattern) and (
            "<token:" in route
            or "<weektoken:" in route
            or "signed>" in route
            or "<str:code>" in route
        ):
            yield (
                "/"
                + route.replace("<token:token>", TOKEN)
                .replace("<weektoken:token>", TOKEN)
                .replace("<signed:signed>", SIGNED)
                .replace("<str:signed>", SIGNED)
                .replace("<str:code>", "K7M2QX9P")
            )


def test_every_secret_route_of_the_urlconf_is_masked():
    paths = sorted(secret_routes())

    masked = [mask(path) for path in paths]

    # 5 of a participant's, confirm, edit, venue, check-in; and any new one
    assert len(paths) >= 9, paths
    assert [MASK in path for path in masked] == [True] * len(paths)
    assert [TOKEN in path or "K7M2QX9P" in path for path in masked] == [False] * len(
        paths
    )


@pytest.mark.parametrize(
    ("logged", "expected"),
    [
        (f"/registrations/{TOKEN}/cancel/", "/registrations/<secret>/cancel/"),
        (f"/en/registrations/{TOKEN}/qr.svg", "/en/registrations/<secret>/qr.svg"),
        (f"/registrations/confirm/{SIGNED}/", "/registrations/confirm/<secret>/"),
        (
            f"https://quality.example.ru/activations/edit/{SIGNED}/",
            "https://quality.example.ru/activations/edit/<secret>/",
        ),
        (f'"GET /regional-venues/{SIGNED}/ HTTP/1.1" 200', None),
        ("/registrations/check-email/?corrected=1", "unchanged"),
        ("/regional-venues/new/", "unchanged"),
        ("/regional-venues/sent/", "unchanged"),
        ("/admin/registrations/registration/5/change/", "unchanged"),
        ("/checkin/", "unchanged"),
        (f"/my/{TOKEN}.ics", "/my/<secret>"),
        ("/my/add/", "unchanged"),
        (f"/en/certificates/pdf/{SIGNED}/", "/en/certificates/pdf/<secret>/"),
    ],
)
def test_mask_hides_the_secret_and_keeps_the_rest(logged, expected):
    if expected == "unchanged":
        expected = logged
    elif expected is None:
        expected = '"GET /regional-venues/<secret>/ HTTP/1.1" 200'

    assert mask(logged) == expected


@pytest.mark.django_db
def test_django_logs_a_ticket_link_masked(caplog, edition_2023):
    caplog.set_level(logging.INFO)

    status = Client().get(f"/registrations/{TOKEN}/cancel/").status_code

    assert status == 404
    assert TOKEN not in caplog.text
    assert "Not Found: /registrations/<secret>/cancel/" in caplog.text


@pytest.mark.django_db
def test_django_logs_a_refused_post_to_a_secret_link_masked(caplog, edition_2023):
    caplog.set_level(logging.INFO)

    response = Client(enforce_csrf_checks=True).post(f"/activations/edit/{SIGNED}/")

    assert response.status_code == 403
    assert TOKEN not in caplog.text
    assert "/activations/edit/<secret>/" in caplog.text


@pytest.fixture
def production_env(tmp_path):
    """A production master's environment, on a migrated throwaway database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "DJANGO_ALLOW_ASYNC_UNSAFE" and not key.startswith("GUNICORN_")
    }
    env.update(
        DEBUG="0",
        QUALITYWEEK_SECURE="0",
        SECRET_KEY="a-throwaway-key-of-the-secret-paths-test-" + "P4nQ8rT2vX" * 4,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        CACHE_URL="locmemcache://",
        QUALITYWEEK_CLOCK="",
        GUNICORN_WORKERS="1",
        GUNICORN_CONTROL_SOCKET="off",
        HOME=str(tmp_path),
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=deploy.ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return env


def test_gunicorn_access_log_masks_secret_links(production_env, tmp_path):
    port = deploy.free_port()

    with deploy.gunicorn_masters(production_env, [port], tmp_path) as masters:
        deploy.wait_until_healthy([port], masters, tmp_path)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request(
            "GET",
            f"/registrations/{TOKEN}/",
            headers={"Referer": f"http://127.0.0.1/activations/edit/{SIGNED}/"},
        )
        status = connection.getresponse().status
        connection.close()

    log = (tmp_path / f"gunicorn-{port}.log").read_text()
    assert status == 404, log
    assert TOKEN not in log
    assert '"GET /registrations/<secret>/ HTTP/1.1" 404' in log
    assert "Not Found: /registrations/<secret>/" in log


def test_gunicorn_error_log_masks_secret_links(tmp_path):
    from gunicorn.config import Config

    logger_class = runpy.run_path(str(deploy.GUNICORN_CONF))["logger_class"]
    cfg = Config()
    cfg.set("errorlog", str(tmp_path / "error.log"))
    logger = logger_class(cfg)

    # What a worker writes when a request fails past Django's own handling.
    logger.error("Error handling request %s", f"/registrations/{TOKEN}/cancel/")

    log = (tmp_path / "error.log").read_text()
    assert TOKEN not in log
    assert "Error handling request /registrations/<secret>/cancel/" in log


@contextlib.contextmanager
def nginx_before(upstream: int, directory):
    port = deploy.free_port()
    conf = nginx_conf(directory, listen=port, upstreams=[upstream])
    nginx = subprocess.Popen(
        [NGINX, "-e", "stderr", "-c", conf, "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            assert nginx.poll() is None, nginx.stderr.read()
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", port), timeout=1),
            ):
                break
            assert time.monotonic() < deadline
            time.sleep(0.05)
        yield port
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)


def test_nginx_access_log_masks_secret_links(tmp_path):
    requests = [
        (f"/registrations/{TOKEN}/cancel/", f"http://x.ru/regional-venues/{SIGNED}/"),
        (f"/en/registrations/confirm/{SIGNED}/", ""),
        (f"/activations/edit/{SIGNED}/", f"http://x.ru/registrations/{TOKEN}/"),
        ("/registrations/check-email/", f"http://x.ru/en/registrations/{TOKEN}/"),
        ("/regional-venues/new/", ""),
    ]

    with (
        deploy.recording_upstream("web1") as upstream,
        nginx_before(upstream, tmp_path) as port,
    ):
        for path, referer in requests:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path, headers={"Referer": referer})
            assert connection.getresponse().status == 200
            connection.close()

    log = (tmp_path / "access.log").read_text()
    assert TOKEN not in log
    assert [line.split('"')[1::2][:2] for line in log.splitlines()] == [
        [
            "GET /registrations/<secret>/cancel/ HTTP/1.1",
            "http://x.ru/regional-venues/<secret>/",
        ],
        ["GET /en/registrations/confirm/<secret>/ HTTP/1.1", ""],
        [
            "GET /activations/edit/<secret>/ HTTP/1.1",
            "http://x.ru/registrations/<secret>/",
        ],
        [
            "GET /registrations/check-email/ HTTP/1.1",
            "http://x.ru/en/registrations/<secret>/",
        ],
        ["GET /regional-venues/new/ HTTP/1.1", ""],
    ]
