"""The deployment: gunicorn's settings with real masters, and the files of deploy/."""

import contextlib
import gzip
import http.client
import http.server
import json
import os
import re
import runpy
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings

from deploy.loopback import NGINX, nginx_conf

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
DEPLOY = ROOT / "deploy"
GUNICORN_CONF = ROOT / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthz_status(port: int) -> int | None:
    """The status /healthz answers on the port, None while nothing listens."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def control_stats(control_socket: Path) -> dict:
    """`gunicornc … show stats` of the master listening on the control socket."""
    result = subprocess.run(
        [BIN / "gunicornc", "-s", control_socket, "-c", "show stats", "-j"],
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def production_env(tmp_path):
    """The environment of a production master, on a migrated throwaway database."""
    env = {
        key: value
        for key, value in os.environ.items()
        # The browser tests' switch belongs to the test process; gunicorn's own
        # variables would steer the masters away from what the test means.
        if key != "DJANGO_ALLOW_ASYNC_UNSAFE" and not key.startswith("GUNICORN_")
    }
    env.pop("XDG_RUNTIME_DIR", None)
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "a-throwaway-key-of-the-deploy-test-" + "k3Yq8Zp1Lw" * 4,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
            "CACHE_URL": "locmemcache://",
            "QUALITYWEEK_CLOCK": "",
            "GUNICORN_WORKERS": "1",
            # Gunicorn's default control socket lives in ~/.gunicorn.
            "HOME": str(tmp_path),
        }
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return env


@contextlib.contextmanager
def gunicorn_masters(env: dict, ports: list[int], log_dir: Path):
    """As many masters as ports, started at once from gunicorn.conf.py."""
    masters = []
    try:
        for port in ports:
            log = open(log_dir / f"gunicorn-{port}.log", "w")  # noqa: SIM115
            masters.append(
                subprocess.Popen(
                    [BIN / "gunicorn", "-c", GUNICORN_CONF],
                    cwd=ROOT,
                    env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    # A group of its own: the master and its workers go together.
                    start_new_session=True,
                )
            )
            log.close()
        yield masters
    finally:
        for master in masters:
            if master.poll() is None:
                master.terminate()
        for master in masters:
            try:
                master.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(master.pid, signal.SIGKILL)
                master.wait()


def wait_until_healthy(ports: list[int], masters, log_dir: Path, timeout=60):
    deadline = time.monotonic() + timeout
    waiting = list(ports)
    while waiting:
        for master, port in zip(masters, ports, strict=True):
            logs = (log_dir / f"gunicorn-{port}.log").read_text()
            assert master.poll() is None, logs
            assert time.monotonic() < deadline, logs
        waiting = [port for port in waiting if healthz_status(port) != 200]
        time.sleep(0.2)


def group_is_gone(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_two_masters_on_one_machine_each_keep_their_own_control_socket(
    production_env, tmp_path
):
    ports = [free_port(), free_port()]
    sockets = [
        tmp_path / ".gunicorn" / f"gunicorn-127.0.0.1-{port}.ctl" for port in ports
    ]

    with gunicorn_masters(production_env, ports, tmp_path) as masters:
        wait_until_healthy(ports, masters, tmp_path)
        # The control socket opens once the workers run: poll for it too.
        deadline = time.monotonic() + 30
        while not all(path.exists() for path in sockets):
            assert time.monotonic() < deadline, sorted(tmp_path.rglob("*.ctl"))
            time.sleep(0.2)

        answered = [control_stats(path)["pid"] for path in sockets]
        statuses = [healthz_status(port) for port in ports]
        for master in masters:
            master.terminate()
        returncodes = [master.wait(timeout=30) for master in masters]

    assert answered == [master.pid for master in masters]
    assert statuses == [200, 200]
    assert returncodes == [0, 0]
    assert [group_is_gone(master.pid) for master in masters] == [True, True]
    assert sorted(tmp_path.rglob("*.ctl")) == []


def test_gunicorn_access_log_has_paths_without_query_strings(production_env, tmp_path):
    port = free_port()

    with gunicorn_masters(production_env, [port], tmp_path) as masters:
        wait_until_healthy([port], masters, tmp_path)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/healthz?q=aglaya.logs%40example.ru")
        status = connection.getresponse().status
        connection.close()

    log = (tmp_path / f"gunicorn-{port}.log").read_text()
    assert status == 200
    assert '"GET /healthz HTTP/1.1" 200' in log
    assert ("aglaya" in log, "?" in log) == (False, False)


def gunicorn_conf(monkeypatch, **environ) -> dict:
    """gunicorn.conf.py's settings as read under these variables."""
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def test_gunicorn_control_socket_is_named_after_the_address(monkeypatch):
    from gunicorn.config import ControlSocket

    monkeypatch.delenv("GUNICORN_CONTROL_SOCKET", raising=False)
    conf = gunicorn_conf(monkeypatch)
    directory = Path(ControlSocket.default).parent

    assert "control_socket" not in conf
    assert conf["control_socket_for"](["127.0.0.1:8001"]) == str(
        directory / "gunicorn-127.0.0.1-8001.ctl"
    )
    assert conf["control_socket_for"](["[::1]:8002"]) == str(
        directory / "gunicorn-1-8002.ctl"
    )
    assert conf["control_socket_for"](["unix:/run/qualityweek/web.sock"]) == str(
        directory / "gunicorn-unix-run-qualityweek-web.sock.ctl"
    )


