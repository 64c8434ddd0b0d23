import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from qualityweek import scheduler, tasks
from qualityweek.models import PeriodicRun, SentLetter
from tests.factories import moscow
from tests.slow_tasks import write_after

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued_paths() -> list[str]:
    return sorted(DBTaskResult.objects.values_list("task_path", flat=True))


def test_tick_queues_each_due_job_once_however_many_schedulers(queue):
    moment = moscow(2023, 11, 9, 9, 7)

    first = scheduler.tick(moment)  # one host
    second = scheduler.tick(moment)  # another host, the same minute

    # The ground's jobs and those the apps register from ready(), in that order.
    assert first == [
        "purge_personal_data",
        "prune_finished_tasks",
        "clear_expired_sessions",
        "send_reminders",
        "send_online_reminders",
        "expire_sign_ups",
        "purge_unused_selections",
    ]
    assert second == []
    assert queued_paths() == [
        "myweek.tasks.purge_unused_selections",
        "qualityweek.tasks.clear_expired_sessions",
        "qualityweek.tasks.prune_finished_tasks",
        "qualityweek.tasks.purge_personal_data",
        "registrations.tasks.expire_sign_ups",
        "registrations.tasks.send_online_reminders",
        "registrations.tasks.send_reminders",
    ]


def test_register_refuses_a_second_job_under_a_known_name():
    # The name keys the slot each cluster queues once: two jobs under one name
    # would share it, and one of them would never run.
    with pytest.raises(ValueError, match="send_reminders"):
        scheduler.register(
            scheduler.Job("send_reminders", "registrations.tasks.x", {}, at=None)
        )


def test_tick_queues_a_daily_job_from_its_hour_and_again_the_next_day(queue):
    before = scheduler.tick(moscow(2023, 11, 9, 8, 59))
    at_nine = scheduler.tick(moscow(2023, 11, 9, 9, 0))
    later = scheduler.tick(moscow(2023, 11, 9, 18, 0))
    next_day = scheduler.tick(moscow(2023, 11, 10, 9, 30))

    assert "send_reminders" not in before
    assert "send_reminders" in at_nine
    assert "send_reminders" not in later
    assert "send_reminders" in next_day
    assert PeriodicRun.objects.filter(job="send_reminders").count() == 2


def test_clearing_sessions_deletes_the_expired_and_keeps_the_live(settings):
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    expired, live = SessionStore(), SessionStore()
    for session in (expired, live):
        session["registrations.sent_to"] = {"pk": 1}
        session.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )

    tasks.clear_expired_sessions.call()

    assert list(Session.objects.values_list("session_key", flat=True)) == [
        live.session_key
    ]


def test_requeue_puts_back_a_task_left_running_long_ago(queue):
    left = write_after.enqueue("/dev/null", 0).db_result
    DBTaskResult.objects.filter(pk=left.pk).update(
        status="RUNNING", started_at=timezone.now() - datetime.timedelta(hours=1)
    )
    busy = write_after.enqueue("/dev/null", 0).db_result
    DBTaskResult.objects.filter(pk=busy.pk).update(
        status="RUNNING", started_at=timezone.now()
    )

    assert tasks.requeue_abandoned_tasks.call() == 1
    assert DBTaskResult.objects.get(pk=left.pk).status == "READY"
    assert DBTaskResult.objects.get(pk=busy.pk).status == "RUNNING"


def test_pruning_forgets_finished_tasks_slots_and_letter_keys_past_two_weeks(queue):
    def finished(status, days_ago):
        result = write_after.enqueue("/dev/null", 0).db_result
        DBTaskResult.objects.filter(pk=result.pk).update(
            status=status,
            finished_at=timezone.now() - datetime.timedelta(days=days_ago),
        )
        return result.pk

    old_sent, old_failed = finished("SUCCESSFUL", 15), finished("FAILED", 15)
    recent = finished("SUCCESSFUL", 13)
    waiting = write_after.enqueue("/dev/null", 0).db_result.pk
    old_slot = PeriodicRun.objects.create(job="send_reminders", slot="2023-11-01")
    PeriodicRun.objects.filter(pk=old_slot.pk).update(
        queued_at=timezone.now() - datetime.timedelta(days=15)
    )
    new_slot = PeriodicRun.objects.create(job="send_reminders", slot="2023-11-20")
    SentLetter.objects.create(key="old")
    SentLetter.objects.filter(key="old").update(
        sent_at=timezone.now() - datetime.timedelta(days=15)
    )
    SentLetter.objects.create(key="new")

    assert tasks.prune_finished_tasks.call(older_than_days=14) == 2
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent, waiting}
    assert not DBTaskResult.objects.filter(pk__in=[old_sent, old_failed]).exists()
    assert list(PeriodicRun.objects.all()) == [new_slot]
    assert list(SentLetter.objects.values_list("key", flat=True)) == ["new"]


def rolled_back_transactions() -> int:
    """The test database's count of transactions that ended in an error (or a
    ROLLBACK): PostgreSQL writes an ERROR line to its log for each failed one."""
    with connection.cursor() as cursor:
        # This backend's counts reach the shared statistics when it next idles.
        cursor.execute("SELECT pg_stat_force_next_flush()")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT xact_rollback FROM pg_stat_database "
            "WHERE datname = current_database()"
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_schedulers_sharing_a_slot_cause_no_database_error(queue):
    moment = moscow(2023, 11, 9, 9, 7)
    # The count sees a duplicate-key error, as the old way of claiming made.
    PeriodicRun.objects.create(job="send_reminders", slot="2023-11-08")
    before = rolled_back_transactions()
    with pytest.raises(IntegrityError), transaction.atomic():
        PeriodicRun.objects.create(job="send_reminders", slot="2023-11-08")
    assert rolled_back_transactions() == before + 1
    before += 1

    first = scheduler.tick(moment)  # one host
    second = scheduler.tick(moment)  # another host, the same minute

    # The seven jobs due at 9:07 (test_tick_queues_each_due_job_once… names them).
    assert (len(first), second) == (7, [])
    assert rolled_back_transactions() == before
