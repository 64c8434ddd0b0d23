"""Measure the site's main pages under gunicorn with wrk and print a Markdown table.

    make bench                                        # the same as the next line
    .venv/bin/python bench/run.py --duration 10
    .venv/bin/python bench/run.py --reseed --database postgres
    .venv/bin/python bench/run.py --scenario registration-rush --database postgres
    .venv/bin/python bench/run.py --scenario nginx-cache --duration 5
    .venv/bin/python bench/run.py --scenario launch-day --registrations 3000

See bench/README.md for what it measures and how to read the table.
"""

import argparse
import contextlib
import dataclasses
import datetime
import gzip
import http.client
import json
import os
import platform
import re
import secrets
import shlex
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from pathlib import Path

import seed

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
REPORT_LUA = BENCH_DIR / "report.lua"
RUSH_LUA = BENCH_DIR / "rush.lua"
# deploy/loopback.py: the production nginx configuration on loopback ports.
sys.path.insert(0, str(PROJECT_DIR))
from deploy import loopback  # noqa: E402

GUNICORN = Path(sys.executable).parent / "gunicorn"
DATABASE_URLS = {
    "sqlite": seed.DEFAULT_DATABASE_URL,
    "postgres": "postgres://postgres@127.0.0.1:5432/qw_bench",
}
# A moment before the 2023 week, as `make run` uses: the 2023 edition is current.
CLOCK = "2023-11-01T10:00+03:00"
# DEBUG=0 turns on the HTTPS redirect. In production a TLS proxy sends this header
# and SECURE_PROXY_SSL_HEADER trusts it, so the pages answer 200 as they would there.
HEADERS = {"X-Forwarded-Proto": "https"}
# (connections, wrk threads): one visitor at a time, then a crowd.
LOADS = ((1, 1), (16, 2))
PAGES = (
    "/healthz",
    "/",
    "/schedule/",
    "/schedule/2023-11-09/",
    f"/events/{seed.SAMPLE_EVENT_SLUG}/",
    # Not cached and lists every session of the forum: the heaviest event page.
    "/events/forum-world-quality-day-2023/",
    "/calendar.ics",
)
FLOOR = "/healthz"
# The rush gives each connection its own wrk thread, so that each walks its own
# share of the links (see rush.lua).
RUSH_CONNECTIONS = (1, 16)
# wrk stops by itself after this long even if some POST never got an answer.
RUSH_TIME_LIMIT = 600
# Lines in gunicorn.log that a clean run has none of.
LOG_PROBLEMS = re.compile(r"\b(WARNING|ERROR|CRITICAL)\b|Traceback")


@dataclasses.dataclass
class Row:
    """One line of the table: a path under one load, measured or not."""

    path: str
    connections: int
    status: int | None = None
    result: dict | None = None
    note: str = ""

    @property
    def requests_per_second(self) -> float:
        """Completed requests per second of the measurement."""
        if not self.result["duration_us"]:
            return 0.0
        return self.result["requests"] / (self.result["duration_us"] / 1e6)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request_once(base_url: str, path: str, extra=None) -> tuple[int, str]:
    """One GET without following redirects: the status and a short note."""
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", path, headers={**HEADERS, **(extra or {})})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    location = response.getheader("Location")
    note = f"→ {location}" if location else f"{len(body)} bytes"
    return response.status, note


