"""The site clock: real time, or a configured moment that runs on from there.

`QUALITYWEEK_CLOCK=2023-11-01T10:00+03:00` lets organisers rehearse and demo the 2023
week after it has passed. Everything that asks "what time is it" asks `now()`.
"""

import datetime
import time
from functools import lru_cache

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime


@lru_cache(maxsize=8)
def _anchor(value: str) -> tuple[datetime.datetime, float]:
    """The configured moment and the monotonic time it was first read at."""
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
    return moment, time.monotonic()


def simulated_start() -> datetime.datetime | None:
    """The configured moment, or None when the site runs on real time."""
    value = settings.QUALITYWEEK_CLOCK
    return _anchor(value)[0] if value else None


def now() -> datetime.datetime:
    """The current moment for the site (aware, UTC)."""
    value = settings.QUALITYWEEK_CLOCK
    if not value:
        return timezone.now()
    start, anchored_at = _anchor(value)
    elapsed = datetime.timedelta(seconds=time.monotonic() - anchored_at)
    return (start + elapsed).astimezone(datetime.UTC)


def today() -> datetime.date:
    """Today's date in Moscow time, by the site clock."""
    return timezone.localtime(now()).date()
