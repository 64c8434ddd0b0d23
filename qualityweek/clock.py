"""The site clock: real time, or a configured moment that runs on from there.

`QUALITYWEEK_CLOCK=2023-11-01T10:00+03:00` lets organisers rehearse and demo the 2023
week after it has passed. Everything that asks "what time is it" asks `now()`.

The simulated clock runs from one real moment for the whole cluster: the first
process to read it writes that moment to the database (`ClockAnchor`), and every
process on every host reads it from there, so the order of events across hosts is
their real order. Until the database can tell (before `migrate`), a process runs
from its own start, which forked workers inherit.
"""

import datetime
import logging
import time
from functools import lru_cache

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

logger = logging.getLogger(__name__)

# When this process (or the master it was forked from) first read the clock.
_process_started_at: float | None = None


@lru_cache(maxsize=8)
def _moment(value: str) -> datetime.datetime:
    moment = parse_datetime(value)
    if moment is None:
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError as error:
            raise ValueError(
                f"QUALITYWEEK_CLOCK is not an ISO moment: {value!r}"
            ) from error
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@lru_cache(maxsize=8)
def _anchor(value: str) -> tuple[datetime.datetime, float]:
    """The configured moment and the real time (epoch seconds) it was then."""
    return _moment(value), _shared_start(value) or _process_start()


def _process_start() -> float:
    global _process_started_at
    if _process_started_at is None:
        _process_started_at = time.time()
    return _process_started_at


def _shared_start(value: str) -> float | None:
    """The cluster's anchor of this moment, written by whoever read it first."""
    from .models import ClockAnchor

    try:
        anchor = ClockAnchor.objects.filter(value=value).first()
        if anchor is None and not connection.in_atomic_block:
            # Outside any transaction, so that a rollback cannot take it back.
            anchor, _created = ClockAnchor.objects.get_or_create(
                value=value,
                defaults={
                    "started_at": datetime.datetime.fromtimestamp(
                        _process_start(), tz=datetime.UTC
                    )
                },
            )
    except DatabaseError:  # no table yet: before migrate
        return None
    return anchor.started_at.timestamp() if anchor else None


def simulated_start() -> datetime.datetime | None:
    """The configured moment, or None when the site runs on real time."""
    value = settings.QUALITYWEEK_CLOCK
    if not value:
        return None
    moment = _moment(value)
    _process_start()  # before gunicorn forks: workers inherit it
    return moment


def now() -> datetime.datetime:
    """The current moment for the site (aware, UTC)."""
    value = settings.QUALITYWEEK_CLOCK
    if not value:
        return timezone.now()
    start, anchored_at = _anchor(value)
    elapsed = datetime.timedelta(seconds=time.time() - anchored_at)
    return (start + elapsed).astimezone(datetime.UTC)


def today() -> datetime.date:
    """Today's date in Moscow time, by the site clock."""
    return timezone.localtime(now()).date()


def restart(value: str) -> None:
    """Start the simulated moment afresh, from now, for the whole cluster."""
    from .models import ClockAnchor

    ClockAnchor.objects.update_or_create(
        value=value, defaults={"started_at": timezone.now()}
    )
    _anchor.cache_clear()
