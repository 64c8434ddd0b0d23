"""deploy/compose.yaml run outside containers: its services' own commands, in the
order its depends_on conditions give, each on this machine's loopback.

The image is the build context with its build stage run (tests/deploy/build.py);
PostgreSQL is the test run's own server and database; pgbouncer, Redis and
nginx are Debian's, with the deployment's own configuration files rewritten
only for addresses and paths (deploy/loopback.py). Then the sizing of the
README: four web masters and two task workers through a pgbouncer pool far
smaller than their number of connections, against one PostgreSQL.
"""

import contextlib
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from django.db import connection

from deploy.loopback import NGINX, PGBOUNCER, nginx_conf, pgbouncer_conf
from events.models import Edition, Event
from registrations import links
from registrations.models import Registration
from tests.deploy.build import (
    ROOT,
    copy_build_context,
    image_command,
    image_environment,
    run_build_stage,
)
from tests.factories import EventFactory, RegistrationFactory, moscow
from tests.qualityweek.test_cluster import confirm, wait_for_letters

DEPLOY = ROOT / "deploy"
CLOCK = "2023-11-01T10:00+03:00"
# The ports the containers listen on, as the compose file and its healthchecks
# name them.
CONTAINER_PORTS = {"pgbouncer": 6432, "redis": 6379, "nginx": 8080}


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def env_example() -> dict[str, str]:
    variables = {}
    for line in (DEPLOY / "env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            variables[name] = value
    return variables


def dependencies(service: dict) -> dict[str, str]:
    """depends_on as {service: condition}, whichever form it is written in."""
    depends_on = service.get("depends_on", {})
    if isinstance(depends_on, list):
        return dict.fromkeys(depends_on, "service_started")
    return {name: spec["condition"] for name, spec in depends_on.items()}


def start_order(services: dict) -> list[list[str]]:
    """The services in waves: each wave's dependencies are all in earlier ones."""
    waves, placed = [], set()
    while len(placed) < len(services):
        wave = sorted(
            name
            for name, service in services.items()
            if name not in placed and set(dependencies(service)) <= placed
        )
        assert wave, f"a dependency cycle among {sorted(set(services) - placed)}"
        waves.append(wave)
        placed |= set(wave)
    return waves


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class Cluster:
    """The compose file's services as processes of this machine."""

    def __init__(self, services: dict, work: Path, *, pool_size: int | None):
        self.services = services
        self.work = work
        self.processes: dict[str, subprocess.Popen] = {}
        self.ports = {name: free_port() for name in services}
        self.started: list[list[str]] = []
        self.pool_size = pool_size
        self.mail_dir = work / "mail"
        self.mail_dir.mkdir()
        self.context = work / "srv-qualityweek"
        copy_build_context(self.context)
        # The image: its build stage, as the Containerfile runs it.
        run_build_stage(self.context, work)
        self.database = connection.settings_dict["NAME"]
        self.user = connection.settings_dict["USER"] or "postgres"
        self.env = self.site_environment()

    def site_environment(self) -> dict[str, str]:
        """env.example and the image's ENV, pointed at this machine's services."""
        env = {**image_environment(), **env_example()}
        database = urllib.parse.urlsplit(env["DATABASE_URL"])
        cache = urllib.parse.urlsplit(env["CACHE_URL"])
        # The site reaches PostgreSQL only through pgbouncer, as compose has it.
        assert (database.hostname, database.port) == ("pgbouncer", 6432)
        assert (cache.hostname, cache.port) == ("redis", 6379)
        env.update(
            {
                "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
                "HOME": str(self.work),
                "DATABASE_URL": database._replace(
                    netloc=f"{self.user}@127.0.0.1:{self.ports['pgbouncer']}",
                    path=f"/{self.database}",
                ).geturl(),
                "CACHE_URL": cache._replace(
                    netloc=f"127.0.0.1:{self.ports['redis']}"
                ).geturl(),
                "EMAIL_URL": f"filemail:///{self.mail_dir}",
                "MEDIA_ROOT": str(self.work / "media"),
                "QUALITYWEEK_CLOCK": CLOCK,
                "QUALITYWEEK_TRUSTED_PROXIES": "127.0.0.1/32",
                "QUALITYWEEK_REGISTRATION_RATE": "10000/h",
                "GUNICORN_WORKERS": "2",
                "GUNICORN_ACCESSLOG": "/dev/null",
            }
        )
        return env

    def command(self, name: str) -> list[str]:
        service = self.services[name]
        if name == "redis":
            command = [
                part.replace(
                    "/usr/local/etc/redis/redis.conf", str(DEPLOY / "redis.conf")
                )
                for part in service["command"]
            ]
            return [*command, "--port", str(self.ports[name]), "--bind", "127.0.0.1"]
        if name == "pgbouncer":
            directory = self.work / "pgbouncer"
            directory.mkdir(mode=0o755)
            conf = pgbouncer_conf(
                directory,
                listen=self.ports[name],
                database=self.database,
                user=self.user,
                pool_size=self.pool_size,
                reserve_pool_size=0 if self.pool_size else None,
            )
            return [
                PGBOUNCER
                if part == "pgbouncer"
                else part.replace("/etc/pgbouncer/pgbouncer.ini", str(conf))
                for part in service["command"]
            ]
        if name == "nginx":
            webs = [other for other in self.services if other.startswith("web")]
            conf = nginx_conf(
                self.work,
                listen=self.ports[name],
                upstreams=[self.ports[web] for web in webs],
            )
            return [NGINX, "-c", str(conf), "-g", "daemon off;"]
        command = service.get("command") or image_command()
        if isinstance(command, str):
            command = shlex.split(command)
        static = self.work / "static"
        static.mkdir(exist_ok=True)
        return [part.replace("/srv/static/", f"{static}/") for part in command]

    def service_env(self, name: str) -> dict[str, str]:
        return {
            **self.env,
            # One address and control socket per master, as each container has.
            "GUNICORN_BIND": f"127.0.0.1:{self.ports[name]}",
            "GUNICORN_CONTROL_SOCKET": str(self.work / f"{name}.ctl"),
        }

    def start(self, name: str) -> None:
        if name == "db":
            return  # the test run's PostgreSQL stands in
        log = open(self.work / f"{name}.log", "w")  # noqa: SIM115
        self.processes[name] = subprocess.Popen(
            self.command(name),
            cwd=self.context,
            env=self.service_env(name),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()

    def healthcheck(self, name: str) -> bool:
        """The service's own healthcheck command, addressed to its local port."""
        test = self.services[name]["healthcheck"]["test"]
        assert test[0] == "CMD-SHELL", name
        shell = test[1].replace("$$", "$")
        port = self.ports[name]
        if name == "redis":
            shell = shell.replace("redis-cli", f"redis-cli -p {port}")
        elif name in CONTAINER_PORTS:
            shell = shell.replace(f":{CONTAINER_PORTS[name]}", f":{port}").replace(
                f"-p {CONTAINER_PORTS[name]}", f"-p {port}"
            )
        else:
            shell = shell.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        env = {
            **self.service_env(name),
            "POSTGRES_USER": self.user,
            "POSTGRES_DB": self.database,
            "PGHOST": "127.0.0.1",
            "PGPORT": str(connection.settings_dict["PORT"] or 5432),
        }
        result = subprocess.run(
            ["sh", "-c", shell], env=env, capture_output=True, timeout=30
        )
        return result.returncode == 0

    def wait_for(self, name: str, condition: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while True:
            process = self.processes.get(name)
            if condition == "service_completed_successfully":
                if process.poll() is not None:
                    assert process.returncode == 0, self.log(name)
                    return
            else:
                assert process is None or process.poll() is None, self.log(name)
                if condition == "service_started" or self.healthcheck(name):
                    return
            assert time.monotonic() < deadline, f"{name}: {self.log(name)}"
            time.sleep(0.3)

    def log(self, name: str) -> str:
        path = self.work / f"{name}.log"
        return path.read_text()[-3000:] if path.exists() else ""

    def up(self) -> None:
        """Start wave after wave; a wave starts once its conditions hold."""
        for wave in start_order(self.services):
            for name in wave:
                for dependency, condition in dependencies(self.services[name]).items():
                    self.wait_for(dependency, condition)
                self.start(name)
            self.started.append(wave)
        self.wait_for("nginx", "service_healthy")

    def stop(self) -> None:
        for process in reversed(self.processes.values()):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.contextmanager
def cluster_of(services, work, *, pool_size=None):
    cluster = Cluster(services, work, pool_size=pool_size)
    try:
        cluster.up()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def site_key(settings):
    # The trial key of env.example signs the links; the test signs with it too.
    settings.SECRET_KEY = env_example()["SECRET_KEY"]


def test_compose_start_order_gates_the_site_on_migrate_and_pgbouncer():
    services = compose()["services"]

    assert start_order(services) == [
        ["db", "redis"],
        ["pgbouncer"],
        ["migrate"],
        ["scheduler", "web1", "web2", "worker"],
        ["nginx"],
    ]
    for name in ("web1", "web2", "worker", "scheduler"):
        assert dependencies(services[name]) == {
            "migrate": "service_completed_successfully",
            "pgbouncer": "service_healthy",
            "redis": "service_healthy",
        }, name
    assert dependencies(services["migrate"]) == {"pgbouncer": "service_healthy"}
    assert dependencies(services["pgbouncer"]) == {"db": "service_healthy"}


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_compose_services_run_in_order_outside_containers(tmp_path, clock, site_key):
    with cluster_of(compose()["services"], tmp_path) as cluster:
        base = f"http://127.0.0.1:{cluster.ports['nginx']}"
        health = get(base + "/healthz")
        published = Event.objects.filter(is_published=True, edition__year=2023)
        title = published.order_by("start").first().title
        schedule = get(base + "/schedule/")
        # pgbouncer stops: the site, which reaches PostgreSQL only through it,
        # says the database is gone.
        cluster.processes["pgbouncer"].terminate()
        cluster.processes["pgbouncer"].wait(timeout=20)
        without_pgbouncer = get(base + "/healthz")[0]
        migrate_status = cluster.processes["migrate"].returncode

    assert cluster.started == start_order(compose()["services"])
    assert migrate_status == 0
    # migrate copied the image's static files for nginx and loaded the edition.
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert Edition.objects.filter(year=2023).count() == 1
    assert health[0] == 200
    assert (schedule[0], title in schedule[1]) == (200, True)
    assert without_pgbouncer == 503


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_four_masters_and_two_workers_share_a_small_pgbouncer_pool(
    tmp_path, clock, site_key
):
    services = compose()["services"]
    # Scaled as a busy host would run it: four masters, two task workers.
    for extra in ("web3", "web4"):
        services[extra] = services["web1"]
        services["nginx"]["depends_on"][extra] = {"condition": "service_healthy"}
    services["worker2"] = services["worker"]
    pool_size = 4
    seats, people = 60, 200
    # This test's own connections, open before the cluster's.
    own = backends(connection.settings_dict["NAME"])

    with cluster_of(services, tmp_path, pool_size=pool_size) as cluster:
        edition = Edition.objects.get(year=2023)
        hall = EventFactory(
            edition=edition,
            slug="sizing-hall",
            title="Зал расчёта",
            in_person=True,
            takes_registrations=True,
            seats=seats,
            keeps_waiting_list=True,
            start=moscow(2023, 11, 10, 10),
            end=moscow(2023, 11, 10, 18),
            registration_opens=moscow(2023, 10, 16, 10),
            registration_closes=moscow(2023, 11, 9, 18),
        )
        registrations = RegistrationFactory.create_batch(people, event=hall)
        base = f"http://127.0.0.1:{cluster.ports['nginx']}"
        urls = [
            base + urllib.parse.urlsplit(links.confirm_url(person)).path
            for person in registrations
        ]
        with (
            server_connections(cluster.database, own) as peak,
            ThreadPoolExecutor(16) as pool,
        ):
            answers = list(pool.map(confirm, urls))
        sent = wait_for_letters(cluster.mail_dir, people)
        logs = "".join(cluster.log(name) for name in cluster.processes)
    # Each process of the site holds a connection of its own to pgbouncer.
    masters = [name for name in services if name.startswith("web")]
    processes = len(masters) * int(cluster.env["GUNICORN_WORKERS"]) + 3

    assert sorted({status for status, _sent, _answered in answers}) == [200]

    assert Registration.objects.filter(event=hall).confirmed().count() == seats
    assert Registration.objects.filter(event=hall).waiting().count() == people - seats
    assert sorted(to for to, _subject in sent) == sorted(p.email for p in registrations)
    assert (len(masters), processes) == (4, 11)
    assert 1 <= peak[0] <= pool_size
    assert "Traceback" not in logs


def backends(database: str) -> set[int]:
    """The pids of PostgreSQL's client backends on the database."""
    with connection.cursor() as cursor:
        cursor.execute(
            # Client backends only: autovacuum works on the database too.
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = %s AND backend_type = 'client backend'",
            [database],
        )
        return {pid for (pid,) in cursor.fetchall()}


@contextlib.contextmanager
def server_connections(database: str, own: set[int]):
    """Yield [peak]: the most client backends PostgreSQL had for the database,
    leaving out `own`, until the block ends; from pgbouncer, they are its pool."""
    import psycopg

    settings_dict = connection.settings_dict
    peak, done = [0], threading.Event()

    def sample():
        with psycopg.connect(
            host=settings_dict["HOST"] or "127.0.0.1",
            port=settings_dict["PORT"] or 5432,
            user=settings_dict["USER"] or "postgres",
            dbname="postgres",
            autocommit=True,
        ) as probe:
            while not done.is_set():
                pids = probe.execute(
                    "SELECT pid FROM pg_stat_activity"
                    " WHERE datname = %s AND backend_type = 'client backend'",
                    [database],
                ).fetchall()
                peak[0] = max(peak[0], len({pid for (pid,) in pids} - own))
                time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        yield peak
    finally:
        done.set()
        sampler.join()
