"""The programme's sources: a kind of thing registered from outside `events`
shows in the schedule, the feed, the search, the home page's counts and the
sitemap, with no change in `events`."""

import dataclasses
import datetime

import pytest

from events import entries, programme
from events.certainty import Certainty
from tests.factories import ActivationFactory, EventFactory, moscow
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@dataclasses.dataclass
class Talk:
    """A row of a kind the programme does not know: no model, no table."""

    pk: int
    title: str
    start: datetime.datetime
    end: datetime.datetime
    host: str
    time_confirmed: bool = True

    def get_absolute_url(self):
        return f"/talks/{self.pk}/"


class TalkSource(entries.Source):
    label = "talks"
    model = Talk

    def __init__(self, talks):
        self.talks = talks

    def kinds(self):
        return [("talk", "Lightning talk")]

    def filtered(self, edition, filters):
        talks = self.talks
        if filters.get("day"):
            talks = [talk for talk in talks if talk.start.date() == filters["day"]]
        if filters.get("format") not in (None, "", "online"):
            talks = []
        return talks

    def entry(self, talk):
        return entries.Entry(
            source=self.label,
            uid=f"talk-{talk.pk}@example.org",
            title=talk.title,
            url=talk.get_absolute_url(),
            start=talk.start,
            end=talk.end,
            whole_day=False,
            kind="talk",
            kind_label="Lightning talk",
            format="online",
            format_label="Online",
            place="Studio 5",
            certainty=Certainty(time_tba=not talk.time_confirmed),
            summary=talk.host,
            categories=("Lightning talk",),
            sequence=4,
            created=moscow(2023, 10, 1, 12),
            updated=moscow(2023, 10, 2, 12),
            object=talk,
        )

    def texts(self, talk):
        return [talk.title], [], [talk.host]

    def sitemap_items(self):
        return self.talks

    def lastmod(self, talk):
        return moscow(2023, 10, 2, 12)


@pytest.fixture
def talks():
    talks = [
        Talk(
            1,
            "Пять минут о метрологии",
            moscow(2023, 11, 8, 15),
            moscow(2023, 11, 8, 15, 5),
            host="Лаборатория «Эталон»",
        ),
        Talk(
            2,
            "Пять минут о стандартах",
            moscow(2023, 11, 10, 11),
            moscow(2023, 11, 10, 11, 5),
            host="Клуб качества",
            time_confirmed=False,
        ),
    ]
    entries.register(TalkSource(talks))
    yield talks
    entries.unregister("talks")


def test_registered_source_shows_in_the_schedule_in_time_order(
    client, edition_2023, talks
):
    EventFactory(
        edition=edition_2023,
        title="Вебинар о качестве",
        start=moscow(2023, 11, 8, 10),
        end=moscow(2023, 11, 8, 11),
    )

    page = text_of(client.get("/schedule/"))

    assert "3 события" in page
    assert (
        page.index("Вебинар о качестве")
        < page.index("15:00–15:05 Пять минут о метрологии Lightning talk Online")
        < page.index("Пять минут о стандартах")
    )
    assert "Studio 5" in page


def test_registered_source_marks_an_uncertain_time_in_its_row(
    client, edition_2023, talks
):
    page = text_of(client.get("/schedule/2023-11-10/"))

    assert "Пять минут о стандартах Lightning talk Online Время уточняется" in page
    assert "Пять минут о метрологии" not in page


def test_registered_source_adds_its_kind_to_the_filter(client, edition_2023, talks):
    EventFactory(edition=edition_2023, title="Вебинар о качестве")

    response = client.get("/schedule/?kind=talk")

    assert ("talk", "Lightning talk") in response.context["form"].fields["kind"].choices
    assert "Пять минут о метрологии" in text_of(response)
    assert "Вебинар о качестве" not in text_of(response)


def test_an_events_kind_leaves_the_registered_source_out(client, edition_2023, talks):
    EventFactory(edition=edition_2023, title="Вебинар о качестве", kind="session")

    page = text_of(client.get("/schedule/?kind=session"))

    assert "Вебинар о качестве" in page
    assert "Пять минут" not in page


def test_text_search_reads_the_registered_source_texts(client, edition_2023, talks):
    EventFactory(edition=edition_2023, title="Вебинар о качестве")

    page = text_of(client.get("/schedule/?q=стандарт"))

    assert "Пять минут о стандартах" in page
    assert "Пять минут о метрологии" not in page
    assert "Вебинар о качестве" not in page


def test_registered_source_shows_in_the_calendar_feed(client, edition_2023, talks):
    feed = client.get("/calendar.ics").content.decode().replace("\r\n ", "")

    assert "UID:talk-1@example.org" in feed
    assert "SUMMARY:Пять минут о метрологии" in feed
    assert "DTSTART:20231108T120000Z" in feed
    assert "LOCATION:Studio 5" in feed
    assert "CATEGORIES:Lightning talk" in feed
    assert "SEQUENCE:4" in feed
    assert "URL:http://127.0.0.1:8000/talks/1/" in feed
    tentative = feed.split("UID:talk-2@example.org")[1].split("END:VEVENT")[0]
    assert "STATUS:TENTATIVE" in tentative


def test_registered_source_follows_the_feeds_filters(client, edition_2023, talks):
    feed = client.get("/calendar.ics?day=2023-11-10").content.decode()

    assert "UID:talk-2@example.org" in feed
    assert "UID:talk-1@example.org" not in feed


def test_registered_source_shows_in_the_sitemap(client, edition_2023, talks):
    xml = client.get("/sitemap.xml").content.decode()

    assert "<loc>http://testserver/talks/1/</loc>" in xml
    assert "<loc>http://testserver/talks/2/</loc>" in xml


def test_home_page_counts_count_every_source(edition_2023, talks):
    EventFactory(
        edition=edition_2023,
        start=moscow(2023, 11, 8, 10),
        end=moscow(2023, 11, 8, 11),
    )
    ActivationFactory(
        edition=edition_2023,
        first_day=datetime.date(2023, 11, 8),
        last_day=datetime.date(2023, 11, 9),
    )

    counts = programme.entries_by_day(edition_2023)

    assert counts == {
        datetime.date(2023, 11, 8): 3,
        datetime.date(2023, 11, 9): 1,
        datetime.date(2023, 11, 10): 1,
    }


def test_an_unregistered_source_leaves_the_programme(client, edition_2023, talks):
    entries.unregister("talks")

    assert "Пять минут" not in text_of(client.get("/schedule/"))
    assert client.get("/schedule/?kind=talk").context["form"].errors["kind"]


def test_of_a_row_no_source_knows_is_an_error():
    with pytest.raises(LookupError):
        entries.of(object())


def test_of_an_event_is_made_by_the_events_source(edition_2023):
    event = EventFactory(edition=edition_2023, title="Вебинар о качестве")

    entry = entries.of(event)

    assert (entry.source, entry.title, entry.url, entry.object) == (
        "events",
        "Вебинар о качестве",
        event.get_absolute_url(),
        event,
    )
    assert entry.uid == f"event-{event.pk}@127.0.0.1"
