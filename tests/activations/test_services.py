import pytest
from django.core.files.base import ContentFile

from activations import services
from activations.models import Activation
from tests.activations.conftest import jpeg_bytes
from tests.factories import ActivationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


def test_approve_publishes_and_writes_in_the_submitters_language(
    edition_2023, clock, mailoutbox, on_commit
):
    activation = ActivationFactory(edition=edition_2023, pending=True, language="en")

    assert on_commit(services.approve, activation) is True

    activation.refresh_from_db()
    assert activation.status == Activation.Status.APPROVED
    assert activation.moderated_at is not None
    assert [m.subject for m in mailoutbox] == [
        f"Your activation is published: {activation.title}"
    ]
    assert f"/en/activations/{activation.slug}/" in mailoutbox[0].body


def test_approve_twice_writes_once(edition_2023, clock, mailoutbox, on_commit):
    activation = ActivationFactory(edition=edition_2023, pending=True)
    on_commit(services.approve, activation)

    assert on_commit(services.approve, activation) is False
    assert len(mailoutbox) == 1


def test_reject_tells_the_submitter_why_with_an_edit_link(
    edition_2023, clock, mailoutbox, on_commit
):
    activation = ActivationFactory(edition=edition_2023, pending=True)

    on_commit(services.reject, activation, reason="Укажите адрес проходной.")

    activation.refresh_from_db()
    assert (activation.status, activation.rejection_reason) == (
        "rejected",
        "Укажите адрес проходной.",
    )
    letter = mailoutbox[0]
    assert letter.subject == f"Ваша активация не опубликована: {activation.title}"
    assert "Укажите адрес проходной." in letter.body
    assert "/activations/edit/" in letter.body
    assert "Укажите адрес проходной." in letter.alternatives[0][0]


def test_reject_without_a_reason_is_refused(edition_2023, clock):
    activation = ActivationFactory(edition=edition_2023, pending=True)

    with pytest.raises(services.ActivationError):
        services.reject(activation, reason="  ")

    activation.refresh_from_db()
    assert activation.status == "pending"


def test_update_without_changes_keeps_it_approved(edition_2023, clock):
    activation = ActivationFactory(edition=edition_2023)
    data = {field: getattr(activation, field) for field in services.SUBMITTED_FIELDS}

    services.update(activation, data)

    activation.refresh_from_db()
    assert activation.status == "approved"


def test_erase_personal_data_blanks_the_contact_and_deletes_the_image(
    edition_2023, clock, media, on_commit
):
    activation = ActivationFactory(edition=edition_2023)
    activation.image.save("x.jpg", ContentFile(jpeg_bytes()), save=True)
    stored = media / activation.image.name

    on_commit(services.erase_personal_data, activation)

    activation.refresh_from_db()
    assert [getattr(activation, f) for f in services.PERSONAL_FIELDS] == [""] * 4
    assert (activation.image.name, stored.exists()) == ("", False)
    assert activation.erased_at is not None
    assert list(Activation.objects.approved()) == []