def wait_until_healthy(base_url: str, process: subprocess.Popen, timeout=60) -> None:
    """Return once /healthz answers 200; fail if gunicorn exits or never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(
                f"bench: {Path(process.args[0]).name} exited with "
                f"{process.returncode}; see the logs in {RESULTS_DIR}"
            )
        with contextlib.suppress(OSError):
            if request_once(base_url, FLOOR)[0] == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"bench: /healthz did not answer 200 within {timeout} s")


@contextlib.contextmanager
def serving(process: subprocess.Popen, port: int) -> Iterator[str]:
    """The server's base URL once /healthz answers; the server stops after."""
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_until_healthy(base_url, process)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextlib.contextmanager
def nginx(upstream_url: str) -> Iterator[str]:
    """deploy/nginx.conf on a free loopback port in front of the gunicorn master at
    `upstream_url`, as production runs it; yield its base URL."""
    port = free_port()
    directory = RESULTS_DIR / "nginx"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir()
    (directory / "staticfiles").symlink_to(PROJECT_DIR / "staticfiles")
    upstream_port = int(upstream_url.rsplit(":", 1)[1])
    conf = loopback.nginx_conf(
        directory, listen=port, upstreams=[upstream_port], access_log=False
    )
    command = [loopback.NGINX, "-e", "stderr", "-c", str(conf), "-g", "daemon off;"]
    print(f"bench: starting nginx on 127.0.0.1:{port} ({conf})", flush=True)
    with open(RESULTS_DIR / "nginx.log", "w") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=log, start_new_session=True
        )
        with serving(process, port) as base_url:
            yield base_url


@contextlib.contextmanager
def gunicorn(env: dict, *, workers: int, extra_args: list[str]) -> Iterator[str]:
    """Serve the site on a free loopback port for the block; yield its base URL."""
    port = free_port()
    # Started from the project directory, gunicorn also reads gunicorn.conf.py, the
    # production settings (keep-alive, max_requests, timeouts); the command line
    # overrides workers and bind. The access log (stdout) is discarded.
    command = [
        str(GUNICORN),
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        *extra_args,
        "qualityweek.wsgi",
    ]
    print("bench: starting gunicorn", " ".join(command[1:]), flush=True)
    with open(RESULTS_DIR / "gunicorn.log", "w") as log:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            start_new_session=True,
        )
        with serving(process, port) as base_url:
            yield base_url


def wrk(
    url: str,
    *,
    connections: int,
    threads: int,
    duration: int,
    script: Path = REPORT_LUA,
    log=None,
    gzip: bool = False,
) -> dict:
    """Run wrk against the URL; its report as a dict (times in microseconds)."""
    command = wrk_command(url, connections, threads, duration, script, gzip=gzip)
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"bench: wrk failed for {url}:\n{done.stdout}{done.stderr}")
    return wrk_report(command, done.stdout, log)


def wrk_command(
    url: str,
    connections: int,
    threads: int,
    duration: int,
    script: Path,
    *,
    gzip: bool = False,
) -> list[str]:
    """The wrk command line, with the bench's headers."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s"]
    command += ["--latency", "--timeout", "10s", "-s", str(script)]
    for name, value in {**HEADERS, **(GZIP if gzip else {})}.items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    return command


def wrk_report(command: list[str], output: str, log) -> dict:
    """The BENCH_JSON line of wrk's output as a dict; the output goes to the log."""
    if log:
        log.write(f"$ {shlex.join(command)}\n{output}\n")
    for line in output.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise SystemExit(f"bench: no report from wrk for {command[-1]}:\n{output}")


def measure_paths(base_url: str, paths, options, log) -> list[Row]:
    """Check each path answers 200, warm it up, then measure it under every load."""
    rows = []
    for path in paths:
        status, note = request_once(base_url, path)
        if status != 200:
            print(f"bench: {path} answers {status} ({note}): not measured")
            rows += [
                Row(path, connections, status, note=f"HTTP {status}, not measured")
                for connections, _ in LOADS
            ]
            continue
        url = base_url + path
        if options.warmup:
            # Both workers render and cache the page before the clock starts.
            wrk(url, connections=4, threads=2, duration=options.warmup)
        for connections, threads in LOADS:
            print(f"bench: {path} with {connections} connection(s)…", flush=True)
            result = wrk(
                url,
                connections=connections,
                threads=threads,
                duration=options.duration,
                log=log,
            )
            rows.append(Row(path, connections, status, result))
    return rows


def pages(base_url: str, env: dict, options, log) -> list[Row]:
    """The public pages beside /healthz, the framework's floor."""
    return measure_paths(base_url, options.paths or PAGES, options, log)


