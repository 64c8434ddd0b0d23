"""The calendar rule of the week: Quality Day is the second Thursday of November."""

import datetime
from dataclasses import dataclass

THURSDAY = 3


@dataclass(frozen=True)
class WeekDates:
    first_day: datetime.date
    quality_day: datetime.date
    last_day: datetime.date

    def days(self) -> list[datetime.date]:
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + datetime.timedelta(days=n) for n in range(count)]


def quality_day(year: int) -> datetime.date:
    """The second Thursday of November of the year."""
    first = datetime.date(year, 11, 1)
    first_thursday = first + datetime.timedelta(days=(THURSDAY - first.weekday()) % 7)
    return first_thursday + datetime.timedelta(days=7)


def quality_week(year: int) -> WeekDates:
    """Monday to Sunday around Quality Day: the second week of November."""
    day = quality_day(year)
    monday = day - datetime.timedelta(days=day.weekday())
    return WeekDates(monday, day, monday + datetime.timedelta(days=6))
