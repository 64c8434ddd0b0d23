"""The tests' task queue: a task runs when its transaction commits.

That is what a worker does a moment later in production, so tests that capture
on_commit callbacks see the letters, and a rolled-back change sends none. A
task queued to run later (a retry) is kept in `deferred` for the test to see.
"""

from django.db import transaction
from django_tasks.backends.immediate import ImmediateBackend

deferred = []


class OnCommitBackend(ImmediateBackend):
    supports_defer = True

    def enqueue(self, task, args, kwargs):
        if task.run_after is not None:
            deferred.append((task, args, kwargs))
            return None
        transaction.on_commit(
            lambda: ImmediateBackend.enqueue(self, task, args, kwargs)
        )
        return None
