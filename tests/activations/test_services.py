import datetime

import pytest
from django.core.files.base import ContentFile

from activations import services
from activations.models import Activation
from tests.activations.conftest import jpeg_bytes
from tests.factories import ActivationFactory
from tests.images import thumbnail_src
from tests.pages import text_of

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


def stored_image(activation, size=(640, 480), color=(200, 30, 40)):
    """Give the activation an image as the submission form stores one."""
    activation.image.save("x.jpg", ContentFile(jpeg_bytes(size, color)), save=True)
    return activation.image.name


def form_data(activation, **changes) -> dict:
    """What the edit form posts for the activation, as it cleans it, changed."""
    data = {field: getattr(activation, field) for field in services.SUBMITTED_FIELDS}
    return {**data, **changes}


def new_photo(size=(800, 600)):
    """A new upload as the form hands it on: checked, re-encoded, renamed."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qualityweek import images

    return images.clean_image(SimpleUploadedFile("new.jpg", jpeg_bytes(size, "navy")))


@pytest.mark.parametrize("status", ["pending", "approved", "rejected"])
def test_update_without_a_new_image_keeps_the_stored_file(
    edition_2023, clock, media, on_commit, status
):
    activation = ActivationFactory(edition=edition_2023, status=status)
    name = stored_image(activation)

    # The form hands on the stored file, a FileField's initial value: not new.
    on_commit(
        services.update,
        activation,
        form_data(activation, description="Опечатка исправлена."),
        image=activation.image,
    )

    activation.refresh_from_db()
    assert (activation.image.name, (media / name).exists()) == (name, True)
    assert activation.correction_image.name == ""


def test_update_with_a_new_image_deletes_the_old_file_only_after_commit(
    edition_2023, clock, media, django_capture_on_commit_callbacks
):
    activation = ActivationFactory(edition=edition_2023, pending=True)
    old = stored_image(activation)

    with django_capture_on_commit_callbacks() as callbacks:
        services.update(activation, form_data(activation), image=new_photo())
        activation.refresh_from_db()
        new = activation.image.name
        # The new file is stored and named by the row; the old one still waits.
        assert ((media / new).exists(), (media / old).exists()) == (True, True)
    for callback in callbacks:
        callback()

    assert new != old
    assert ((media / new).exists(), (media / old).exists()) == (True, False)
    assert (activation.image_width, activation.image_height) == (800, 600)


def test_update_with_a_new_image_that_fails_to_save_keeps_the_old_file(
    edition_2023, clock, media, on_commit
):
    from django.db import IntegrityError

    activation = ActivationFactory(edition=edition_2023, pending=True)
    old = stored_image(activation)
    # Days the database refuses: the row cannot be saved.
    broken = form_data(
        activation,
        first_day=datetime.date(2023, 11, 10),
        last_day=datetime.date(2023, 11, 9),
    )

    with pytest.raises(IntegrityError):
        on_commit(services.update, activation, broken, image=new_photo())

    activation.refresh_from_db()
    assert activation.image.name == old
    # The new file and its thumbnails are gone; the old one keeps its own.
    assert sorted(p.name for p in (media / "activations").iterdir()) == [
        "x-w400.webp",
        "x-w800.webp",  # 640 px wide, at most 800
        "x.jpg",
    ]


def test_update_of_a_pending_activation_changes_it_as_it_is(
    edition_2023, clock, mailoutbox, media, on_commit
):
    activation = ActivationFactory(edition=edition_2023, pending=True)
    old = stored_image(activation)

    on_commit(
        services.update,
        activation,
        form_data(activation, title="Новое название"),
        image=new_photo(),
    )

    activation.refresh_from_db()
    assert (activation.title, activation.status) == ("Новое название", "pending")
    assert activation.correction is None
    assert (activation.image.name != old, (media / old).exists()) == (True, False)
    assert [m.subject for m in mailoutbox] == [
        "Мы получили вашу активацию: Новое название"
    ]


def test_correction_of_an_approved_activation_keeps_the_published_version(
    client, edition_2023, clock, mailoutbox, media, on_commit
):
    activation = ActivationFactory(edition=edition_2023, title="День качества")
    old = stored_image(activation)
    page = activation.get_absolute_url()
    calendar = client.get(f"/activations/{activation.slug}.ics").content
    clock("2023-11-03T12:00+03:00")

    on_commit(
        services.update,
        activation,
        form_data(activation, title="День качества на заводе"),
        image=new_photo(),
    )

    activation.refresh_from_db()
    assert (activation.status, activation.title, activation.image.name) == (
        "approved",
        "День качества",
        old,
    )
    assert activation.correction == {"title": "День качества на заводе"}
    pending = activation.correction_image.name
    assert ((media / old).exists(), (media / pending).exists()) == (True, True)
    shown = text_of(client.get(page))
    assert ("День качества" in shown, "на заводе" in shown) == (True, False)
    assert thumbnail_src(old) in client.get(page).content.decode()
    assert pending not in client.get(page).content.decode()
    assert "на заводе" not in text_of(client.get("/activations/"))
    # Not one byte of the calendar changes: not even DTSTAMP or LAST-MODIFIED.
    assert client.get(f"/activations/{activation.slug}.ics").content == calendar
    assert [m.subject for m in mailoutbox] == [
        "Мы получили ваше исправление: День качества"
    ]
    assert "Что меняет исправление: название, изображение." in mailoutbox[0].body


def test_approve_correction_publishes_it_and_deletes_the_replaced_image(
    client, edition_2023, clock, mailoutbox, media, on_commit
):
    activation = ActivationFactory(edition=edition_2023, title="День качества")
    old = stored_image(activation)
    on_commit(
        services.update,
        activation,
        form_data(activation, title="День качества на заводе"),
        image=new_photo(),
    )
    activation.refresh_from_db()
    pending, sequence = activation.correction_image.name, activation.sequence

    assert on_commit(services.approve_correction, activation) is True

    activation.refresh_from_db()
    assert (activation.title, activation.image.name) == (
        "День качества на заводе",
        pending,
    )
    assert (activation.image_width, activation.image_height) == (800, 600)
    assert (activation.correction, activation.correction_image.name) == (None, "")
    assert ((media / old).exists(), (media / pending).exists()) == (False, True)
    # Neither the days nor the place moved: a calendar keeps its revision.
    assert activation.sequence == sequence
    shown = client.get(activation.get_absolute_url()).content.decode()
    assert ("на заводе" in shown, thumbnail_src(pending) in shown) == (True, True)
    assert (
        mailoutbox[-1].subject
        == "Ваше исправление опубликовано: День качества на заводе"
    )
    assert on_commit(services.approve_correction, activation) is False


def test_approve_correction_of_the_days_raises_the_calendar_sequence(
    client, edition_2023, clock, on_commit
):
    import icalendar

    activation = ActivationFactory(edition=edition_2023)
    moved = datetime.date(2023, 11, 10)
    services.update(activation, form_data(activation, first_day=moved, last_day=moved))
    activation.refresh_from_db()
    sequence = activation.sequence

    on_commit(services.approve_correction, activation)

    calendar = icalendar.Calendar.from_ical(
        client.get(f"/activations/{activation.slug}.ics").content
    )
    event = calendar.walk("VEVENT")[0]
    assert (event["SEQUENCE"], event["DTSTART"].dt) == (
        sequence + 1,
        datetime.date(2023, 11, 10),
    )


def test_reject_correction_keeps_the_published_version_and_deletes_its_image(
    client, edition_2023, clock, mailoutbox, media, on_commit
):
    activation = ActivationFactory(
        edition=edition_2023, title="День качества", language="en"
    )
    old = stored_image(activation)
    on_commit(
        services.update,
        activation,
        form_data(activation, title="КУПИТЕ СЛОНА"),
        image=new_photo(),
    )
    activation.refresh_from_db()
    pending = activation.correction_image.name

    assert (
        on_commit(services.reject_correction, activation, reason="Это реклама.") is True
    )

    activation.refresh_from_db()
    assert (activation.status, activation.title, activation.image.name) == (
        "approved",
        "День качества",
        old,
    )
    assert (activation.correction, activation.correction_image.name) == (None, "")
    assert activation.correction_rejection_reason == "Это реклама."
    assert ((media / old).exists(), (media / pending).exists()) == (True, False)
    assert "День качества" in text_of(client.get(activation.get_absolute_url()))
    letter = mailoutbox[-1]
    assert letter.subject == "Your correction was not accepted: День качества"
    assert "Это реклама." in letter.body
    assert "/en/activations/edit/" in letter.body


def test_reject_correction_without_a_reason_is_refused(edition_2023, clock):
    activation = ActivationFactory(edition=edition_2023)
    services.update(activation, form_data(activation, title="Другое"))

    with pytest.raises(services.ActivationError):
        services.reject_correction(activation, reason=" ")

    activation.refresh_from_db()
    assert activation.correction == {"title": "Другое"}


def test_a_new_correction_supersedes_the_waiting_one_and_its_image(
    edition_2023, clock, mailoutbox, media, on_commit
):
    activation = ActivationFactory(edition=edition_2023)
    on_commit(
        services.update,
        activation,
        form_data(activation, title="Первая правка"),
        image=new_photo(),
    )
    activation.refresh_from_db()
    first = activation.correction_image.name

    on_commit(
        services.update,
        activation,
        form_data(activation, title="Вторая правка"),
        image=new_photo((300, 200)),
    )

    activation.refresh_from_db()
    second = activation.correction_image.name
    assert activation.correction == {"title": "Вторая правка"}
    assert ((media / first).exists(), (media / second).exists()) == (False, True)
    assert len(mailoutbox) == 2


def test_a_correction_without_a_new_image_keeps_the_waiting_image(
    edition_2023, clock, media, on_commit
):
    activation = ActivationFactory(edition=edition_2023)
    on_commit(services.update, activation, form_data(activation), image=new_photo())
    activation.refresh_from_db()
    pending = activation.correction_image.name

    on_commit(
        services.update,
        activation,
        form_data(activation, title="И название"),
        image=activation.as_corrected().image,
    )

    activation.refresh_from_db()
    assert activation.correction_image.name == pending
    assert activation.corrected_fields() == ["title", "image"]


def test_a_correction_written_back_to_the_published_version_is_withdrawn(
    edition_2023, clock, mailoutbox, media, on_commit
):
    activation = ActivationFactory(edition=edition_2023)
    on_commit(
        services.update,
        activation,
        form_data(activation, title="Другое"),
        image=new_photo(),
    )
    activation.refresh_from_db()
    pending = activation.correction_image.name

    on_commit(services.update, activation, form_data(activation), remove_image=True)

    activation.refresh_from_db()
    assert (activation.correction, activation.correction_image.name) == (None, "")
    assert (media / pending).exists() is False
    assert len(mailoutbox) == 1


def test_a_correction_that_removes_the_image_removes_it_once_approved(
    edition_2023, clock, media, on_commit
):
    activation = ActivationFactory(edition=edition_2023)
    old = stored_image(activation)
    on_commit(services.update, activation, form_data(activation), remove_image=True)
    activation.refresh_from_db()
    assert activation.correction == {"remove_image": True}
    assert (media / old).exists()

    on_commit(services.approve_correction, activation)

    activation.refresh_from_db()
    assert (activation.image.name, (media / old).exists()) == ("", False)


def test_a_contact_change_of_an_approved_activation_applies_at_once(
    edition_2023, clock, mailoutbox, on_commit
):
    activation = ActivationFactory(edition=edition_2023)
    updated_at = activation.updated_at

    on_commit(
        services.update,
        activation,
        form_data(activation, email=" New@Example.RU ", phone="+79160000000"),
    )

    activation.refresh_from_db()
    assert (activation.email, activation.phone) == ("new@example.ru", "+79160000000")
    assert (activation.correction, activation.status) == (None, "approved")
    assert activation.updated_at == updated_at  # nothing published changed
    assert mailoutbox == []


def test_reject_of_an_activation_with_a_waiting_correction_takes_it_in(
    edition_2023, clock, media, on_commit
):
    activation = ActivationFactory(edition=edition_2023)
    old = stored_image(activation)
    on_commit(
        services.update,
        activation,
        form_data(activation, title="Исправлено"),
        image=new_photo(),
    )

    on_commit(services.reject, activation, reason="Не подходит.")

    activation.refresh_from_db()
    assert (activation.status, activation.title) == ("rejected", "Исправлено")
    assert (activation.correction, (media / old).exists()) == (None, False)
    assert (media / activation.image.name).exists()


def test_personal_record_and_erasure_cover_a_waiting_correction(
    edition_2023, clock, media, on_commit
):
    activation = ActivationFactory(edition=edition_2023)
    published = stored_image(activation)
    on_commit(
        services.update,
        activation,
        form_data(activation, inn="500100732259"),  # an entrepreneur's
        image=new_photo(),
    )
    activation.refresh_from_db()
    pending = activation.correction_image.name

    record = services.personal_record(activation)
    on_commit(services.erase_personal_data, activation)

    assert (record["correction"], record["correction_image"]) == (
        {"inn": "500100732259"},
        pending,
    )
    activation.refresh_from_db()
    assert (activation.correction, activation.correction_image.name) == (None, "")
    assert ((media / published).exists(), (media / pending).exists()) == (
        False,
        False,
    )


def test_a_correction_that_makes_no_activation_is_refused(edition_2023, clock):
    activation = ActivationFactory(edition=edition_2023)

    with pytest.raises(services.ActivationError):
        services.update(activation, form_data(activation, address="", online_url=""))

    activation.refresh_from_db()
    assert activation.correction is None


def test_approve_correction_that_no_longer_fits_the_published_days_is_refused(
    edition_2023, clock, media, on_commit
):
    activation = ActivationFactory(
        edition=edition_2023,
        first_day=datetime.date(2023, 11, 9),
        last_day=datetime.date(2023, 11, 10),
    )
    on_commit(
        services.update,
        activation,
        form_data(activation, last_day=datetime.date(2023, 11, 9)),
        image=new_photo(),
    )
    # Meanwhile an organiser moves the published activation a day later.
    Activation.objects.filter(pk=activation.pk).update(
        first_day=datetime.date(2023, 11, 10)
    )

    with pytest.raises(services.ActivationError):
        on_commit(services.approve_correction, activation)

    activation.refresh_from_db()
    assert activation.correction == {"last_day": "2023-11-09"}
    assert (media / activation.correction_image.name).exists()
