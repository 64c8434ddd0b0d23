"""One ID per request, from nginx through the site into the tasks it queues.

nginx names each request (`$request_id`, sent as `X-Request-ID` and written in
its access log); the site keeps that name, or makes one when nothing in front
gave it, answers it in the `X-Request-ID` header (so gunicorn's access log and
the visitor's browser see it too) and puts it on every log line of the request.
A task queued during the request carries it in its row, beside its arguments,
and the worker puts it back while the task runs: one `grep` of the ID finds the
request in nginx's log, gunicorn's, the site's and the worker's.
"""

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
# What a proxy may name a request: nginx's $request_id is 32 hex digits. Anything
# else (a client's own header reaching gunicorn, a line break meant for the
# logs) is replaced by a name of our own.
VALID = re.compile(r"[A-Za-z0-9._-]{8,64}").fullmatch
# Where a task row keeps it, beside django-tasks-db's "args" and "kwargs".
TASK_KEY = "request_id"

current = contextvars.ContextVar("request_id", default="")


def new() -> str:
    return uuid.uuid4().hex


class RequestIDMiddleware:
    """Name the request, for the logs and the tasks it queues, and say the name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request_id = given if VALID(given) else new()
        request.request_id = request_id
        token = current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIDFilter(logging.Filter):
    """Give every log record the ID of the request or task it belongs to ("-")."""

    def filter(self, record):
        record.request_id = current.get() or "-"
        return True


def tag_queued_task(sender, instance, raw=False, **kwargs) -> None:
    """pre_save of a task row: a task queued during a request keeps its ID.

    django-tasks-db reads only "args" and "kwargs" from the row's JSON, so the
    ID beside them changes nothing for the task; every enqueue of every app is
    covered without any of them passing it."""
    request_id = current.get()
    if raw or not request_id or not instance._state.adding:
        return
    if isinstance(instance.args_kwargs, dict):
        instance.args_kwargs = {**instance.args_kwargs, TASK_KEY: request_id}


def task_started(sender, task_result, **kwargs) -> None:
    """In the worker: the task's log lines carry the ID of the request that
    queued it (and the tasks it queues in turn keep it)."""
    db_result = getattr(task_result, "db_result", None)
    if db_result is None:
        return  # a backend that runs the task in the request keeps the request's
    stored = db_result.args_kwargs if isinstance(db_result.args_kwargs, dict) else {}
    request_id = str(stored.get(TASK_KEY, ""))
    current.set(request_id if VALID(request_id) else "")


def task_finished(sender, task_result, **kwargs) -> None:
    # Connected after django-tasks' own receiver, so its "finished" line still
    # carries the ID; the worker's lines between tasks carry none.
    if getattr(task_result, "db_result", None) is not None:
        current.set("")


def connect() -> None:
    """Hook the task queue: from QualityWeekConfig.ready()."""
    from django.db.models.signals import pre_save
    from django_tasks.signals import log_task_started
    from django_tasks.signals import task_finished as finished
    from django_tasks.signals import task_started as started
    from django_tasks_db.models import DBTaskResult

    pre_save.connect(
        tag_queued_task, sender=DBTaskResult, dispatch_uid="request-id-task"
    )
    # Before django-tasks' own "Task … state=RUNNING" line, so that it carries
    # the ID too: receivers run in the order they were connected.
    started.disconnect(log_task_started)
    started.connect(task_started, dispatch_uid="request-id-started")
    started.connect(log_task_started)
    finished.connect(task_finished, dispatch_uid="request-id-finished")
