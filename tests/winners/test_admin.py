"""Organisers enter winners in the admin and withdraw their consent to publish."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage

from tests.admin_forms import FormValues
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


def change_form_data(client, winner) -> dict:
    """What a browser posts back from the winner's change form, unchanged."""
    parser = FormValues()
    parser.feed(client.get(f"{CHANGELIST}{winner.pk}/change/").content.decode())
    return parser.data


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


def test_a_new_photo_replaces_the_old_files(
    organiser_client, edition_2023, awards, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(f"{CHANGELIST}add/", new_winner(edition_2023, awards))
    winner = Winner.objects.get()
    old = [winner.photo.name, winner.photo_thumbnail.name]
    data = change_form_data(organiser_client, winner)
    data["photo"] = upload("new.jpg", image_bytes("JPEG", size=(600, 400)))

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(f"{CHANGELIST}{winner.pk}/change/", data)

    assert response.status_code == 302, text_of(response)[:2000]
    winner.refresh_from_db()
    assert winner.photo.name not in old
    assert default_storage.exists(winner.photo_thumbnail.name)
    assert [default_storage.exists(name) for name in old] == [False, False]


def test_officer_erases_a_winner_from_the_admin(
    officer_client, client, edition_2023, django_capture_on_commit_callbacks
):
    winner = WinnerFactory(edition=edition_2023, name="Вера Лидерова")

    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(
            CHANGELIST,
            {
                "action": "erase_personal_data",
                "_selected_action": [winner.pk],
                "post": "yes",
            },
        )

    winner.refresh_from_db()
    assert winner.erased_at is not None
    assert winner.name == ""
    assert "Вера Лидерова" not in text_of(client.get("/winners/"))


def test_organisers_are_not_offered_erasure(organiser_client, edition_2023):
    WinnerFactory(edition=edition_2023)

    page = organiser_client.get(CHANGELIST).content.decode()

    assert 'value="withdraw_consent"' in page
    assert 'value="erase_personal_data"' not in page
