"""A task of the tests' own, slow enough to kill a worker in the middle of it."""

import time
from pathlib import Path

from django_tasks import task


@task()
def write_after(path: str, seconds: float) -> None:
    time.sleep(seconds)
    Path(path).write_text("done")
