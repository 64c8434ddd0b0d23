import datetime

import pytest

from events.dates import quality_day, quality_week


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2023, datetime.date(2023, 11, 9)),
        (2024, datetime.date(2024, 11, 14)),
        (2025, datetime.date(2025, 11, 13)),
        (2029, datetime.date(2029, 11, 8)),  # 1 November is itself a Thursday
        (2030, datetime.date(2030, 11, 14)),  # 1 November is a Friday
    ],
)
def test_quality_day_is_second_thursday_of_november(year, expected):
    assert quality_day(year) == expected
    assert expected.weekday() == 3


def test_quality_week_2023_runs_monday_6_to_sunday_12_november():
    week = quality_week(2023)

    assert (week.first_day, week.quality_day, week.last_day) == (
        datetime.date(2023, 11, 6),
        datetime.date(2023, 11, 9),
        datetime.date(2023, 11, 12),
    )
    assert len(week.days()) == 7
