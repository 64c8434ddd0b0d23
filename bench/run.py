"""Measure the site's main pages under gunicorn with wrk and print a Markdown table.

    make bench                                        # the same as the next line
    .venv/bin/python bench/run.py --duration 10
    .venv/bin/python bench/run.py --reseed --database postgres

See bench/README.md for what it measures and how to read the table.
"""

import argparse
import contextlib
import dataclasses
import datetime
import http.client
import json
import os
import platform
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import seed

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
REPORT_LUA = BENCH_DIR / "report.lua"
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
        return self.result["requests"] / (self.result["duration_us"] / 1e6)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request_once(base_url: str, path: str) -> tuple[int, str]:
    """One GET without following redirects: the status and a short note."""
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", path, headers=HEADERS)
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
                f"bench: gunicorn exited with {process.returncode}; "
                f"see {RESULTS_DIR / 'gunicorn.log'}"
            )
        with contextlib.suppress(OSError):
            if request_once(base_url, FLOOR)[0] == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"bench: /healthz did not answer 200 within {timeout} s")


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


def wrk(
    url: str,
    *,
    connections: int,
    threads: int,
    duration: int,
    script: Path = REPORT_LUA,
    log=None,
) -> dict:
    """Run wrk against the URL; its report as a dict (times in microseconds)."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s"]
    command += ["--latency", "--timeout", "10s", "-s", str(script)]
    for name, value in HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"bench: wrk failed for {url}:\n{done.stdout}{done.stderr}")
    output = done.stdout
    if log:
        log.write(f"$ {shlex.join(command)}\n{output}\n")
    for line in output.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise SystemExit(f"bench: no report from wrk for {url}:\n{output}")


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


def pages(base_url: str, options, log) -> list[Row]:
    """The public pages beside /healthz, the framework's floor."""
    return measure_paths(base_url, options.paths or PAGES, options, log)


# The registration rush of issue 4 goes here once the registrations app has its
# URLs: seed.py gains an event taking registrations and N pending sign-ups, a copy
# of report.lua gains a request() that POSTs one confirmation per sign-up, and this
# function calls wrk(…, script=…) and returns Rows (confirmations/s, p99).
def registration_rush(base_url: str, options, log) -> list[Row]:
    """Confirmations per second on PostgreSQL (issue 4): not built yet."""
    raise SystemExit(
        "bench: the registration rush waits for the registrations app (issue 4)"
    )


SCENARIOS: dict[str, Callable[..., list[Row]]] = {
    "pages": pages,
    "registration-rush": registration_rush,
}


def server_env(database_url: str, cache_url: str | None) -> dict:
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
        PYTHONDONTWRITEBYTECODE="1",
    )
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
        "--scenario", choices=sorted(SCENARIOS), default="pages", help="(pages)"
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
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
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
    database_url = options.database_url or DATABASE_URLS[options.database]
    env = server_env(database_url, options.cache_url)

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
        ) as base_url,
    ):
        rows = SCENARIOS[options.scenario](base_url, options, log)

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
            + (f", {' '.join(options.gunicorn_arg)}" if options.gunicorn_arg else ""),
            f"- load: wrk, {options.duration} s per row after "
            f"{options.warmup} s of warm-up; 1 connection on 1 thread, "
            "16 connections on 2 threads",
            "",
            table(rows),
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