def test_gunicorn_control_socket_from_the_environment_or_off(monkeypatch):
    named = gunicorn_conf(monkeypatch, GUNICORN_CONTROL_SOCKET="/run/qw-8001.ctl")
    off = gunicorn_conf(monkeypatch, GUNICORN_CONTROL_SOCKET="off")

    assert (named["control_socket"], "control_socket_disable" in named) == (
        "/run/qw-8001.ctl",
        False,
    )
    assert (off["control_socket_disable"], "control_socket" in off) == (True, False)


def test_nginx_accepts_the_configuration(tmp_path):
    conf = nginx_conf(tmp_path, listen=free_port(), upstreams=[8001, 8002])

    result = subprocess.run(
        [NGINX, "-t", "-e", "stderr", "-c", conf], capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


class RecordingUpstream(http.server.BaseHTTPRequestHandler):
    """A stand-in for a gunicorn master: answers what it was sent, as JSON."""

    def answer(self):
        length = remaining = int(self.headers.get("Content-Length", 0))
        while remaining:
            chunk = self.rfile.read(min(remaining, 1 << 20))
            if not chunk:
                break
            remaining -= len(chunk)
        seen = {
            "upstream": self.server.name,
            "path": self.path,
            "length": length,
            "headers": {
                name: self.headers.get_all(name)
                for name in (
                    "Host",
                    "X-Real-IP",
                    "X-Forwarded-For",
                    "X-Forwarded-Proto",
                )
            },
            "padding": "quality " * 200,  # past gzip_min_length
        }
        body = json.dumps(seen).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = answer

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def recording_upstream(name: str):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RecordingUpstream)
    server.name = name
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def nginx_in_front(tmp_path):
    """deploy/nginx.conf served by a real nginx, two recording upstreams behind it;
    yields a function that sends one request and returns the response."""
    for path, content in {
        "staticfiles/css/site.css": b"body{}",
        "staticfiles/css/site.0123456789ab.css": b"body{}",
        "staticfiles/css/site.0123456789ab.css.gz": gzip.compress(b"body{}"),
        "media/activations/photo.webp": b"RIFF....WEBP",
        "media/activations/page.html": b"<script>alert(1)</script>",
        "media/materials/draft-brandbook.pdf": b"%PDF-1.7",
    }.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(content)
    port = free_port()
    with recording_upstream("web1") as web1, recording_upstream("web2") as web2:
        conf = nginx_conf(tmp_path, listen=port, upstreams=[web1, web2])
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

            def send(method, path, body=None, headers=None):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                try:
                    connection.request(method, path, body=body, headers=headers or {})
                    response = connection.getresponse()
                    response.content = response.read()
                    return response
                finally:
                    connection.close()

            yield send
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)


def seen_upstream(response) -> dict:
    assert response.status == 200, response.content
    return json.loads(response.content)


