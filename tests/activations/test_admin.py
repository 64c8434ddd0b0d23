import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group

from activations import services
from activations.models import Activation
from tests.factories import ActivationFactory, moscow
from tests.images import thumbnail_src
from tests.pages import text_of
from tests.spreadsheets import csv_rows, formulas_in, record, sheet_of

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/activations/activation/"


def act(client, action, activations, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [a.pk for a in activations], **extra},
    )


def test_organisers_group_moderates_activations_but_never_deletes_them():
    codenames = set(
        Group.objects.get(name="Organisers")
        .permissions.filter(content_type__app_label="activations")
        .values_list("codename", flat=True)
    )

    assert codenames == {"change_activation", "view_activation"}


def test_changelist_filters_by_status(organiser_client, edition_2023):
    ActivationFactory(edition=edition_2023, pending=True, title="Ждёт")
    ActivationFactory(edition=edition_2023, title="Уже на сайте")

    page = text_of(organiser_client.get(CHANGELIST + "?status__exact=pending"))

    assert "Ждёт" in page
    assert "Уже на сайте" not in page


def test_approve_action_publishes_and_writes(
    organiser_client,
    edition_2023,
    clock,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    pending = ActivationFactory.create_batch(2, edition=edition_2023, pending=True)

    with django_capture_on_commit_callbacks(execute=True):
        act(organiser_client, "approve", pending)

    assert set(Activation.objects.values_list("status", flat=True)) == {"approved"}
    assert len(mailoutbox) == 2
    assert LogEntry.objects.count() == 2


def test_reject_action_asks_for_the_reason_first(organiser_client, edition_2023):
    pending = ActivationFactory(edition=edition_2023, pending=True)

    response = act(organiser_client, "reject", [pending])

    pending.refresh_from_db()
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
    assert pending.status == "pending"


def test_reject_action_with_a_reason_rejects_and_writes(
    organiser_client,
    edition_2023,
    clock,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    pending = ActivationFactory(edition=edition_2023, pending=True)

    with django_capture_on_commit_callbacks(execute=True):
        act(organiser_client, "reject", [pending], reason="Нужен адрес.")

    pending.refresh_from_db()
    assert (pending.status, pending.rejection_reason) == ("rejected", "Нужен адрес.")
    assert "Нужен адрес." in mailoutbox[0].body


def test_change_form_rejection_needs_a_reason(organiser_client, edition_2023):
    activation = ActivationFactory(edition=edition_2023, pending=True)
    page = organiser_client.get(f"{CHANGELIST}{activation.pk}/change/")
    data = {
        name: value
        for name, value in page.context["adminform"].form.initial.items()
        if value is not None and name != "image"
    }
    data.update(status="rejected", rejection_reason="", region=activation.region_id)
    data.update(edition=activation.edition_id)

    response = organiser_client.post(f"{CHANGELIST}{activation.pk}/change/", data)

    activation.refresh_from_db()
    assert response.status_code == 200
    assert "Напишите причину, которую прочтёт заявитель." in text_of(response)
    assert activation.status == "pending"


def test_erase_action_asks_first_then_erases_the_person_everywhere(
    officer_client, regional_day, edition_2023, clock
):
    from tests.factories import RegistrationFactory

    activation = ActivationFactory(edition=edition_2023, email="maria@example.ru")
    registration = RegistrationFactory(event=regional_day, email="maria@example.ru")

    asked = act(officer_client, "erase_personal_data", [activation])
    activation.refresh_from_db()
    assert "registrations: 1" in text_of(asked)
    assert activation.erased_at is None

    act(officer_client, "erase_personal_data", [activation], post="yes")

    activation.refresh_from_db()
    registration.refresh_from_db()
    assert (activation.email, registration.email) == ("", "")


def test_organiser_is_offered_no_erasure_and_posting_it_erases_nothing(
    organiser_client, edition_2023
):
    activation = ActivationFactory(edition=edition_2023, email="maria@example.ru")

    choices = (
        organiser_client.get(CHANGELIST).context["action_form"].fields["action"].choices
    )
    response = act(organiser_client, "erase_personal_data", [activation], post="yes")

    activation.refresh_from_db()
    assert {name for name, _label in choices if name} == {"approve", "reject"}
    assert response.status_code == 302
    assert activation.email == "maria@example.ru"


def test_erasure_is_in_the_admin_log_for_every_record_without_personal_data(
    officer_client, regional_day, edition_2023, clock
):
    from tests.factories import RegistrationFactory

    activation = ActivationFactory(edition=edition_2023, email="maria@example.ru")
    registration = RegistrationFactory(event=regional_day, email="maria@example.ru")

    act(officer_client, "erase_personal_data", [activation], post="yes")

    entries = LogEntry.objects.all()
    assert sorted((e.content_type.model, e.object_repr) for e in entries) == [
        ("activation", f"Активация №{activation.pk}"),
        ("registration", f"Регистрация №{registration.pk}"),
    ]
    assert {e.change_message for e in entries} == {"Персональные данные удалены."}
    written = " ".join(e.object_repr + e.change_message for e in entries)
    for value in ["maria@example.ru", "Анна Петрова", activation.title]:
        assert value not in written


ACTIVATION_HEADERS = [
    "Компания",
    "ИНН",
    "Название",
    "Тип",
    "Регион",
    "Город или населённый пункт",
    "Первый день",
    "Последний день",
    "Формат",
    "Адрес",
    "Ссылка для онлайн-участия",
    "Статус",
    "Контактное лицо",
    "Электронная почта",
    "Телефон",
    "Подана",
    "Рассмотрена",
]


@pytest.fixture
def two_activations(edition_2023):
    later = ActivationFactory(
        edition=edition_2023,
        title="=HYPERLINK(1)",
        inn="0105012345",
        first_day=datetime.date(2023, 11, 10),
        last_day=datetime.date(2023, 11, 12),
        address="",
        online_url="https://example.ru/live",
        submitted_at=moscow(2023, 10, 30, 23, 30),
    )
    earlier = ActivationFactory(
        edition=edition_2023, pending=True, first_day=datetime.date(2023, 11, 6)
    )
    return [later, earlier]


def test_officer_exports_activations_as_an_excel_workbook(
    officer_client, two_activations
):
    _later, earlier = two_activations

    response = act(officer_client, "export_xlsx", two_activations)

    sheet = sheet_of(response)
    first, second = record(sheet, 2), record(sheet, 3)
    assert response["Content-Disposition"] == 'attachment; filename="activations.xlsx"'
    assert sheet.title == "Активации"
    assert [cell.value for cell in sheet[1]] == ACTIVATION_HEADERS
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert (first["Компания"].value, first["Статус"].value) == (
        earlier.company_name,
        "на модерации",
    )
    assert [
        (second[name].value, second[name].data_type)
        for name in ["ИНН", "Название", "Телефон", "Формат"]
    ] == [
        ("0105012345", "s"),
        ("=HYPERLINK(1)", "s"),
        ("+79161234567", "s"),
        ("Онлайн", "s"),
    ]
    assert [
        (second[name].value, second[name].number_format)
        for name in ["Первый день", "Последний день", "Подана"]
    ] == [
        (datetime.datetime(2023, 11, 10), "DD.MM.YYYY"),
        (datetime.datetime(2023, 11, 12), "DD.MM.YYYY"),
        (datetime.datetime(2023, 10, 30, 23, 30), "DD.MM.YYYY HH:MM"),
    ]
    assert formulas_in(response) == 0


def test_officer_exports_activations_as_csv_with_codes_and_phones_as_text(
    officer_client, two_activations
):
    response = act(officer_client, "export_csv", two_activations)

    rows = csv_rows(response)
    row = dict(zip(rows[0], rows[2], strict=True))
    assert response["Content-Disposition"] == 'attachment; filename="activations.csv"'
    assert rows[0] == ACTIVATION_HEADERS
    assert [row[name] for name in ["ИНН", "Название", "Телефон", "Первый день"]] == [
        "\u200b0105012345",
        "'=HYPERLINK(1)",
        "\u200b+79161234567",
        "10.11.2023",
    ]
    assert row["Подана"] == "30.10.2023 23:30"


@pytest.mark.parametrize("action", ["export_csv", "export_xlsx"])
def test_activation_export_is_in_the_admin_log_without_personal_data(
    officer_client, two_activations, action
):
    act(officer_client, action, two_activations)

    entries = LogEntry.objects.order_by("object_id")
    assert [e.object_repr for e in entries] == [
        f"Активация №{a.pk}" for a in sorted(two_activations, key=lambda a: a.pk)
    ]
    assert {e.change_message for e in entries} == {
        "Персональные данные выгружены: список активаций."
    }
    written = " ".join(e.object_repr + e.change_message for e in entries)
    assert "Анна Петрова" not in written


@pytest.mark.parametrize("action", ["export_csv", "export_xlsx"])
def test_organiser_posting_an_activation_export_gets_nothing(
    organiser_client, two_activations, action
):
    response = act(organiser_client, action, two_activations)

    assert (response.status_code, response["Location"]) == (302, CHANGELIST)
    assert LogEntry.objects.count() == 0


def with_image(activation, size=(640, 480), color=(200, 30, 40)) -> str:
    from django.core.files.base import ContentFile

    from tests.activations.conftest import jpeg_bytes

    activation.image.save("x.jpg", ContentFile(jpeg_bytes(size, color)), save=True)
    return activation.image.name


def corrected(activation, *, image_size=None, **changes):
    """The submitter's correction of the published activation, as the edit link
    sends it, with a new image of that size."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from activations import services
    from qualityweek import images
    from tests.activations.conftest import jpeg_bytes

    data = {f: getattr(activation, f) for f in services.SUBMITTED_FIELDS}
    image = None
    if image_size:
        upload = SimpleUploadedFile("new.jpg", jpeg_bytes(image_size, "navy"))
        image = images.clean_image(upload)
    services.update(activation, {**data, **changes}, image=image)
    activation.refresh_from_db()
    return activation


def change_form_data(client, activation, **changes) -> dict:
    """What the change form posts as an organiser leaves it, changed."""
    page = client.get(f"{CHANGELIST}{activation.pk}/change/")
    data = {
        name: value
        for name, value in page.context["adminform"].form.initial.items()
        if value is not None and name != "image"
    }
    data.update(region=activation.region_id, edition=activation.edition_id)
    data.update(first_day=activation.first_day.isoformat())
    data.update(last_day=activation.last_day.isoformat())
    data.update(changes)
    return data


def test_changelist_filters_corrections_awaiting_moderation(
    organiser_client, edition_2023, clock, media
):
    waiting = corrected(ActivationFactory(edition=edition_2023), title="Исправлено")
    ActivationFactory(edition=edition_2023, title="Без исправлений")

    response = organiser_client.get(CHANGELIST + "?correction=waiting")

    page = text_of(response)
    assert "Без исправлений" not in page
    assert f'href="{CHANGELIST}{waiting.pk}/correction/"' in response.content.decode()
    assert "исправление ждёт модерации" in page  # the filter's title


def test_change_form_shows_the_image_itself_never_its_path(
    organiser_client, edition_2023, clock, media
):
    from tests.qualityweek.test_csp import inline_code

    activation = corrected(
        ActivationFactory(edition=edition_2023), image_size=(300, 200)
    )
    name = with_image(activation)

    response = organiser_client.get(f"{CHANGELIST}{activation.pk}/change/")

    html = response.content.decode()
    assert (
        f'<img class="activation-thumbnail" src="/media/{name}" '
        'alt="Изображение на сайте">'
    ) in html
    assert (
        f'<img class="activation-thumbnail" '
        f'src="/media/{activation.correction_image.name}" '
        'alt="Новое изображение из исправления">'
    ) in html
    assert f">{name}<" not in html
    assert inline_code(response) == []


def test_change_form_save_without_a_new_image_keeps_it(
    organiser_client, edition_2023, clock, media, django_capture_on_commit_callbacks
):
    activation = ActivationFactory(edition=edition_2023)
    name = with_image(activation)
    data = change_form_data(organiser_client, activation, title="Поправлено")

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(f"{CHANGELIST}{activation.pk}/change/", data)

    activation.refresh_from_db()
    assert response.status_code == 302
    assert (activation.title, activation.image.name) == ("Поправлено", name)
    assert (media / name).exists()


def test_change_form_new_image_replaces_the_old_after_commit_and_moves_sequence(
    organiser_client, edition_2023, clock, media, django_capture_on_commit_callbacks
):
    from tests.activations.conftest import jpeg_bytes
    from tests.images import upload

    activation = ActivationFactory(edition=edition_2023)
    old = with_image(activation)
    sequence = activation.sequence
    data = change_form_data(
        organiser_client, activation, first_day="2023-11-10", last_day="2023-11-10"
    )
    data["image"] = upload("new.jpg", jpeg_bytes((300, 200)))

    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(f"{CHANGELIST}{activation.pk}/change/", data)

    activation.refresh_from_db()
    assert activation.image.name != old
    assert ((media / old).exists(), (media / activation.image.name).exists()) == (
        False,
        True,
    )
    assert (activation.image_width, activation.sequence) == (300, sequence + 1)


def test_correction_screen_shows_old_and_new_with_both_images(
    organiser_client, edition_2023, clock, media
):
    from tests.qualityweek.test_csp import inline_code

    activation = ActivationFactory(
        edition=edition_2023,
        title="День качества",
        description="Покажем цех и лабораторию.",
    )
    old = with_image(activation)
    corrected(
        activation,
        title="День качества на заводе",
        description="Покажем цех, склад и лабораторию.",
        image_size=(300, 200),
    )

    response = organiser_client.get(f"{CHANGELIST}{activation.pk}/correction/")

    html = response.content.decode()
    page = text_of(response)
    assert "Название День качества День качества на заводе" in page
    assert "Покажем <del>цех</del> <ins>цех, склад</ins> и лабораторию." in html
    assert f'src="/media/{old}"' in html
    assert f'src="/media/{activation.correction_image.name}"' in html
    assert 'value="Одобрить и опубликовать исправление"' in html
    assert "Причина, которую прочтёт заявитель:" in page
    assert inline_code(response) == []


def test_correction_screen_approves_and_the_page_shows_the_new_version(
    organiser_client,
    client,
    edition_2023,
    clock,
    media,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    activation = ActivationFactory(edition=edition_2023, title="День качества")
    old = with_image(activation)
    corrected(activation, title="День качества на заводе", image_size=(300, 200))
    new = activation.correction_image.name

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser_client.post(
            f"{CHANGELIST}{activation.pk}/correction/",
            {"decision": "approve", "seen": services.correction_version(activation)},
        )

    activation.refresh_from_db()
    assert response["Location"] == f"{CHANGELIST}{activation.pk}/change/"
    assert (activation.title, activation.image.name) == ("День качества на заводе", new)
    assert ((media / old).exists(), (media / new).exists()) == (False, True)
    assert (
        thumbnail_src(new) in client.get(activation.get_absolute_url()).content.decode()
    )
    assert mailoutbox[-1].subject == (
        "Ваше исправление опубликовано: День качества на заводе"
    )
    assert LogEntry.objects.get().change_message == "Исправление одобрено."


def test_correction_screen_rejects_with_a_reason_and_keeps_the_published_version(
    organiser_client,
    edition_2023,
    clock,
    media,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    activation = ActivationFactory(edition=edition_2023, title="День качества")
    corrected(activation, title="КУПИТЕ СЛОНА", image_size=(300, 200))
    pending = activation.correction_image.name
    url = f"{CHANGELIST}{activation.pk}/correction/"

    seen = services.correction_version(activation)
    asked = organiser_client.post(
        url, {"decision": "reject", "reason": "", "seen": seen}
    )
    with django_capture_on_commit_callbacks(execute=True):
        organiser_client.post(
            url, {"decision": "reject", "reason": "Это реклама.", "seen": seen}
        )

    assert "Напишите причину, которую прочтёт заявитель." in text_of(asked)
    activation.refresh_from_db()
    assert (activation.title, activation.correction) == ("День качества", None)
    assert (media / pending).exists() is False
    assert mailoutbox[-1].subject == "Ваше исправление не принято: День качества"
    assert "Это реклама." in mailoutbox[-1].body


def test_correction_screen_never_approves_a_correction_changed_since_it_was_seen(
    organiser_client, edition_2023, clock, mailoutbox, media
):
    activation = ActivationFactory(edition=edition_2023, title="Опубликованное")
    corrected(activation, title="Первая")
    url = f"{CHANGELIST}{activation.pk}/correction/"
    seen = organiser_client.get(url).context["seen"]
    clock("2023-11-02T12:00+03:00")
    corrected(activation, title="КУПИТЕ СЛОНА")  # while the organiser reads it

    response = organiser_client.post(url, {"decision": "approve", "seen": seen})

    activation.refresh_from_db()
    assert response["Location"] == url
    assert (activation.correction, activation.title) == (
        {"title": "КУПИТЕ СЛОНА"},
        "Опубликованное",
    )
    assert "изменила исправление" in text_of(organiser_client.get(url))
