"""The shipped 2023 edition holds the facts of the organisers' letters (PRODUCT.md)."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.models import Edition, Event, Organiser

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped():
    call_command("loaddata", "quality_week_2023", verbosity=0)
    return Edition.objects.get(year=2023)


def local_dates(event):
    return timezone.localtime(event.start).date(), event.last_day


def test_edition_2023_is_the_week_of_6_to_12_november_with_its_motto(shipped):
    assert (shipped.first_day, shipped.quality_day, shipped.last_day) == (
        datetime.date(2023, 11, 6),
        datetime.date(2023, 11, 9),
        datetime.date(2023, 11, 12),
    )
    assert shipped.motto == "Россия — страна со Знаком качества"
    shipped.full_clean()


def test_forum_runs_7_to_10_november_with_the_awards_inside(shipped):
    forum = Event.objects.get(kind=Event.Kind.FORUM)
    awards = Event.objects.get(kind=Event.Kind.AWARDS)

    assert forum.title == "Международный форум «Всемирный день качества»"
    assert local_dates(forum) == (
        datetime.date(2023, 11, 7),
        datetime.date(2023, 11, 10),
    )
    assert awards.parent == forum
    assert "«Лидер качества»" in awards.title
    assert awards.is_time_confirmed is False  # the letters give no date or time


def test_quality_day_is_9_november(shipped):
    quality_day = Event.objects.get(kind=Event.Kind.QUALITY_DAY)

    assert local_dates(quality_day) == (
        datetime.date(2023, 11, 9),
        datetime.date(2023, 11, 9),
    )


def test_regional_day_is_hybrid_on_10_november_at_vdnkh(shipped):
    regional_day = Event.objects.get(kind=Event.Kind.REGIONAL_DAY)

    assert regional_day.format == Event.Format.HYBRID
    assert regional_day.day == datetime.date(2023, 11, 10)
    assert "ВДНХ" in regional_day.venue.name
    assert "Региональный павильон" in regional_day.venue.name
    assert "«Россия»" in regional_day.venue.name
    assert regional_day.venue.region.code == "77"
    assert regional_day.is_time_confirmed is False  # hours are not in the letters


def test_organisers_are_roskachestvo_with_the_ministry_and_agencies(shipped):
    assert list(Organiser.objects.values_list("short_name", flat=True)) == [
        "Роскачество",
        "Минпромторг России",
        "Росстандарт",
        "Росаккредитация",
    ]


def test_sessions_the_letters_do_not_give_are_marked_demo(shipped):
    factual = {
        Event.Kind.QUALITY_DAY,
        Event.Kind.FORUM,
        Event.Kind.AWARDS,
        Event.Kind.REGIONAL_DAY,
    }

    demo = Event.objects.exclude(kind__in=factual)

    assert demo.count() >= 5
    assert set(demo.values_list("is_demo", flat=True)) == {True}
    assert set(
        Event.objects.filter(kind__in=factual).values_list("is_demo", flat=True)
    ) == {False}


def test_every_shipped_event_validates_inside_the_week(shipped):
    for event in Event.objects.all():
        event.full_clean()


def test_contact_email_is_left_for_organisers_not_invented(shipped):
    assert shipped.contact_email == ""


def test_shipped_texts_say_na_vdnkh_not_v_vdnkh(shipped):
    texts = [
        text
        for event in shipped.events.all()
        for text in (event.summary, event.description, event.online_instructions)
    ]

    assert not [text for text in texts if "в ВДНХ" in text]
    assert any("на ВДНХ" in text for text in texts)


# Nothing the letters do not say (issue 22): phrases that were invented once
# must not come back, in the data or in the templates.
INVENTED = [
    "паспорт",
    "passport",
    "главный вход",
    "main entrance",
    "сотни акций",
    "hundreds of activities",
    "пленарные и отраслевые",
    "plenary and industry",
]


def test_invented_phrases_are_gone_from_the_data_and_the_templates():
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    sources = [root / "fixtures" / "quality_week_2023.json"]
    sources += sorted((root / "templates").rglob("*.html"))
    sources += sorted((root / "templates").rglob("*.txt"))

    found = [
        (source.relative_to(root).as_posix(), phrase)
        for source in sources
        for phrase in INVENTED
        if phrase in source.read_text(encoding="utf-8").casefold()
    ]

    assert found == []


def test_only_the_regional_day_is_hybrid_and_nothing_promises_a_broadcast(
    shipped, client
):
    formats = dict(Event.objects.filter(is_demo=False).values_list("kind", "format"))

    assert formats == {
        Event.Kind.QUALITY_DAY: Event.Format.TO_BE_ANNOUNCED,
        Event.Kind.FORUM: Event.Format.TO_BE_ANNOUNCED,
        Event.Kind.AWARDS: Event.Format.TO_BE_ANNOUNCED,
        Event.Kind.REGIONAL_DAY: Event.Format.HYBRID,
    }
    for slug in ("quality-day-2023", "forum-world-quality-day-2023"):
        page = client.get(f"/events/{slug}/").content.decode()
        assert "Ссылка на трансляцию появится здесь" not in page


def test_the_ministries_are_the_forums_co_organisers_not_quality_days(shipped):
    def organisers(kind):
        event = Event.objects.get(kind=kind)
        return list(event.organisers.values_list("short_name", flat=True))

    assert organisers(Event.Kind.QUALITY_DAY) == ["Роскачество"]
    assert organisers(Event.Kind.FORUM) == [
        "Роскачество",
        "Минпромторг России",
        "Росстандарт",
        "Росаккредитация",
    ]


def test_the_regional_days_date_is_certain_its_hours_are_not(shipped):
    regional_day = Event.objects.get(kind=Event.Kind.REGIONAL_DAY)
    awards = Event.objects.get(kind=Event.Kind.AWARDS)

    assert (regional_day.is_date_confirmed, regional_day.is_time_confirmed) == (
        True,
        False,
    )
    assert awards.is_date_confirmed is False  # «в рамках форума», no day given


def test_the_way_in_at_vdnkh_says_only_what_the_letters_say(shipped):
    regional_day = Event.objects.get(kind=Event.Kind.REGIONAL_DAY)

    assert regional_day.venue.directions == (
        "Региональный павильон Международной выставки-форума «Россия» на ВДНХ. "
        "Вход — только по предварительной регистрации."
    )


def test_kirov_has_joined_and_moscow_hosting_the_forum_does_not_count(shipped):
    from events.models import Region

    taking_part = list(
        Region.objects.taking_part(shipped).values_list("code", flat=True)
    )

    assert taking_part == ["43"]
    assert "Кировской области" in shipped.regional_participations.get().source


def test_home_page_introduction_is_the_editions_in_both_languages(shipped, client):
    russian = client.get("/").content.decode()
    english = client.get("/en/").content.decode()

    assert shipped.lead in russian
    assert shipped.lead_en in english


def test_what_companies_are_invited_to_do_is_the_editions_in_both_languages(
    shipped, client
):
    russian = client.get("/").content.decode()
    english = client.get("/en/").content.decode()

    assert list(shipped.ideas.values_list("title", flat=True)) == [
        "Дни открытых дверей и экскурсии",
        "Предложения для покупателей",
        "Внутренние конкурсы «Лидер качества»",
        "Символика Дня качества",
    ]
    assert "Объявите день открытых дверей и экскурсии" in russian
    assert "Announce open days and excursions to your factory or office." in english