def registration_rush(base_url: str, env: dict, options, log) -> list[Row]:
    """Confirm every pending sign-up of the regional day once, under each load."""
    links_file = RESULTS_DIR / "rush-links.txt"
    seed_command = [sys.executable, str(BENCH_DIR / "seed.py")]
    seed_command += ["--database-url", env["DATABASE_URL"]]
    # Django accepts the unmasked secret (32 letters and digits) as the form's token.
    csrf = "".join(
        secrets.choice(string.ascii_letters + string.digits) for _ in range(32)
    )
    gunicorn_log = RESULTS_DIR / "gunicorn.log"
    rows = []
    for connections in RUSH_CONNECTIONS:
        # The links are signed with the server's SECRET_KEY and clock (env).
        rush = [f"--rush={options.registrations}", f"--seats={options.seats}"]
        print(run([*seed_command, *rush, f"--links={links_file}"], env).strip())
        first = links_file.read_text().split("\n", 1)[0]
        # The button page of a link changes nothing: it proves the signature holds.
        status, note = request_once(base_url, first)
        if status != 200:
            raise SystemExit(
                f"bench: the confirmation link answers {status} ({note}), not 200: "
                "do the server and seed.py share SECRET_KEY and QUALITYWEEK_CLOCK?"
            )
        if options.warmup:
            wrk(base_url + first, connections=4, threads=2, duration=options.warmup)
        log_start = gunicorn_log.stat().st_size
        print(f"bench: the rush with {connections} connection(s)…", flush=True)
        result = wrk_rush(base_url, connections, links_file, csrf, log)
        counts = json.loads(run([*seed_command, "--rush-counts"], env))
        with gunicorn_log.open(errors="replace") as server_log:
            server_log.seek(log_start)
            problems = sum(bool(LOG_PROBLEMS.search(line)) for line in server_log)
        result.update(
            counts, registrations=options.registrations, log_problems=problems
        )
        rows.append(Row("POST /registrations/confirm/…", connections, result=result))
    return rows


def wrk_rush(base_url: str, connections: int, links_file: Path, csrf: str, log) -> dict:
    """POST every link once with rush.lua; stop wrk as soon as all are answered."""
    command = wrk_command(base_url, connections, connections, RUSH_TIME_LIMIT, RUSH_LUA)
    command += ["--", str(links_file), str(connections), csrf]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines, finished = [], 0
    try:
        for line in process.stdout:
            lines.append(line)
            if line.startswith("BENCH_THREAD_DONE"):
                finished += 1
                if finished == connections:
                    # wrk runs out its -d otherwise; on SIGINT it reports at once.
                    process.send_signal(signal.SIGINT)
    finally:
        if process.poll() is None and finished < connections:
            process.kill()
        process.wait()
    if process.returncode:
        raise SystemExit(f"bench: wrk failed:\n{''.join(lines)}")
    return wrk_report(command, "".join(lines), log)


@dataclasses.dataclass
class Scenario:
    """What a scenario measures, how its table looks, what load it puts on."""

    measure: Callable[..., list[Row]]
    table: Callable[[list[Row]], str]
    load: Callable[[argparse.Namespace], str]


def pages_load(options) -> str:
    """The load line of the report for the pages."""
    return (
        f"wrk, {options.duration} s per row after {options.warmup} s of warm-up; "
        "1 connection on 1 thread, 16 connections on 2 threads"
    )


def rush_load(options) -> str:
    """The load line of the report for the rush."""
    return (
        f"wrk POSTs each of {options.registrations:,} confirmation links of the "
        f"regional day once ({options.seats:,} seats, waiting list on), after "
        f"{options.warmup} s of GETs of a link's button page; a thread per "
        "connection; each confirmation queues its letter as a task (no worker runs "
        "during the rush)" + (", through nginx" if options.proxy == "nginx" else "")
    )


