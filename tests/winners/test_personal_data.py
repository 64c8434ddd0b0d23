"""A winner who is a person is declared to the site's personal-data registry: the
policy names the purpose, an access request exports the entry, erasure and the
purge take it off every page."""

from qualityweek import personal_data
from tests.pages import text_of
from winners import services
from winners.models import Winner

from .factories import WinnerFactory


def test_export_gives_a_person_winner_entry(edition_2023):
    WinnerFactory(edition=edition_2023, name="Вера Лидерова", email="vera@example.ru")
    WinnerFactory(
        edition=edition_2023,
        kind=Winner.Kind.COMPANY,
        name="ООО «Тест»",
        email="vera@example.ru",
    )

    data = personal_data.export_person(" VERA@example.ru ")

    assert [entry["name"] for entry in data["winners"]] == ["Вера Лидерова"]
    assert data["winners"][0]["region"] == "43"


def test_erasing_a_person_takes_the_winner_off_every_page(
    client, edition_2023, awards, django_capture_on_commit_callbacks
):
    winner = WinnerFactory(
        edition=edition_2023,
        award_event=awards,
        name="Вера Лидерова",
        email="vera@example.ru",
    )
    assert "Вера Лидерова" in text_of(client.get("/winners/"))

    with django_capture_on_commit_callbacks(execute=True):
        erased = personal_data.erase_person("vera@example.ru")

    winner.refresh_from_db()
    assert erased["winners"] == 1
    assert (winner.name, winner.email) == ("", "")
    for path in ["/winners/", awards.get_absolute_url(), "/regions/43/"]:
        assert "Вера Лидерова" not in text_of(client.get(path)), path
    assert client.get(winner.get_absolute_url()).status_code == 404
    assert personal_data.export_person("vera@example.ru")["winners"] == []


def test_purge_erases_winners_whose_consent_was_withdrawn_long_ago(edition_2023, clock):
    clock("2023-12-01T12:00+03:00")
    withdrawn = services.withdraw_consent(WinnerFactory(edition=edition_2023))
    shown = WinnerFactory(edition=edition_2023)
    clock("2024-01-15T12:00+03:00")

    erased = personal_data.purge_personal_data(older_than_days=30)

    withdrawn.refresh_from_db()
    shown.refresh_from_db()
    assert erased["winners"] == 1
    assert withdrawn.erased_at is not None
    assert shown.erased_at is None


def test_purge_keeps_a_withdrawal_of_yesterday(edition_2023, clock):
    withdrawn = services.withdraw_consent(WinnerFactory(edition=edition_2023))

    personal_data.purge_personal_data(older_than_days=30)

    withdrawn.refresh_from_db()
    assert withdrawn.erased_at is None
    assert withdrawn.publication_consent_withdrawn_at is not None


def test_privacy_policy_names_the_winners_purpose(client, db):
    page = text_of(client.get("/privacy/"))

    assert "Победитель конкурса «Лидер качества»" in page
    assert "только с отдельного согласия победителя" in page
    assert (
        "Отдельное согласие, подписанное в письменной форме; без него данные для "
        "этой цели не обрабатываются."
    ) in page
