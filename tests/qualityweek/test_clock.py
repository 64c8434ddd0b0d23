import datetime

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