def server_env(database_url: str, cache_url: str | None, proxy: str) -> dict:
    """Production-like settings for the server: DEBUG off, the bench database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GUNICORN_", "QUALITYWEEK_", "DJANGO_"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        QUALITYWEEK_CLOCK=CLOCK,
        # Letters leave the request as tasks and no worker runs beside the bench,
        # so none is sent; one built anyway would go to the discarded stdout.
        EMAIL_URL="consolemail://",
        PYTHONDONTWRITEBYTECODE="1",
    )
    if proxy == "nginx":
        # nginx sets X-Forwarded-Proto to its own scheme, plain HTTP here: the
        # compose file's trial settings, with no HTTPS redirect.
        env["QUALITYWEEK_SECURE"] = "0"
    env.pop("CACHE_URL", None)
    if cache_url:
        env["CACHE_URL"] = cache_url
    return env


def run(command: list[str], env: dict) -> str:
    """Run a set-up command in the project directory; its output, or exit on error."""
    done = subprocess.run(
        command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"bench: {' '.join(command)} failed:\n{done.stderr}")
    return done.stdout


def machine() -> str:
    """CPU, cores and load, since wrk and gunicorn share them."""
    model = platform.processor() or "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return f"{os.cpu_count()} cores ({model}), load average before the run {load}"


def commit() -> str:
    """The commit measured, marked when the working tree has changes."""
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return f"{head} + uncommitted changes" if changed else head
    return "unknown"


def table(rows: list[Row]) -> str:
    """The Markdown table of the rows, each beside the floor at the same load."""
    floor = {
        row.connections: row.requests_per_second
        for row in rows
        if row.path == FLOOR and row.result
    }
    lines = [
        "| path | connections | requests/s | p50 ms | p99 ms | non-2xx | of floor |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        if not row.result:
            lines.append(
                f"| `{row.path}` | {row.connections} | — | — | — | — | {row.note} |"
            )
            continue
        result = row.result
        share = ""
        if row.connections in floor:
            share = f"{row.requests_per_second / floor[row.connections]:.2f}×"
        non2xx = result["non2xx"]
        socket_errors = sum(
            result[name]
            for name in ("connect_errors", "read_errors", "write_errors", "timeouts")
        )
        if socket_errors:
            non2xx = f"{non2xx} (+{socket_errors} socket errors)"
        lines.append(
            f"| `{row.path}` | {row.connections} | {row.requests_per_second:,.0f} "
            f"| {result['p50_us'] / 1000:.1f} | {result['p99_us'] / 1000:.1f} "
            f"| {non2xx} | {share} |"
        )
    return "\n".join(lines)


def rush_table(rows: list[Row]) -> str:
    """The rush's table: confirmations per second, latency, and the database after."""
    lines = [
        "| connections | confirmations/s | p50 ms | p90 ms | p99 ms | max ms "
        "| non-2xx/3xx | confirmed | waiting | pending | seats taken "
        "| letters queued | check |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: | --- |",
    ]
    for row in rows:
        result = row.result
        lines.append(
            f"| {row.connections} | {row.requests_per_second:,.0f} "
            + "".join(
                f"| {result[name] / 1000:.1f} "
                for name in ("p50_us", "p90_us", "p99_us", "max_us")
            )
            + f"| {result['non2xx']} | {result['confirmed']} / {result['seats']} "
            f"| {result['waiting']} | {result['pending']} | {result['seats_taken']} "
            f"| {result['letters_queued']} "
            f"| {'; '.join(rush_problems(result)) or 'OK'} |"
        )
    return "\n".join(lines)


def rush_problems(result: dict) -> list[str]:
    """What is wrong after a rush: every link answered once, seats exactly full."""
    registrations, seats = result["registrations"], result["seats"]
    problems = []
    if result["requests"] != registrations:
        problems.append(f"{result['requests']} of {registrations} POSTs answered")
    if result["non2xx"] or result["lost"]:
        statuses = ", ".join(f"{n}× {s}" for s, n in result["statuses"].items())
        problems.append(f"answers {statuses}; {result['lost']} lost")
    if result["confirmed"] != min(seats, registrations):
        problems.append(f"{result['confirmed']} confirmed for {seats} seats")
    if result["seats_taken"] != result["confirmed"]:
        problems.append(f"seats_taken {result['seats_taken']}")
    if result["waiting"] != max(registrations - seats, 0) or result["pending"]:
        problems.append(f"{result['waiting']} waiting, {result['pending']} pending")
    if result["letters_queued"] != result["confirmed"] + result["waiting"]:
        problems.append(f"{result['letters_queued']} letters queued")
    if result["waiting_before_last_seat"]:
        problems.append(
            f"{result['waiting_before_last_seat']} on the waiting list stamped "
            "before the last seat"
        )
    if result["log_problems"]:
        problems.append(f"{result['log_problems']} warnings/errors in gunicorn.log")
    return problems


