"""Prometheus metrics at /metrics: what an operator watches on the day.

Two kinds. What a process counts itself (HTTP answers by status, the page
cache's hits and misses, request times) is kept by prometheus_client; with
several gunicorn workers `PROMETHEUS_MULTIPROC_DIR` names an empty directory of
the master, where every worker writes its counts and a scrape of any worker
adds them all up. What the whole cluster shares (sign-ups, seats, the task
queue, letters) is read from the database at each scrape, so every host
answers the same figures: take them from one host (`max` in queries), not the
sum. Features add theirs with `register()` from their AppConfig.ready(), as
they register their personal data.

Only Prometheus may read it: with QUALITYWEEK_METRICS_TOKEN set, a request
that shows it as a bearer token; without, the loopback and the networks of
QUALITYWEEK_TRUSTED_PROXIES (the private network), never a visitor through
nginx. Scrape each gunicorn master on its own address (host:8001, host:8002).
"""

import datetime
import hmac
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from . import client_address, readiness

HTTP_REQUESTS = Counter(
    "qualityweek_http_requests",
    "HTTP answers of the site by status code.",
    ["status"],
)
HTTP_SECONDS = Histogram(
    "qualityweek_http_request_duration_seconds",
    "Time from the request reaching Django to its answer.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
PAGE_CACHE = Counter(
    "qualityweek_page_cache_lookups",
    "Lookups of the programme's page cache (events/caching.py): result is "
    "local (this process's tier), shared (Redis) or miss (rendered).",
    ["result"],
)

# Features' collectors: functions returning metric families, read at each scrape.
_collectors: list[Callable[[], Iterable[GaugeMetricFamily]]] = []


def register(collect: Callable[[], Iterable[GaugeMetricFamily]]) -> None:
    """Add a feature's figures, read from the database at each scrape."""
    if collect not in _collectors:
        _collectors.append(collect)


def gauge(name: str, documentation: str, labels=()) -> GaugeMetricFamily:
    """A metric family for a collector to fill (`.add_metric(labels, value)`)."""
    return GaugeMetricFamily(name, documentation, labels=list(labels) or None)


def count_page_cache(result: str) -> None:
    """One lookup of the page cache: "local", "shared" or "miss"."""
    PAGE_CACHE.labels(result).inc()


class MetricsMiddleware:
    """Count every answer by status, and time it (first in MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        HTTP_SECONDS.observe(time.perf_counter() - started)
        HTTP_REQUESTS.labels(str(response.status_code)).inc()
        return response


class DatabaseCollector:
    """The cluster's figures, from the database, at the moment of the scrape."""

    def collect(self):
        yield from queue_metrics()
        yield from letter_metrics()
        seen = readiness.last_worker_seen()
        worker = gauge(
            "qualityweek_worker_last_seen_seconds",
            "Seconds since a task worker last started or finished a task (-1: never).",
        )
        worker.add_metric([], _age(seen) if seen else -1)
        yield worker
        for collect in _collectors:
            yield from collect()


def _age(moment: datetime.datetime | None) -> float:
    if moment is None:
        return 0.0
    # The queue runs on real time, whatever the site clock says.
    return max((timezone.now() - moment).total_seconds(), 0.0)


def queue_metrics():
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    state = readiness.queue_state()
    ready = gauge(
        "qualityweek_tasks_ready", "Tasks waiting for a worker now (queue length)."
    )
    ready.add_metric([], state.ready)
    yield ready
    oldest = gauge(
        "qualityweek_tasks_oldest_ready_seconds",
        "How long the oldest task ready to run has waited (0: none waits).",
    )
    oldest.add_metric([], _age(state.oldest_ready_since))
    yield oldest
    counts = DBTaskResult.objects.aggregate(
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        failed=Count("pk", filter=Q(status=TaskResultStatus.FAILED)),
        # A letter the mail server did not take now is queued again with a
        # higher attempt (qualityweek.tasks.retry_later).
        retrying=Count(
            "pk",
            filter=Q(status=TaskResultStatus.READY, args_kwargs__kwargs__attempt__gt=1),
        ),
    )
    for name, documentation in (
        ("running", "Tasks a worker is running now."),
        ("failed", "Tasks that raised, kept 14 days (see admin's task results)."),
        ("retrying", "Tasks queued again after a temporary failure (mail)."),
    ):
        family = gauge(f"qualityweek_tasks_{name}", documentation)
        family.add_metric([], counts[name])
        yield family


def letter_metrics():
    from .models import SentLetter

    minute_ago = timezone.now() - datetime.timedelta(minutes=1)
    rows = SentLetter.objects.values("state").annotate(
        total=Count("pk"), last_minute=Count("pk", filter=Q(updated_at__gte=minute_ago))
    )
    by_state = {row["state"]: row for row in rows.order_by()}
    total = gauge(
        "qualityweek_letters",
        "Letters by state, as recorded before sending (kept 14 days): sent, "
        "bounced (refused for good), uncertain (a worker died), attempting.",
        ["state"],
    )
    recent = gauge(
        "qualityweek_letters_last_minute",
        "Letters that reached this state in the last 60 seconds.",
        ["state"],
    )
    for state in SentLetter.State.values:
        row = by_state.get(state, {})
        total.add_metric([state], row.get("total", 0))
        recent.add_metric([state], row.get("last_minute", 0))
    yield total
    yield recent


def is_allowed(request) -> bool:
    """Prometheus's token, or (without one set) a scrape from inside."""
    token = settings.QUALITYWEEK_METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    address = client_address.parse(request.META.get("REMOTE_ADDR", ""))
    if address is None:
        return False
    trusted = client_address.trusted_networks(
        tuple(settings.QUALITYWEEK_TRUSTED_PROXIES)
    )
    return address.is_loopback or any(address in network for network in trusted)


@never_cache
@require_safe
def metrics_view(request):
    if not is_allowed(request):
        return HttpResponse(
            "forbidden\n", status=403, content_type="text/plain; charset=utf-8"
        )
    shared = CollectorRegistry()
    shared.register(DatabaseCollector())
    if settings.PROMETHEUS_MULTIPROC_DIR:
        own = CollectorRegistry()
        multiprocess.MultiProcessCollector(own)
    else:
        own = REGISTRY
    body = generate_latest(own) + generate_latest(shared)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
