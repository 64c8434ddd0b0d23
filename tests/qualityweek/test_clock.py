import datetime

import pytest
from django.utils import timezone

from qualityweek import clock as site_clock


def test_clock_setting_moves_the_site_to_that_moment_and_runs_on(clock):
    clock("2023-11-01T10:00+03:00")

    now = site_clock.now()

    expected = datetime.datetime(2023, 11, 1, 7, 0, tzinfo=datetime.UTC)
    assert expected <= now < expected + datetime.timedelta(seconds=5)
    assert site_clock.today() == datetime.date(2023, 11, 1)


def test_clock_without_setting_is_real_time(settings):
    settings.QUALITYWEEK_CLOCK = ""

    assert abs(site_clock.now() - timezone.now()) < datetime.timedelta(seconds=1)


def test_today_is_the_moscow_date(clock):
    clock("2023-11-08T22:30:00+00:00")  # already 9 November in Moscow

    assert site_clock.today() == datetime.date(2023, 11, 9)


def test_mistyped_clock_setting_fails_the_system_check(settings):
    from qualityweek.checks import check_clock

    settings.QUALITYWEEK_CLOCK = "1 November 2023"

    errors = check_clock()

    assert [error.id for error in errors] == ["qualityweek.E001"]


FORKED_WORKERS = """
import os, time
import django
django.setup()
from django.utils import timezone
from qualityweek import clock

def worker():
    offset = (clock.now() - timezone.now()).total_seconds()
    print(f"{offset:.3f}", flush=True)
    os._exit(0)

for pause in (0, 1):  # gunicorn forks (and recycles) workers at different times
    time.sleep(pause)
    if os.fork() == 0:
        worker()
    os.wait()
"""


def test_simulated_clock_tells_the_same_time_in_every_forked_worker():
    import os
    import subprocess
    import sys

    from django.conf import settings

    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qualityweek.settings",
        "QUALITYWEEK_CLOCK": "2023-11-01T10:00+03:00",
    }

    result = subprocess.run(
        [sys.executable, "-c", FORKED_WORKERS],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )

    first, second = (float(line) for line in result.stdout.split())
    assert abs(first - second) < 0.2


SEPARATE_HOST = """
import django
django.setup()
from django.utils import timezone
from qualityweek import clock

print(f"{(clock.now() - timezone.now()).total_seconds():.3f}", flush=True)
"""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simulated_clock_tells_the_same_time_in_processes_started_apart():
    """Two hosts' masters start at different times; the database anchors both."""
    import os
    import subprocess
    import sys
    import time

    from django.conf import settings
    from django.db import connection

    from tests.processes import database_url

    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qualityweek.settings",
        "QUALITYWEEK_CLOCK": "2023-11-01T10:00+03:00",
        "DATABASE_URL": database_url(),
    }
    offsets = []
    for pause in (0, 2):
        time.sleep(pause)
        result = subprocess.run(
            [sys.executable, "-c", SEPARATE_HOST],
            cwd=settings.BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
        offsets.append(float(result.stdout))

    assert connection.vendor in ("sqlite", "postgresql")
    assert abs(offsets[0] - offsets[1]) < 0.2