def test_nginx_sets_forwarded_headers_instead_of_passing_the_client_ones(
    nginx_in_front,
):
    response = nginx_in_front(
        "GET",
        "/schedule/",
        headers={
            "Host": "qualityweek.example.ru:8080",
            "X-Forwarded-For": "203.0.113.66",
            "X-Real-IP": "203.0.113.66",
            "X-Forwarded-Proto": "https",
        },
    )

    assert seen_upstream(response)["headers"] == {
        "Host": ["qualityweek.example.ru:8080"],
        "X-Real-IP": ["127.0.0.1"],
        "X-Forwarded-For": ["127.0.0.1"],
        "X-Forwarded-Proto": ["http"],
    }


def test_nginx_shares_requests_between_both_masters_and_passes_healthz(
    nginx_in_front,
):
    answers = [seen_upstream(nginx_in_front("GET", "/healthz")) for _ in range(4)]

    assert {answer["upstream"] for answer in answers} == {"web1", "web2"}
    assert {answer["path"] for answer in answers} == {"/healthz"}


def test_nginx_passes_readyz_and_never_serves_metrics_to_the_outside(nginx_in_front):
    readyz = seen_upstream(nginx_in_front("GET", "/readyz"))
    metrics = nginx_in_front("GET", "/metrics")

    assert (readyz["path"], metrics.status) == ("/readyz", 404)


def test_nginx_takes_large_bodies_only_for_the_materials_admin(nginx_in_front):
    eleven_mb = b"x" * (11 * 1024 * 1024)

    refused = nginx_in_front("POST", "/activations/new/", body=eleven_mb)
    material = nginx_in_front("POST", "/admin/events/material/add/", body=eleven_mb)
    material_en = nginx_in_front(
        "POST", "/en/admin/events/material/1/change/", body=eleven_mb
    )

    assert refused.status == 413
    assert seen_upstream(material)["length"] == len(eleven_mb)
    assert seen_upstream(material_en)["length"] == len(eleven_mb)


def test_nginx_limits_admin_login_posts_not_the_login_page(nginx_in_front):
    posts = [nginx_in_front("POST", "/admin/login/", body=b"").status for _ in range(7)]
    english = nginx_in_front("POST", "/en/admin/login/", body=b"").status
    pages = [nginx_in_front("GET", "/admin/login/").status for _ in range(7)]
    elsewhere = nginx_in_front("POST", "/regional-day/", body=b"").status

    # 5 a minute, a burst of 5: the first and five more, then 429.
    assert posts == [200] * 6 + [429]
    assert (english, pages, elsewhere) == (429, [200] * 7, 200)


def test_nginx_access_log_has_paths_without_query_strings(nginx_in_front, tmp_path):
    # An organiser searched the registrations for a person, then opened one.
    response = nginx_in_front(
        "GET",
        "/admin/registrations/registration/?q=aglaya.logs%40example.ru",
        headers={
            "Referer": "https://qualityweek.example.ru/admin/registrations/"
            "registration/?q=%D0%9B%D0%BE%D1%80%D0%B3%D0%B8%D0%BD%D0%BE%D0%B2%D0%B0"
        },
    )
    access_log = tmp_path / "access.log"
    deadline = time.monotonic() + 5
    while not access_log.exists() or not access_log.read_text():
        assert time.monotonic() < deadline
        time.sleep(0.05)

    log = access_log.read_text()
    assert seen_upstream(response)["path"] == (
        "/admin/registrations/registration/?q=aglaya.logs%40example.ru"
    )
    assert '"GET /admin/registrations/registration/ HTTP/1.1" 200' in log
    assert '"https://qualityweek.example.ru/admin/registrations/registration/"' in log
    assert ("aglaya" in log, "?" in log, "%D0" in log) == (False, False, False)


def test_nginx_serves_static_files_with_long_cache_only_for_hashed_names(
    nginx_in_front,
):
    hashed = nginx_in_front(
        "GET", "/static/css/site.0123456789ab.css", headers={"Accept-Encoding": "gzip"}
    )
    plain = nginx_in_front("GET", "/static/css/site.css")

    assert (hashed.status, hashed.getheader("Cache-Control")) == (
        200,
        "public, max-age=31536000, immutable",
    )
    assert hashed.getheader("Content-Encoding") == "gzip"
    assert hashed.getheader("Content-Type") == "text/css"
    assert hashed.getheader("X-Content-Type-Options") == "nosniff"
    assert (plain.status, plain.getheader("Cache-Control")) == (200, "max-age=3600")