# The cache matrix (issue 12): these pages, for weeks of these many demo events
# (beside the 2023 edition's own), under each cache configuration. Each is asked
# with Accept-Encoding: gzip, as browsers and calendar apps ask.
MATRIX_PAGES = (
    "/healthz",
    "/schedule/",
    "/calendar.ics",
    f"/events/{seed.SAMPLE_EVENT_SLUG}/",
)
MATRIX_SIZES = (60, 500)
MATRIX_REDIS = "redis://127.0.0.1:6379/14"
MATRIX_CONNECTIONS = 16
GZIP = {"Accept-Encoding": "gzip"}


def gzipped_size(base_url: str, path: str) -> int:
    """The body's bytes as sent to a client that takes gzip."""
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", path, headers={**HEADERS, **GZIP})
        return len(connection.getresponse().read())
    finally:
        connection.close()


def cache_matrix(options) -> str:
    """Every page of MATRIX_PAGES at each size under locmem and Redis, one run:
    the table of issue 12 for our side."""
    import redis

    results = {}  # (size, cache, path) -> requests/s
    sizes = {}  # (size, path) -> gzipped bytes
    seeded = {}
    for size in MATRIX_SIZES:
        database_url = f"sqlite:///{RESULTS_DIR / f'bench-{size}.sqlite3'}"
        seed_command = [sys.executable, str(BENCH_DIR / "seed.py")]
        seed_command += ["--database-url", database_url, f"--events={size}"]
        if options.reseed:
            seed_command.append("--reseed")
        env = server_env(database_url, None, "none")
        seeded[size] = run(seed_command, {**env, "DEBUG": "1"}).strip().splitlines()[-1]
        print(seeded[size], flush=True)
        run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        for cache_name, cache_url in (("locmem", None), ("redis", MATRIX_REDIS)):
            if cache_url:
                redis.Redis.from_url(cache_url).flushdb()
            env = server_env(database_url, cache_url, "none")
            with (
                (RESULTS_DIR / "wrk.log").open("a") as log,
                gunicorn(
                    env, workers=options.workers, extra_args=options.gunicorn_arg
                ) as base_url,
            ):
                for path in MATRIX_PAGES:
                    status, note = request_once(base_url, path)
                    if status != 200:
                        raise SystemExit(f"bench: {path} answers {status} ({note})")
                    sizes[size, path] = gzipped_size(base_url, path)
                    url = base_url + path
                    wrk(url, connections=4, threads=2, duration=options.warmup)
                    print(f"bench: {size} events, {cache_name}, {path}…", flush=True)
                    result = wrk(
                        url,
                        connections=MATRIX_CONNECTIONS,
                        threads=2,
                        duration=options.duration,
                        log=log,
                        gzip=True,
                    )
                    if result["non2xx"]:
                        raise SystemExit(f"bench: {path}: {result['non2xx']} non-2xx")
                    row = Row(path, MATRIX_CONNECTIONS, 200, result)
                    results[size, cache_name, path] = row.requests_per_second
    return matrix_table(results, sizes, seeded)


