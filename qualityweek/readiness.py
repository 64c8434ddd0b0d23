"""Readiness (/readyz): whether the site does all it promises, letters included.

`/healthz` says whether this process can serve pages (its database answers):
a load balancer takes a host out on that. `/readyz` also watches the task
queue that every host shares: it fails (503) when a task ready to run has
waited longer than QUALITYWEEK_READY_MAX_TASK_AGE, or when tasks wait and no
worker has been seen for QUALITYWEEK_READY_WORKER_SECONDS. Then letters are
not leaving: monitors page the operator, who starts or fixes the workers.
Since the queue is the cluster's, every host fails it together: it is no
reason to send traffic elsewhere.
"""

import dataclasses
import datetime

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, DateTimeField, Max, Min, Q
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

# A worker asks for tasks every second (db_worker's --interval): a task that has
# waited less than this may simply not have been asked for yet.
PICK_UP_GRACE = datetime.timedelta(seconds=10)
# opsb's per-worker heartbeat (task recovery, issue 25), when it exists.
HEARTBEAT_MODEL = ("qualityweek", "WorkerHeartbeat")


@dataclasses.dataclass
class QueueState:
    ready: int  # tasks that may run now
    oldest_ready_since: datetime.datetime | None  # since when the oldest may


def queue_state() -> QueueState:
    """The ready tasks, and since when the oldest of them has been ready: from
    its queuing, or from the moment it was deferred to (a retry's pause)."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    never = get_date_max()  # django-tasks-db's "run_after" of a task not deferred
    figures = DBTaskResult.objects.ready().aggregate(
        count=Count("pk"),
        queued=Min("enqueued_at", filter=Q(run_after=never)),
        deferred=Min("run_after", filter=~Q(run_after=never)),
    )
    moments = [figures[name] for name in ("queued", "deferred") if figures[name]]
    return QueueState(figures["count"], min(moments) if moments else None)


def last_worker_seen() -> datetime.datetime | None:
    """When a task worker last showed it was alive: the newest start or finish
    of a task in the queue, or of a worker's heartbeat once that model exists."""
    from django_tasks_db.models import DBTaskResult

    tasks = DBTaskResult.objects.aggregate(
        started=Max("started_at"), finished=Max("finished_at")
    )
    moments = [tasks["started"], tasks["finished"], *_heartbeats()]
    moments = [moment for moment in moments if moment is not None]
    return max(moments) if moments else None


def _heartbeats() -> list[datetime.datetime | None]:
    """The newest value of each date-time field of the heartbeat model, if any."""
    try:
        model = apps.get_model(*HEARTBEAT_MODEL)
    except LookupError:
        return []
    fields = [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, DateTimeField)
    ]
    if not fields:
        return []
    newest = model.objects.aggregate(**{name: Max(name) for name in fields})
    return list(newest.values())


def workers_beating(seconds: float) -> bool | None:
    """Whether a worker's heartbeat came within `seconds`, by the database's
    clock (hosts' clocks may differ); None where no worker has ever beaten (a
    plain db_worker), which leaves only the queue to judge by."""
    from django.db.models.functions import Now

    from .models import WorkerHeartbeat

    if not WorkerHeartbeat.objects.exists():
        return None
    since = Now() - datetime.timedelta(seconds=seconds)
    return WorkerHeartbeat.objects.filter(seen_at__gte=since).exists()


def problems(now: datetime.datetime | None = None) -> list[str]:
    """Why the cluster is not ready; empty when it is. Real time: the queue
    runs on it, whatever the site clock says."""
    now = now or timezone.now()
    found = []
    state = queue_state()
    waited = (
        now - state.oldest_ready_since
        if state.oldest_ready_since
        else datetime.timedelta(0)
    )
    max_age = settings.QUALITYWEEK_READY_MAX_TASK_AGE
    if waited.total_seconds() > max_age:
        found.append(
            f"queue: the oldest ready task has waited {waited.total_seconds():.0f} s"
            f" (limit {max_age:g} s)"
        )
    worker_limit = settings.QUALITYWEEK_READY_WORKER_SECONDS
    grace = min(PICK_UP_GRACE, datetime.timedelta(seconds=worker_limit))
    beating = workers_beating(worker_limit)
    if beating is False:
        # Workers that beat (run_worker) beat while idle too: none beating
        # within the limit means none is alive, queue or no queue.
        found.append(f"worker: no heartbeat within {worker_limit:g} s")
    elif beating is None and state.ready and waited > grace:
        seen = last_worker_seen()
        if seen is None:
            found.append("worker: none seen")
        elif (now - seen).total_seconds() > worker_limit:
            found.append(
                f"worker: last seen {(now - seen).total_seconds():.0f} s ago"
                f" (limit {worker_limit:g} s)"
            )
    return found


@never_cache
@require_safe
def readyz(request):
    """200 while the database answers and the task queue moves, else 503; the
    body names each problem."""
    try:
        found = problems()
    except DatabaseError:
        found = ["database: unavailable"]
    body = "".join(f"{line}\n" for line in found) if found else "ready\n"
    return HttpResponse(
        body,
        status=503 if found else 200,
        content_type="text/plain; charset=utf-8",
    )