def test_nginx_serves_media_as_images_or_downloads_and_never_materials(
    nginx_in_front,
):
    image = nginx_in_front("GET", "/media/activations/photo.webp")
    page = nginx_in_front("GET", "/media/activations/page.html")
    material = nginx_in_front("GET", "/media/materials/draft-brandbook.pdf")

    assert (image.status, image.getheader("Content-Type")) == (200, "image/webp")
    assert (page.status, page.getheader("Content-Type")) == (
        200,
        "application/octet-stream",
    )
    assert {
        response.getheader("X-Content-Type-Options") for response in (image, page)
    } == {"nosniff"}
    assert page.getheader("Content-Security-Policy") == "default-src 'none'; sandbox"
    assert material.status == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/./materials/draft-brandbook.pdf",
        "/media/x/../materials/draft-brandbook.pdf",
        "/media/x%2f..%2fmaterials/draft-brandbook.pdf",
        "/media/x%2F..%2Fmaterials%2Fdraft-brandbook.pdf",
        "/media/.%2fmaterials/draft-brandbook.pdf",
        "/media//materials/draft-brandbook.pdf",
    ],
)
def test_nginx_refuses_a_material_however_its_path_is_spelled(nginx_in_front, path):
    assert nginx_in_front("GET", path).status == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/media/x%252f..%252fmaterials/draft-brandbook.pdf", 400),
        ("/media/x%5c..%5cmaterials/draft-brandbook.pdf", 404),
        ("/media/Materials/draft-brandbook.pdf", 404),
    ],
)
def test_nginx_passes_other_spellings_to_the_site_which_refuses_them(
    nginx_in_front, client, settings, tmp_path, path, status
):
    settings.MEDIA_ROOT = tmp_path / "media"
    forwarded = seen_upstream(nginx_in_front("GET", path))["path"]

    assert (forwarded, client.get(forwarded).status_code) == (path, status)


def test_nginx_asks_the_site_for_media_that_are_not_on_its_volume(nginx_in_front):
    response = nginx_in_front("GET", "/media/speakers/in-the-bucket.webp")

    assert seen_upstream(response)["path"] == "/media/speakers/in-the-bucket.webp"


def test_nginx_compresses_the_site_text_answers(nginx_in_front):
    response = nginx_in_front("GET", "/", headers={"Accept-Encoding": "gzip"})

    assert response.getheader("Content-Encoding") == "gzip"
    assert json.loads(gzip.decompress(response.content))["upstream"] in {
        "web1",
        "web2",
    }


def compose() -> dict:
    # PyYAML comes with djlint, one of the dev dependencies.
    import yaml

    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_runs_every_part_of_the_cluster():
    services = compose()["services"]

    assert sorted(services) == [
        "db",
        "migrate",
        "nginx",
        "pgbouncer",
        "redis",
        "scheduler",
        "web1",
        "web2",
        "worker",
    ]
    assert services["db"]["image"].rsplit(":", 1)[1].startswith("15")
    assert services["worker"]["command"][-2:] == ["run_worker", "--no-reload"]
    assert services["scheduler"]["command"][-1] == "run_scheduler"
    assert {services[name]["image"] for name in ("web1", "web2", "worker")} == {
        services["migrate"]["image"]
    }


def test_compose_starts_the_site_only_after_migrate():
    services = compose()["services"]

    for name in ("web1", "web2", "worker", "scheduler"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }, name
    assert services["migrate"]["restart"] == "no"
    assert services["nginx"]["depends_on"] == {
        "web1": {"condition": "service_healthy"},
        "web2": {"condition": "service_healthy"},
    }


def test_compose_and_hosts_run_redis_from_the_shipped_capped_configuration():
    redis = compose()["services"]["redis"]

    assert redis["command"] == ["redis-server", "/usr/local/etc/redis/redis.conf"]
    assert redis["volumes"] == ["./redis.conf:/usr/local/etc/redis/redis.conf:ro"]
    # The README's host steps include the same file.
    assert (
        "include /srv/qualityweek/deploy/redis.conf" in (ROOT / "README.md").read_text()
    )


