"""A task of the tests' own, slow enough to kill a worker in the middle of it."""

import time
from pathlib import Path

from django.db import OperationalError
from django_tasks import task


@task()
def write_after(path: str, seconds: float) -> None:
    time.sleep(seconds)
    Path(path).write_text("done")


@task()
def lose_connection() -> None:
    """What a task's query raises when the server has cut its connection."""
    raise OperationalError("terminating connection due to administrator command")


@task()
def fail_with(message: str) -> None:
    raise ValueError(message)
