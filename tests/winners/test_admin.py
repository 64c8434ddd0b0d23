"""Organisers enter winners in the admin and withdraw their consent to publish."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import EditionFactory
from tests.images import image_bytes, upload
from tests.pages import text_of
from winners.models import Winner

from .factories import WinnerFactory

CHANGELIST = "/admin/winners/winner/"


def test_organisers_may_add_change_and_view_winners_but_not_delete(db):
    codenames = set(
        Group.objects.get(name="Organisers")
        .permissions.filter(content_type__app_label="winners")
        .values_list("codename", flat=True)
    )

    assert codenames == {"add_winner", "change_winner", "view_winner"}


def new_winner(edition, awards, **changes) -> dict:
    """The add form as an organiser fills it in."""
    return {
        "edition": edition.pk,
        "kind": "person",
        "name": "Галина Первая",
        "name_en": "Galina Pervaya",
        "nomination": "Лидер качества года",
        "nomination_en": "Quality leader of the year",
        "region": "",
        "award_event": awards.pk,
        "text": "",
        "text_en": "",
        "photo": upload("face.jpg", image_bytes("JPEG", size=(500, 400))),
        "order": "0",
        "email": "galina@example.ru",
        "publication_consent_given_at_0": "01.11.2023",
        "publication_consent_given_at_1": "12:00:00",
        "publication_consent_document": upload(
            "consent.pdf", b"%PDF-1.4 signed", "application/pdf"
        ),
        **changes,
    }


def test_organiser_adds_a_winner_with_photo_and_consent(
    organiser_client, client, edition_2023, awards
):
    response = organiser_client.post(
        f"{CHANGELIST}add/", new_winner(edition_2023, awards)
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    winner = Winner.objects.get()
    assert winner.photo.name.startswith("winners/photos/")
    assert winner.photo.name != "winners/photos/face.jpg"  # re-encoded, renamed
    assert winner.photo_thumbnail
    assert winner.is_published
    assert "Галина Первая" in text_of(client.get("/winners/"))
    assert client.get(f"/winners/{winner.pk}/photo.jpg").status_code == 200


def test_consent_without_its_signed_scan_is_refused(
    organiser_client, edition_2023, awards
):
    response = organiser_client.post(
        f"{CHANGELIST}add/",
        new_winner(edition_2023, awards, publication_consent_document=""),
    )

    assert "Приложите скан подписанного согласия на публикацию." in text_of(response)
    assert Winner.objects.count() == 0


def test_awards_ceremony_of_another_edition_is_refused(
    organiser_client, edition_2023, awards
):
    later = EditionFactory(year=2024)

    response = organiser_client.post(f"{CHANGELIST}add/", new_winner(later, awards))

    assert "Выберите церемонию награждения этого выпуска." in text_of(response)
    assert Winner.objects.count() == 0


def test_organiser_withdraws_consent_from_the_list(
    organiser_client, client, edition_2023
):
    winner = WinnerFactory(edition=edition_2023, name="Галина Первая")
    other = WinnerFactory(edition=edition_2023, name="Дмитрий Второй")
    assert "Галина Первая" in text_of(client.get("/winners/"))

    response = organiser_client.post(
        CHANGELIST,
        {"action": "withdraw_consent", "_selected_action": [winner.pk]},
        follow=True,
    )

    winner.refresh_from_db()
    other.refresh_from_db()
    assert "1 победитель снят с сайта." in text_of(response)
    assert winner.publication_consent_withdrawn_at is not None
    assert other.publication_consent_withdrawn_at is None
    page = text_of(client.get("/winners/"))
    assert "Галина Первая" not in page
    assert "Дмитрий Второй" in page


def test_organiser_opens_the_signed_consent_through_the_admin(
    organiser_client, client, edition_2023
):
    winner = WinnerFactory(edition=edition_2023)
    winner.publication_consent_document.save(
        "consent.pdf", upload("consent.pdf", b"%PDF-1.4 signed"), save=True
    )
    path = f"{CHANGELIST}{winner.pk}/files/publication_consent_document/"

    response = organiser_client.get(path)

    assert b"".join(response.streaming_content) == b"%PDF-1.4 signed"
    assert "no-store" in response["Cache-Control"]
    assert client.get(path).status_code == 302  # a visitor is sent to sign in


@pytest.mark.parametrize("field", ["photo_thumbnail", "email", "name"])
def test_admin_file_view_serves_only_the_files_it_names(
    organiser_client, edition_2023, field
):
    winner = WinnerFactory(edition=edition_2023)

    response = organiser_client.get(f"{CHANGELIST}{winner.pk}/files/{field}/")

    assert response.status_code == 404


def test_admin_change_page_renders_in_russian(organiser_client, edition_2023):
    winner = WinnerFactory(edition=edition_2023)

    page = text_of(organiser_client.get(f"{CHANGELIST}{winner.pk}/change/"))

    assert "Согласие на публикацию (152-ФЗ, ст. 10.1)" in page
    assert "Отозвать согласие на публикацию" in text_of(
        organiser_client.get(CHANGELIST)
    )