def test_shipped_redis_configuration_caps_memory_and_evicts(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            DEPLOY / "redis.conf",
            *("--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path)),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        answers = []
        deadline = time.monotonic() + 10
        while not answers:
            assert time.monotonic() < deadline
            result = subprocess.run(
                ["redis-cli", "-p", str(port), "config", "get", "max*"],
                capture_output=True,
                text=True,
            )
            answers = result.stdout.split()
            time.sleep(0.05)
        persistence = subprocess.run(
            ["redis-cli", "-p", str(port), "config", "get", "save"],
            capture_output=True,
            text=True,
        ).stdout.split()
    finally:
        server.terminate()
        server.wait(timeout=10)

    config = dict(zip(answers[::2], answers[1::2], strict=True))
    assert (config["maxmemory"], config["maxmemory-policy"]) == (
        str(256 * 1024 * 1024),
        "allkeys-lru",
    )
    assert persistence == ["save"]


def test_compose_shares_media_and_keeps_postgres_data_in_volumes():
    spec = compose()
    services = spec["services"]

    assert sorted(spec["volumes"]) == ["media", "postgres", "static"]
    for name in ("web1", "web2", "worker"):
        assert "media:/srv/qualityweek/media" in services[name]["volumes"], name
    assert "media:/srv/qualityweek/media:ro" in services["nginx"]["volumes"]
    assert "postgres:/var/lib/postgresql/data" in services["db"]["volumes"]
    # nginx serves what migrate copies from the image.
    assert "static:/srv/qualityweek/staticfiles:ro" in services["nginx"]["volumes"]
    assert "static:/srv/static" in services["migrate"]["volumes"]


def environment_names(source: str) -> set[str]:
    """The variables a settings module reads through django-environ or os.environ."""
    pattern = r'(?:env(?:\.\w+)?|os\.environ\.get)\(\s*"([A-Z][A-Z0-9_]+)"'
    return set(re.findall(pattern, source))


def test_env_example_documents_every_variable_the_site_reads():
    example = (DEPLOY / "env.example").read_text()
    documented = set(re.findall(r"^(?:# )?([A-Z][A-Z0-9_]+)=", example, re.M))
    read = set().union(
        *(
            environment_names(module.read_text())
            for module in (ROOT / "qualityweek" / "settings").glob("*.py")
        )
    )
    read |= environment_names(GUNICORN_CONF.read_text())

    # The test runs' own database name is no deployment's business.
    assert read - {"QUALITYWEEK_TEST_DATABASE"} - documented == set()
    assert "RATELIMIT_IP_META_KEY" not in example
    assert (
        "QUALITYWEEK_TRUSTED_PROXIES=10.0.0.0/8,172.16.0.0/12,192.168.0.0/16"
        in example.splitlines()
    )
    assert "CACHE_URL=rediscache://redis:6379/1" in example.splitlines()


# make test installs systemd (for systemd-analyze) and nginx from Debian.
SYSTEMD_ANALYZE = shutil.which("systemd-analyze") or "/usr/bin/systemd-analyze"


def test_systemd_units_have_no_unknown_or_wrong_settings(tmp_path):
    units = []
    for unit in (DEPLOY / "systemd").glob("*.service"):
        # The units run /srv/qualityweek/.venv: here, this checkout's.
        text = unit.read_text().replace("/srv/qualityweek/.venv/bin/", f"{BIN}/")
        name = unit.name.replace("@.", "@8001.")
        (tmp_path / name).write_text(text)
        units.append(tmp_path / name)

    result = subprocess.run(
        [SYSTEMD_ANALYZE, "verify", "--man=no", *units],
        capture_output=True,
        text=True,
    )

    assert sorted(unit.name for unit in units) == [
        "qualityweek-scheduler.service",
        "qualityweek-web@8001.service",
        "qualityweek-worker.service",
    ]
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_systemd_units_run_as_the_site_user_hardened_and_restarted():
    for unit in (DEPLOY / "systemd").glob("*.service"):
        lines = set(unit.read_text().splitlines())

        assert {
            "User=qualityweek",
            "WorkingDirectory=/srv/qualityweek",
            "EnvironmentFile=/etc/qualityweek/env",
            "Restart=on-failure",
            "NoNewPrivileges=yes",
            "ProtectSystem=strict",
            "ReadWritePaths=/srv/qualityweek/media",
            "PrivateTmp=yes",
        } <= lines, unit.name
