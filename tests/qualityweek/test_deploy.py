"""The deployment: gunicorn's settings with real masters, and the files of deploy/."""

import contextlib
import http.client
import http.server
import json
import os
import re
import runpy
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

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
        "redis",
        "scheduler",
        "web1",
        "web2",
        "worker",
    ]
    assert services["db"]["image"].rsplit(":", 1)[1].startswith("15")
    assert services["worker"]["command"][-2:] == ["db_worker", "--no-reload"]
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


def test_compose_redis_is_a_capped_cache_that_evicts():
    command = compose()["services"]["redis"]["command"]

    flags = dict(zip(command[1::2], command[2::2], strict=True))
    assert command[0] == "redis-server"
    assert (flags["--maxmemory"], flags["--maxmemory-policy"]) == (
        "256mb",
        "allkeys-lru",
    )


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
    read = environment_names((ROOT / "qualityweek" / "settings.py").read_text())
    read |= environment_names(GUNICORN_CONF.read_text())

    # The test runs' own database name is no deployment's business.
    assert read - {"QUALITYWEEK_TEST_DATABASE"} - documented == set()
    assert "RATELIMIT_IP_META_KEY=HTTP_X_REAL_IP" in example.splitlines()
    assert "CACHE_URL=rediscache://redis:6379/1" in example.splitlines()