def launch_day(options) -> tuple[str, bool]:
    """The launch day at full size: the cluster test's simulation (nginx, two
    hosts with clocks 5 s apart, two task workers and a scheduler, PostgreSQL),
    `--registrations` people confirming through nginx while a worker is killed
    at 30 %, a web master at 50 % and every database connection cut at 70 %.
    It passes when nothing is lost, no answer is a 500 and every letter goes
    exactly once within two minutes of its cause; the report is pytest's."""
    env = {
        **os.environ,
        "DATABASE_URL": options.database_url or DATABASE_URLS["postgres"],
        "QUALITYWEEK_LAUNCH_DAY_PEOPLE": str(options.registrations),
        "DEBUG": "1",  # the test runner's; the cluster's processes run with DEBUG=0
    }
    # The cluster's hosts run with DEBUG=0: their pages need the manifest.
    run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    command = [sys.executable, "-m", "pytest", "tests/qualityweek/test_cluster.py"]
    command += [
        "-k",
        "launch_day",
        "-m",
        "postgres_only",
        "-q",
        "-rP",  # the passing test's own summary line
        "-p",
        "no:cacheprovider",
        # The processes' logs and letters stay beside the report.
        f"--basetemp={RESULTS_DIR / 'launch-day'}",
    ]
    print("bench: the launch day,", " ".join(command[2:]), flush=True)
    started = time.monotonic()
    done = subprocess.run(
        command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True
    )
    outcome = "passed" if done.returncode == 0 else f"FAILED ({done.returncode})"
    tail = "\n".join(done.stdout.strip().splitlines()[-40:])
    text = (
        f"{options.registrations:,} people, {outcome} in "
        f"{time.monotonic() - started:.0f} s\n\n```\n{tail}\n```"
    )
    return text, done.returncode == 0


