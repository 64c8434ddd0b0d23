"""The programme's text search: word forms, and the title weighs most."""

import re

import pytest

from events import search
from tests.factories import (
    ActivationFactory,
    EventFactory,
    OrganiserFactory,
    SpeakerFactory,
    moscow,
)
from tests.pages import text_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def found(client, query: str) -> list[str]:
    """The slugs of the events the schedule lists, in the order shown."""
    html = client.get("/schedule/" + query).content.decode()
    return list(dict.fromkeys(re.findall(r'href="/events/([\w-]+)/"', html)))


@pytest.fixture
def roskachestvo_week(edition_2023):
    """Every event organised by «Роскачество», as the shipped week's are."""
    organiser = OrganiserFactory(
        name="Российская система качества", short_name="Роскачество"
    )

    def event(slug, **fields):
        return EventFactory(
            edition=edition_2023, slug=slug, organisers=[organiser], **fields
        )

    return [
        event(
            "management",
            title="Системы управления качеством на производстве",
            start=moscow(2023, 11, 9, 15),
        ),
        event(
            "consumers",
            title="Доверие потребителей",
            description="Как маркировка качества помогает покупателю.",
            start=moscow(2023, 11, 9, 10),
        ),
        event("hackathon", title="Хакатон цифровых сервисов"),
        event("lean", title="Бережливое производство", start=moscow(2023, 11, 8, 10)),
    ]


def test_word_forms_are_found(client, roskachestvo_week):
    assert found(client, "?q=управление качеством") == ["management"]
    assert found(client, "?q=Управления КАЧЕСТВА") == ["management"]


def test_a_match_in_the_organiser_alone_returns_no_unrelated_events(
    client, roskachestvo_week
):
    page = text_of(client.get("/schedule/?q=качество"))

    assert "2 события" in page
    assert "Хакатон цифровых сервисов" not in page
    assert "Бережливое производство" not in page


def test_a_title_match_comes_before_a_description_match_on_the_day(
    client, roskachestvo_week
):
    # The description match starts earlier that day, but the title says it.
    assert found(client, "?q=качество") == ["management", "consumers"]


def test_the_organiser_is_found_when_nothing_else_matches(client, roskachestvo_week):
    assert set(found(client, "?q=Роскачество")) == {
        "management",
        "consumers",
        "hackathon",
        "lean",
    }


def test_a_title_match_ranks_before_an_organiser_only_match():
    class Entry:
        def __init__(self, title, organiser):
            self.texts = ([title], [], [organiser])

    organiser_only = Entry("Хакатон", "Фонд управления")
    in_title = Entry("Управление рисками", "Фонд")
    in_both = Entry("Хакатон управления", "Фонд управления")

    ranked = search.ranked(
        [organiser_only, in_title, in_both], "управление", lambda e: e.texts
    )

    assert ranked == [in_title, in_both]  # the organiser-only match left out
    only_organisers = search.ranked([organiser_only], "фонд", lambda e: e.texts)
    assert only_organisers == [organiser_only]


def test_speakers_are_found(client, edition_2023):
    speaker = SpeakerFactory(name="Ирина Соколова")
    EventFactory(edition=edition_2023, slug="talk", speakers=[speaker])
    EventFactory(edition=edition_2023, slug="other")

    assert found(client, "?q=Соколовой") == ["talk"]


def test_a_company_name_alone_does_not_bring_its_activation_in(client, edition_2023):
    EventFactory(edition=edition_2023, slug="quality", title="Качество услуг")
    ActivationFactory(
        edition=edition_2023,
        company_name="ООО «Качество»",
        title="Экскурсия на завод",
        description="Покажем цеха.",
    )

    page = client.get("/schedule/?q=качество").content.decode()

    assert "Качество услуг" in page
    assert "Экскурсия на завод" not in page


def test_a_speakers_session_ranks_with_title_matches_before_description_ones(
    client, edition_2023
):
    speaker = SpeakerFactory(name="Ирина Соколова", name_en="Irina Sokolova")
    EventFactory(
        edition=edition_2023,
        slug="mentioned",
        title="Круглый стол",
        description="Модератор — Ирина Соколова.",
        start=moscow(2023, 11, 9, 10),
    )
    EventFactory(
        edition=edition_2023,
        slug="her-talk",
        title="Метрология в цифре",
        speakers=[speaker],
        start=moscow(2023, 11, 9, 15),
    )

    # Her own session comes first on the day, though it starts later.
    assert found(client, "?q=Соколова") == ["her-talk", "mentioned"]
    assert found(client, "?q=sokolova") == ["her-talk"]
    assert found(client, "?q=СОКОЛОВОЙ") == ["her-talk", "mentioned"]


def test_a_speaker_is_found_whatever_the_case_and_with_e_for_yo(client, edition_2023):
    speaker = SpeakerFactory(name="Пётр Семёнов", name_en="Pyotr Semyonov")
    EventFactory(edition=edition_2023, slug="talk", speakers=[speaker])
    EventFactory(edition=edition_2023, slug="other")

    assert found(client, "?q=петр семенов") == ["talk"]
    assert found(client, "?q=PYOTR") == ["talk"]
