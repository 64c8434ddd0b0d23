"""Periodic jobs, each queued once per cluster whatever the number of schedulers.

Every host may run `manage.py run_scheduler`. On each tick it works out the slot
each job is due in (today's date for a daily job past its hour, the quarter of
an hour for a frequent one) and adds a `PeriodicRun` row for it; the database's
unique constraint lets one scheduler win, and that one queues the job's task in
the same transaction. Jobs are idempotent, so a slot run twice harms nothing.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from . import personal_data
from .models import PeriodicRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # the dotted path of a task
    kwargs: dict
    at: datetime.time | None = None  # daily, from this Moscow time on
    every_minutes: int | None = None  # or every so many minutes

    def slot(self, moment: datetime.datetime) -> str | None:
        """The slot due at this moment, or None before a daily job's hour."""
        local = timezone.localtime(moment)
        if self.every_minutes:
            minutes = local.hour * 60 + local.minute
            start = minutes - minutes % self.every_minutes
            return f"{local.date().isoformat()}T{start // 60:02d}:{start % 60:02d}"
        if local.time() < self.at:
            return None
        return local.date().isoformat()


# The ground's own jobs; each app registers its own from its AppConfig.ready().
JOBS = [
    Job(
        "purge_personal_data",
        "qualityweek.tasks.purge_personal_data",
        {"older_than_days": personal_data.PURGE_AFTER_DAYS},
        at=datetime.time(3, 30),
    ),
    Job(
        "prune_finished_tasks",
        "qualityweek.tasks.prune_finished_tasks",
        {"older_than_days": 14},
        at=datetime.time(4, 0),
    ),
    Job(
        "clear_expired_sessions",
        "qualityweek.tasks.clear_expired_sessions",
        {},
        at=datetime.time(4, 30),
    ),
    Job(
        "requeue_abandoned_tasks",
        "qualityweek.tasks.requeue_abandoned_tasks",
        {},
        every_minutes=5,
    ),
]


def register(job: Job) -> None:
    """Add an app's periodic job; its name is its slot's key, so one name, one job."""
    if job in JOBS:
        return
    if any(known.name == job.name for known in JOBS):
        raise ValueError(f"A periodic job named {job.name!r} is registered already.")
    JOBS.append(job)


def tick(moment: datetime.datetime | None = None) -> list[str]:
    """Queue every job whose slot is due and not yet taken; the names queued."""
    # Real time: cron's hours are the organisers' real hours, not a rehearsal's.
    moment = moment or timezone.now()
    queued = []
    for job in JOBS:
        slot = job.slot(moment)
        if slot is None:
            continue
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(job=job.name, slot=slot)
                import_string(job.task).enqueue(**job.kwargs)
        except IntegrityError:
            continue  # another scheduler has it
        logger.info("Scheduler: %s queued for %s", job.name, slot)
        queued.append(job.name)
    return queued
