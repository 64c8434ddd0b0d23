import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from events.models import Edition, Event
from tests.factories import EditionFactory, EventFactory, moscow

pytestmark = pytest.mark.django_db


def test_edition_clean_with_wrong_quality_day_names_the_right_one():
    edition = EditionFactory.build(year=2023, quality_day=datetime.date(2023, 11, 10))

    with pytest.raises(ValidationError) as error:
        edition.full_clean()

    assert "2023-11-09" in str(error.value.message_dict["quality_day"])


def test_edition_clean_with_week_not_around_quality_day_fails():
    edition = EditionFactory.build(
        year=2024,
        first_day=datetime.date(2024, 11, 4),
        last_day=datetime.date(2024, 11, 10),
    )

    with pytest.raises(ValidationError) as error:
        edition.full_clean()

    assert set(error.value.message_dict) == {"first_day", "last_day"}


def test_edition_for_any_year_from_the_rule_validates():
    EditionFactory.build(year=2031).full_clean()


def test_edition_database_rejects_quality_day_outside_the_week():
    with pytest.raises(IntegrityError), transaction.atomic():
        EditionFactory(year=2023, quality_day=datetime.date(2023, 11, 20))


@pytest.mark.postgres
def test_event_database_rejects_end_before_start(edition_2023):
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(
            edition=edition_2023,
            start=moscow(2023, 11, 9, 12),
            end=moscow(2023, 11, 9, 11),
        )


def test_event_clean_outside_the_week_fails(edition_2023):
    event = EventFactory.build(
        edition=edition_2023,
        start=moscow(2023, 11, 13, 10),
        end=moscow(2023, 11, 13, 12),
    )

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert "2023-11-06" in str(error.value.message_dict["start"])


def test_event_clean_with_end_before_start_fails(edition_2023):
    event = EventFactory.build(
        edition=edition_2023, start=moscow(2023, 11, 9, 12), end=moscow(2023, 11, 9, 12)
    )

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert list(error.value.message_dict) == ["end"]


def test_event_clean_with_session_of_a_session_fails(edition_2023):
    forum = EventFactory(edition=edition_2023)
    session = EventFactory(edition=edition_2023, parent=forum)
    nested = EventFactory.build(edition=edition_2023, parent=session)

    with pytest.raises(ValidationError) as error:
        nested.full_clean()

    assert list(error.value.message_dict) == ["parent"]


@pytest.mark.postgres
def test_on_day_compares_in_moscow_time_not_utc(edition_2023):
    # 00:30 on 9 November in Moscow is still 8 November in UTC.
    early = EventFactory(edition=edition_2023, start=moscow(2023, 11, 9, 0, 30))
    EventFactory(edition=edition_2023, start=moscow(2023, 11, 8, 23, 30))

    assert list(Event.objects.on_day(datetime.date(2023, 11, 9))) == [early]


@pytest.mark.postgres
def test_during_day_includes_events_running_over_several_days(edition_2023):
    forum = EventFactory(
        edition=edition_2023, start=moscow(2023, 11, 7), end=moscow(2023, 11, 11)
    )
    EventFactory(edition=edition_2023, start=moscow(2023, 11, 6, 10))

    assert list(Event.objects.during_day(datetime.date(2023, 11, 10))) == [forum]
    assert list(Event.objects.during_day(datetime.date(2023, 11, 11))) == []


@pytest.mark.parametrize(
    ("moment", "expected_year"),
    [
        ("2024-11-13T12:00+03:00", 2024),  # during the 2024 week
        ("2024-06-01T12:00+03:00", 2024),  # before it: the next one
        ("2023-11-01T10:00+03:00", 2023),
        ("2026-01-01T12:00+03:00", 2025),  # after all of them: the latest
    ],
)
def test_current_edition_is_running_else_next_else_latest(clock, moment, expected_year):
    for year in (2023, 2024, 2025):
        EditionFactory(year=year)
    clock(moment)

    assert Edition.objects.current().year == expected_year


def test_title_accessor_gives_english_on_english_site_and_falls_back(edition_2023):
    event = EventFactory(
        edition=edition_2023, title="День качества", title_en="Quality Day"
    )
    untranslated = EventFactory(
        edition=edition_2023, title="Только по-русски", title_en=""
    )

    with translation.override("en"):
        assert (event.title_i18n, untranslated.title_i18n) == (
            "Quality Day",
            "Только по-русски",
        )
    with translation.override("ru"):
        assert event.title_i18n == "День качества"


def test_whole_day_event_is_shown_as_dates(edition_2023):
    event = EventFactory(
        edition=edition_2023, start=moscow(2023, 11, 9), end=moscow(2023, 11, 10)
    )

    assert event.spans_whole_days is True
    assert event.is_multi_day is False
    assert event.last_day == datetime.date(2023, 11, 9)
