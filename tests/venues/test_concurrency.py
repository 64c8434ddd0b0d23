"""The same application sent at once many times (a double click, a browser that
posts again) makes one row, on SQLite and on PostgreSQL."""

import threading
import uuid

import pytest
from django.db import connections

from tests.venues.test_services import data
from venues import services
from venues.models import VenueApplication

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLICKS = 8


@pytest.fixture(autouse=True)
def _letters_queued_not_sent(settings, _tasks_run_on_commit):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }


def test_submit_at_once_with_one_key_stores_one_application(open_call):
    key = uuid.uuid4()
    barrier = threading.Barrier(CLICKS)
    stored, errors = [], []

    def click():
        try:
            barrier.wait()
            stored.append(
                services.submit(open_call.edition, data(), language="ru", key=key).pk
            )
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click) for _ in range(CLICKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert stored == [VenueApplication.objects.get().pk] * CLICKS