def matrix_table(results: dict, sizes: dict, seeded: dict) -> str:
    """Issue 12's table: each page in both caches, beside /healthz."""
    lines = [
        "| page | events | locmem req/s | Redis req/s | Redis / locmem "
        "| locmem / healthz | Redis / healthz | gzipped KB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in MATRIX_SIZES:
        for path in MATRIX_PAGES:
            local, shared = results[size, "locmem", path], results[size, "redis", path]
            floor_local = results[size, "locmem", FLOOR]
            floor_shared = results[size, "redis", FLOOR]
            lines.append(
                f"| `{path}` | {size} | {local:,.0f} | {shared:,.0f} "
                f"| {shared / local:.0%} | {local / floor_local:.0%} "
                f"| {shared / floor_shared:.0%} | {sizes[size, path] / 1024:.1f} |"
            )
    lines.append("")
    lines += [f"- {size} demo events: {seeded[size]}" for size in MATRIX_SIZES]
    return "\n".join(lines)


# The anonymous pages nginx keeps for a second or two (events/caching.py), beside
# a static copy of the schedule that nginx serves as a file (issue 25).
NGINX_PAGES = ("/schedule/", f"/events/{seed.SAMPLE_EVENT_SLUG}/", "/calendar.ics")
NGINX_CONNECTIONS = 16
STATIC_COPY = "/static/bench-copy/schedule.html"
# Every anonymous page through nginx, as a share of the static file's rate.
NGINX_AIM = 0.25


def nginx_cache(base_url: str, env: dict, options, log) -> list[Row]:
    """Each page at 16 connections through nginx (its cache) and straight from
    gunicorn, and the schedule as a static file from nginx, all in one run."""
    copy = PROJECT_DIR / "staticfiles" / STATIC_COPY.removeprefix("/static/")
    copy.parent.mkdir(parents=True, exist_ok=True)
    html = fetch_body(base_url, "/schedule/")
    copy.write_bytes(html)
    # gzip_static: nginx sends the .gz beside it to a client that takes gzip, as
    # the cached page goes out gzipped (compressed once by the site).
    copy.with_name(copy.name + ".gz").write_bytes(gzip.compress(html, 6))
    targets = [("static copy", base_url, STATIC_COPY)]
    for path in NGINX_PAGES:
        targets += [
            ("nginx cache", base_url, path),
            ("gunicorn", options.upstream_url, path),
        ]
    rows = []
    try:
        for served_by, url, path in targets:
            status, _note = request_once(url, path, GZIP)
            if status != 200:
                rows.append(Row(path, NGINX_CONNECTIONS, status, note=f"HTTP {status}"))
                continue
            if options.warmup:
                wrk(url + path, connections=4, threads=2, duration=options.warmup)
            print(f"bench: {path} from the {served_by}…", flush=True)
            result = wrk(
                url + path,
                connections=NGINX_CONNECTIONS,
                threads=2,
                duration=options.duration,
                log=log,
                gzip=True,
            )
            rows.append(Row(path, NGINX_CONNECTIONS, status, result, served_by))
    finally:
        copy.unlink(missing_ok=True)
        copy.with_name(copy.name + ".gz").unlink(missing_ok=True)
    return rows


def fetch_body(base_url: str, path: str) -> bytes:
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", path, headers=HEADERS)
        return connection.getresponse().read()
    finally:
        connection.close()


def nginx_table(rows: list[Row]) -> str:
    """Each row as a share of the static copy's rate, with the aim met or not."""
    static = next(
        (r.requests_per_second for r in rows if r.note == "static copy" and r.result),
        None,
    )
    lines = [
        "| path | served by | requests/s | p50 ms | p99 ms | non-2xx | of static "
        f"| aim ≥{NGINX_AIM:.0%} |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        if not row.result:
            lines.append(f"| `{row.path}` | {row.note} | — | — | — | — | — | |")
            continue
        result = row.result
        share = row.requests_per_second / static if static else 0
        aim = ""
        if row.note == "nginx cache":
            aim = "met" if share >= NGINX_AIM else "**missed**"
        lines.append(
            f"| `{row.path}` | {row.note} | {row.requests_per_second:,.0f} "
            f"| {result['p50_us'] / 1000:.1f} | {result['p99_us'] / 1000:.1f} "
            f"| {result['non2xx']} | {share:.0%} | {aim} |"
        )
    return "\n".join(lines)


def nginx_load(options) -> str:
    return (
        f"wrk, {NGINX_CONNECTIONS} connections on 2 threads, {options.duration} s "
        f"per row after {options.warmup} s of warm-up, Accept-Encoding: gzip; "
        "nginx (deploy/nginx.conf, its page cache) in front of the same gunicorn "
        "that the gunicorn rows ask directly; the static copy is the schedule's "
        "HTML, gzipped, as a file nginx serves"
    )


SCENARIOS: dict[str, Scenario] = {
    "pages": Scenario(pages, table, pages_load),
    "registration-rush": Scenario(registration_rush, rush_table, rush_load),
    "nginx-cache": Scenario(nginx_cache, nginx_table, nginx_load),
}


def as_json(row: Row) -> dict:
    """The row for latest.json, with its requests per second."""
    data = dataclasses.asdict(row)
    if row.result:
        data["requests_per_second"] = round(row.requests_per_second, 1)
    return data


def parse_args() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        description="Measure the site under gunicorn with wrk (see bench/README.md)."
    )
    parser.add_argument(
        "--duration", type=int, default=10, help="seconds per measurement (10)"
    )
    parser.add_argument(
        "--warmup", type=int, default=2, help="seconds of warm-up per path (2)"
    )
    parser.add_argument(
        "--scenario",
        choices=[*sorted(SCENARIOS), "cache-matrix", "launch-day"],
        default="pages",
        help="(pages)",
    )
    parser.add_argument(
        "--database", choices=sorted(DATABASE_URLS), default="sqlite", help="(sqlite)"
    )
    parser.add_argument(
        "--database-url", help="overrides --database; never the site's own database"
    )
    parser.add_argument(
        "--reseed", action="store_true", help="drop the bench database and seed again"
    )
    parser.add_argument("--paths", nargs="+", help="measure these paths instead")
    parser.add_argument(
        "--registrations",
        type=int,
        default=seed.RUSH_REGISTRATIONS,
        help="pending sign-ups the rush confirms (%(default)s)",
    )
    parser.add_argument(
        "--seats",
        type=int,
        default=seed.RUSH_SEATS,
        help="seats of the regional day in the rush (%(default)s)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument(
        "--proxy",
        choices=("none", "nginx"),
        default="none",
        help="nginx: measure through deploy/nginx.conf in front of gunicorn (none)",
    )
    parser.add_argument(
        "--cache-url", help="CACHE_URL for the server (default: the site's, locmem)"
    )
    parser.add_argument(
        "--gunicorn-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="passed to gunicorn, e.g. --gunicorn-arg=--max-requests=0",
    )
    parser.add_argument(
        "--output", type=Path, default=RESULTS_DIR / "latest.md", help="(%(default)s)"
    )
    return parser.parse_args()


def main() -> None:
    """Seed, serve, measure, report."""
    options = parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("bench: wrk is missing: apt-get install wrk (make bench)")
    if not (PROJECT_DIR / "locale/ru/LC_MESSAGES/django.mo").exists():
        print("bench: warning: no compiled messages; `make bench` compiles them")
    RESULTS_DIR.mkdir(exist_ok=True)
    if options.scenario == "cache-matrix":
        started = datetime.datetime.now().astimezone()
        report = "\n".join(
            [
                f"# Benchmark, {started:%Y-%m-%d %H:%M %Z}",
                "",
                f"- scenario `cache-matrix`, commit {commit()}",
                f"- machine: {machine()}; wrk and gunicorn share these cores",
                f"- server: gunicorn, {options.workers} sync workers, DEBUG=0, "
                f"SQLite; cache locmem (one per worker) or {MATRIX_REDIS} "
                "(with each worker's own tier in front)",
                f"- load: wrk, {MATRIX_CONNECTIONS} connections on 2 threads, "
                f"{options.duration} s per row after {options.warmup} s of warm-up, "
                "Accept-Encoding: gzip",
                "",
                cache_matrix(options),
                "",
            ]
        )
        print()
        print(report)
        options.output.write_text(report)
        print(f"bench: written to {options.output}")
        return
    if options.scenario == "nginx-cache":
        options.proxy = "nginx"  # the scenario is nginx's
    if options.scenario == "launch-day":
        text, passed = launch_day(options)
        report = f"# The launch day, commit {commit()}\n\n{text}\n"
        print(report)
        options.output.write_text(report)
        if not passed:
            raise SystemExit(1)
        return
    database_url = options.database_url or DATABASE_URLS[options.database]
    env = server_env(database_url, options.cache_url, options.proxy)

    seed_command = [sys.executable, str(BENCH_DIR / "seed.py")]
    seed_command += ["--database-url", database_url]
    if options.reseed:
        seed_command.append("--reseed")
    seeded = run(seed_command, {**env, "DEBUG": "1"}).strip().splitlines()[-1]
    print(seeded, flush=True)
    # Manifest storage needs collected files once DEBUG is off.
    run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)

    started = datetime.datetime.now().astimezone()
    machine_before = machine()
    raw_log = RESULTS_DIR / "wrk.log"
    with (
        raw_log.open("w") as log,
        gunicorn(
            env, workers=options.workers, extra_args=options.gunicorn_arg
        ) as gunicorn_url,
        nginx(gunicorn_url)
        if options.proxy == "nginx"
        else nullcontext(gunicorn_url) as base_url,
    ):
        scenario = SCENARIOS[options.scenario]
        options.upstream_url = gunicorn_url
        rows = scenario.measure(base_url, env, options, log)

    database = seed.database_kind(database_url)
    report = "\n".join(
        [
            f"# Benchmark, {started:%Y-%m-%d %H:%M %Z}",
            "",
            f"- scenario `{options.scenario}`, commit {commit()}",
            f"- machine: {machine_before}; wrk and gunicorn share these cores",
            f"- server: gunicorn, {options.workers} sync workers, DEBUG=0, "
            f"{database} ({seeded.removeprefix('bench: ')}), "
            f"cache {options.cache_url or 'locmem (one per worker)'}"
            + (", behind nginx (deploy/nginx.conf)" if options.proxy == "nginx" else "")
            + (f", {' '.join(options.gunicorn_arg)}" if options.gunicorn_arg else ""),
            f"- load: {scenario.load(options)}",
            "",
            scenario.table(rows),
            "",
        ]
    )
    print()
    print(report)
    options.output.write_text(report)
    options.output.with_suffix(".json").write_text(
        json.dumps([as_json(row) for row in rows], indent=2) + "\n"
    )
    print(f"bench: written to {options.output} (wrk's own output: {raw_log})")


if __name__ == "__main__":
    main()
