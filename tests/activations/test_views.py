import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from activations import emails
from activations.models import Activation
from qualityweek import links
from tests.activations.conftest import FORM, jpeg_bytes
from tests.factories import ActivationFactory, region
from tests.images import thumbnail_src
from tests.pages import text_of
from tests.spam import shown

pytestmark = pytest.mark.django_db
NEW = "/activations/new/"


@pytest.fixture
def ready(edition_2023, activation_consent, clock, media):
    return edition_2023


def errors_of(response) -> dict:
    """The message shown at each field, as the visitor reads it."""
    form = response.context["form"]
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}


def test_new_form_shows_the_activation_consent_as_paragraphs(client, ready):
    html = client.get(NEW).content.decode()

    assert "<p>Согласие на обработку данных для активации.</p>" in html
    assert "Редакция 2023-A1" in html
    assert "&lt;p&gt;" not in html


def test_new_form_without_an_activation_consent_says_it_cannot_take_entries(
    client, edition_2023, clock
):
    response = client.get(NEW)

    assert "не опубликовали текст согласия для активаций" in text_of(response)
    assert response.context["taking"] is False


def test_submit_stores_a_pending_activation_and_sends_a_receipt(
    client, ready, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, FORM)

    activation = Activation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "/activations/sent/"
    assert (activation.status, activation.email, activation.phone) == (
        "pending",
        "anna.petrova@example.ru",
        "+79161234567",
    )
    assert (activation.first_day, activation.last_day) == (
        datetime.date(2023, 11, 9),
        datetime.date(2023, 11, 10),
    )
    assert activation.consent_text.version == "2023-A1"
    assert [m.subject for m in mailoutbox] == [
        "Мы получили вашу активацию: День открытых дверей в метрологической лаборатории"
    ]
    assert "/activations/edit/" in mailoutbox[0].body


def test_submit_in_english_writes_in_english(
    client, ready, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en" + NEW, FORM)

    assert Activation.objects.get().language == "en"
    assert mailoutbox[0].subject.startswith("We have received your activation: ")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("company_name", "", "Укажите название компании."),
        ("inn", "", "Укажите ИНН компании."),
        (
            "inn",
            "12345",
            "ИНН состоит из 10 цифр (организация) или 12 (предприниматель).",
        ),
        (
            "inn",
            "7707083894",
            "Такого ИНН не существует: не сходятся контрольные цифры. Проверьте его.",
        ),
        ("region", "", "Выберите регион, где проходит активация."),
        ("region", "99", "Выберите регион из списка."),
        ("city", "", "Укажите город или населённый пункт."),
        ("kind", "", "Выберите вид активации."),
        ("title", "", "Дайте активации название."),
        ("description", "", "Опишите активацию."),
        ("first_day", "", "Выберите день начала."),
        ("last_day", "2023-11-08", "Последний день не может быть раньше первого."),
        ("contact_name", "", "Укажите имя контактного лица."),
        ("email", "", "Укажите адрес электронной почты."),
        ("email", "anna@", "Укажите адрес электронной почты в виде name@example.ru."),
        ("phone", "", "Укажите номер телефона."),
        ("phone", "12", "Укажите номер телефона, например +7 916 123-45-67."),
        ("website", "not a link", "Укажите ссылку, например https://example.ru."),
        (
            "consent",
            "",
            "Для активации нужно ваше согласие на обработку персональных данных.",
        ),
    ],
)
def test_submit_with_a_bad_field_shows_the_error_there_and_keeps_the_rest(
    client, ready, field, value, message
):
    with_error = {**FORM, field: value}

    response = client.post(NEW, with_error)

    assert response.status_code == 200
    assert list(errors_of(response)) == [field]
    assert errors_of(response)[field] == [message]
    assert FORM["address"] in response.content.decode()
    assert Activation.objects.count() == 0


def test_submit_outside_the_week_is_refused_at_the_day(client, ready):
    response = client.post(NEW, {**FORM, "first_day": "2023-11-20"})

    assert list(errors_of(response)) == ["first_day"]


def test_submit_without_address_or_link_asks_for_one(client, ready):
    response = client.post(NEW, {**FORM, "address": ""})

    assert errors_of(response) == {
        "address": ["Укажите адрес, ссылку для онлайн-участия или и то и другое."]
    }


def test_submit_online_only_is_stored_as_online(client, ready):
    client.post(NEW, {**FORM, "address": "", "online_url": "https://live.example.ru"})

    assert Activation.objects.get().format == "online"


def test_submit_with_an_image_stores_it_reencoded_under_a_random_name(
    client, ready, media
):
    upload = SimpleUploadedFile("Мой завод GPS.jpg", jpeg_bytes(), "image/jpeg")

    client.post(NEW, {**FORM, "image": upload})

    activation = Activation.objects.get()
    assert re.fullmatch(r"activations/[0-9a-f]{32}\.jpg", activation.image.name)
    with Image.open(media / activation.image.name) as stored:
        assert (stored.size, dict(stored.getexif())) == ((640, 480), {})


def test_submit_with_a_bad_image_explains_and_stores_nothing(client, ready, media):
    upload = SimpleUploadedFile("photo.jpg", b"not an image at all", "image/jpeg")

    response = client.post(NEW, {**FORM, "image": upload})

    assert errors_of(response) == {
        "image": ["Этот файл — не изображение JPEG, PNG или WebP."]
    }
    assert list(media.rglob("*.*")) == []
    assert Activation.objects.count() == 0


def test_submit_with_a_good_image_and_another_error_asks_to_attach_it_again(
    client, ready, media
):
    upload = SimpleUploadedFile("photo.jpg", jpeg_bytes(), "image/jpeg")

    response = client.post(NEW, {**FORM, "title": "", "image": upload})

    assert errors_of(response)["image"] == [
        "Изображение в порядке, но в форме есть другие ошибки: прикрепите его снова "
        "перед отправкой."
    ]
    assert list(media.rglob("*.*")) == []


def test_submit_caught_by_the_honeypot_stores_nothing(client, ready):
    response = client.post(NEW, {**FORM, "homepage": "http://spam.example"})

    assert response["Location"] == "/activations/sent/"
    assert Activation.objects.count() == 0


def one_render_of_the_form() -> dict:
    """What the same page of the form sends each time its button is pressed."""
    return {**FORM, **shown(), "submission_key": "5f0e4c1a9b7d4e2f8a6c3b1d0e9f7a5c"}


def test_submit_double_clicked_stores_one_activation_and_answers_the_same(
    client, ready, mailoutbox, django_capture_on_commit_callbacks
):
    sent = one_render_of_the_form()

    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post(NEW, sent) for _ in range(2)]

    assert [answer["Location"] for answer in answers] == ["/activations/sent/"] * 2
    assert Activation.objects.count() == 1
    assert len(mailoutbox) == 1


def test_submit_double_clicked_with_the_cache_down_stores_one_activation(
    client, ready, settings, mailoutbox, django_capture_on_commit_callbacks
):
    # Without a cache the stamp cannot be single-use: the key alone tells.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }
    sent = one_render_of_the_form()

    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post(NEW, sent) for _ in range(2)]

    assert [answer["Location"] for answer in answers] == ["/activations/sent/"] * 2
    assert Activation.objects.get().submission_key.hex == sent["submission_key"]
    assert len(mailoutbox) == 1


def test_submit_with_a_render_stamp_used_before_stores_nothing(client, ready):
    stamp = shown()
    client.post(NEW, {**FORM, **stamp})

    replay = client.post(NEW, {**FORM, **stamp, "email": "robot@example.ru"})

    assert replay["Location"] == "/activations/sent/"
    assert list(Activation.objects.values_list("email", flat=True)) == [
        "anna.petrova@example.ru"
    ]


def test_submit_refused_over_the_rate_can_be_sent_again_from_the_same_page(
    client, ready, settings
):
    sent = one_render_of_the_form()
    settings.QUALITYWEEK_ACTIVATION_EMAIL_RATE = "0/h"
    refused = client.post(NEW, sent)
    settings.QUALITYWEEK_ACTIVATION_EMAIL_RATE = "5/h"

    again = client.post(NEW, sent)

    assert (refused.status_code, again["Location"]) == (429, "/activations/sent/")
    assert Activation.objects.count() == 1


def test_submit_past_the_rate_is_refused_with_a_message(client, ready, settings):
    settings.QUALITYWEEK_ACTIVATION_RATE = "2/h"
    for number in range(2):
        client.post(NEW, {**FORM, "email": f"a{number}@example.ru"})

    response = client.post(NEW, FORM)

    assert response.status_code == 429
    assert "слишком много активаций" in text_of(response)
    assert Activation.objects.count() == 2


def test_submit_from_one_office_address_is_taken_many_times(client, ready):
    for number in range(12):
        response = client.post(NEW, {**FORM, "email": f"a{number}@example.ru"})
        assert response.status_code == 302, number

    assert Activation.objects.count() == 12


def test_submit_same_email_too_often_is_refused_with_a_message(client, ready):
    for number in range(5):
        Client(REMOTE_ADDR=f"192.0.2.{number}").post(NEW, FORM)

    response = Client(REMOTE_ADDR="192.0.2.9").post(NEW, FORM)

    assert response.status_code == 429
    assert (
        "С этим адресом электронной почты пришло слишком много активаций. "
        "Пожалуйста, попробуйте через час." in text_of(response)
    )
    assert Activation.objects.count() == 5


def test_submit_sent_at_once_after_the_page_stores_nothing(client, ready):
    html = client.get(NEW).content.decode()
    stamp = re.search(r'name="rendered" value="([^"]+)"', html).group(1)

    response = client.post(NEW, {**FORM, "rendered": stamp})

    assert response["Location"] == "/activations/sent/"
    assert Activation.objects.count() == 0


def test_submit_without_a_render_time_stores_nothing(client, ready):
    data = {key: value for key, value in FORM.items() if key != "rendered"}

    response = client.post(NEW, data)

    assert response["Location"] == "/activations/sent/"
    assert Activation.objects.count() == 0


# The public list and page


def test_list_shows_approved_activations_of_the_edition_only(client, edition_2023):
    shown = ActivationFactory(edition=edition_2023, title="Открытый цех")
    ActivationFactory(edition=edition_2023, pending=True, title="На проверке")
    ActivationFactory(edition=edition_2023, rejected=True, title="Отклонённая")

    page = text_of(client.get("/activations/"))

    assert "Открытый цех" in page
    assert shown.company_name in page
    assert "На проверке" not in page
    assert "Отклонённая" not in page
    assert "1 активация" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?region=43", ["Киров"]),
        ("?region=77", ["Москва"]),
        ("?kind=contest", ["Москва"]),
        ("?day=2023-11-07", ["Москва"]),
        ("?q=кировский", ["Киров"]),
    ],
)
def test_list_filters_by_region_kind_day_and_text(
    client, edition_2023, query, expected
):
    ActivationFactory(
        edition=edition_2023, title="Киров: цех", description="Кировский завод"
    )
    ActivationFactory(
        edition=edition_2023,
        title="Москва: конкурс",
        region=region("77"),
        city="Москва",
        kind="contest",
        first_day=datetime.date(2023, 11, 6),
        last_day=datetime.date(2023, 11, 8),
    )

    response = client.get("/activations/" + query)

    titles = [a.title.split(":")[0] for a in response.context["activations"]]
    assert titles == expected


def test_list_pages_by_twelve(client, edition_2023):
    ActivationFactory.create_batch(13, edition=edition_2023)

    first = client.get("/activations/")
    second = client.get("/activations/?page=2")

    assert (len(first.context["activations"]), len(second.context["activations"])) == (
        12,
        1,
    )


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow(
    client, edition_2023, count, django_assert_num_queries
):
    ActivationFactory.create_batch(count, edition=edition_2023)

    # The programme revision (the page's cache key), the edition, the regions for
    # the filter, the activations with their regions.
    # Two name the operator and the official sites in the footer.
    with django_assert_num_queries(6):
        client.get("/activations/")


def test_detail_shows_what_who_where_when_but_never_the_contact(client, edition_2023):
    activation = ActivationFactory(
        edition=edition_2023,
        website="https://zavod.example.ru",
        email="secret.contact@example.ru",
        phone="+79160000001",
        contact_name="Секретное Имя",
    )

    page = text_of(client.get(activation.get_absolute_url()))
    html = client.get(activation.get_absolute_url()).content.decode()

    assert activation.title in page
    assert "Четверг, 9 ноября 2023, весь день" in page
    assert "Киров, ул. Ленина, 1" in page
    assert 'href="https://zavod.example.ru"' in html
    assert "secret.contact" not in html
    assert "+79160000001" not in html
    assert "Секретное Имя" not in html


def test_detail_shares_the_activation_photo_in_link_previews(
    client, edition_2023, media
):
    activation = ActivationFactory(
        edition=edition_2023,
        image=SimpleUploadedFile("photo.jpg", jpeg_bytes(), "image/jpeg"),
    )

    html = client.get(activation.get_absolute_url()).content.decode()

    image_url = f"http://testserver/media/{activation.image.name}"
    assert f'<meta property="og:image" content="{image_url}">' in html
    assert '<meta property="og:image:width" content="640">' in html
    assert '<meta property="og:image:height" content="480">' in html


def test_detail_without_a_photo_shares_its_card(client, edition_2023):
    activation = ActivationFactory(edition=edition_2023, slug="open-day")

    html = client.get(activation.get_absolute_url()).content.decode()

    assert (
        '<meta property="og:image" '
        'content="http://testserver/activations/open-day/card.png">'
    ) in html
    assert '<meta property="og:image:width" content="1200">' in html
    assert "og-default" not in html


def test_detail_of_a_pending_activation_is_not_found(client, edition_2023):
    activation = ActivationFactory(edition=edition_2023, pending=True)

    assert client.get(activation.get_absolute_url()).status_code == 404


def test_ics_holds_the_activation_as_whole_days(client, edition_2023):
    activation = ActivationFactory(
        edition=edition_2023, last_day=datetime.date(2023, 11, 10)
    )

    body = client.get(f"/activations/{activation.slug}.ics").content.decode()

    assert f"UID:activation-{activation.pk}@" in body
    assert "DTSTART;VALUE=DATE:20231109" in body
    assert "DTEND;VALUE=DATE:20231111" in body
    assert "CATEGORIES:Активация компании" in body
    assert activation.email not in body


# The submitter's edit link


def edit_path(activation) -> str:
    return emails.edit_url(activation).removeprefix("http://127.0.0.1:8000")


def with_image(activation, size=(640, 480)) -> str:
    """The activation with an image, as the submission form stored it."""
    from django.core.files.base import ContentFile

    activation.image.save("x.jpg", ContentFile(jpeg_bytes(size)), save=True)
    return activation.image.name


@pytest.mark.parametrize("status", ["pending", "approved", "rejected"])
def test_edit_through_the_letters_link_keeps_the_image_it_does_not_replace(
    client,
    edition_2023,
    clock,
    media,
    mailoutbox,
    status,
    django_capture_on_commit_callbacks,
):
    """The letter's link, a corrected description, no new image: once a 500 that
    deleted the image (the stored file was taken for a new upload)."""
    activation = ActivationFactory(edition=edition_2023, status=status)
    name = with_image(activation)
    path = edit_path(activation)
    form = client.get(path).context["form"]
    data = {**FORM, **{k: v for k, v in form.initial.items() if k in FORM}}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {**data, "description": "Без опечатки."})

    activation.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, path + "?saved=1")
    assert (activation.image.name, (media / name).exists()) == (name, True)
    assert len(mailoutbox) == 1
    page = client.get(activation.get_absolute_url())
    if status == "approved":
        assert thumbnail_src(name) in page.content.decode()


def test_edit_of_an_approved_activation_keeps_it_published_until_approved(
    client, edition_2023, clock, mailoutbox, django_capture_on_commit_callbacks
):
    activation = ActivationFactory(edition=edition_2023, title="Старое название")
    path = edit_path(activation)
    page = client.get(path)
    assert "пока они его не одобрят, на сайте остаётся опубликованная версия" in (
        text_of(page)
    )

    data = {**FORM, "title": "Новое название"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, data)

    activation.refresh_from_db()
    assert response["Location"] == path + "?saved=1"
    assert (activation.title, activation.status) == ("Старое название", "approved")
    assert "Старое название" in text_of(client.get(activation.get_absolute_url()))
    saved = client.get(response["Location"])
    shown = text_of(saved)
    assert "Сохранено. Исправление отправлено организаторам" in shown
    assert "ждёт модерации" in shown
    assert "остаётся опубликованная версия" in shown
    assert saved.context["form"]["title"].value() == "Новое название"
    assert [m.subject for m in mailoutbox] == [
        "Мы получили ваше исправление: Старое название"
    ]


def test_edit_page_says_why_the_last_correction_was_not_accepted(
    client, edition_2023, clock
):
    activation = ActivationFactory(
        edition=edition_2023, correction_rejection_reason="Это реклама."
    )

    shown = text_of(client.get(edit_path(activation)))

    assert "Организаторы не приняли ваше последнее исправление: Это реклама." in shown


def test_edit_page_shows_the_image_itself_not_its_file_name(
    client, edition_2023, clock, media
):
    activation = ActivationFactory(edition=edition_2023, pending=True)
    name = with_image(activation)

    html = client.get(edit_path(activation)).content.decode()

    assert f'<img src="/media/{name}" alt="" width="640" height="480">' in html
    assert f">{name}<" not in html
    assert 'name="remove_image"' in html


def test_edit_with_remove_image_removes_it(
    client, edition_2023, clock, media, django_capture_on_commit_callbacks
):
    activation = ActivationFactory(edition=edition_2023, pending=True)
    name = with_image(activation)
    path = edit_path(activation)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {**FORM, "remove_image": "on"})

    activation.refresh_from_db()
    assert (activation.image.name, (media / name).exists()) == ("", False)


def test_edit_of_a_rejected_activation_shows_the_reason(client, edition_2023, clock):
    activation = ActivationFactory(
        edition=edition_2023, rejected=True, rejection_reason="Нет даты."
    )

    assert "Нет даты." in text_of(client.get(edit_path(activation)))


def test_edit_link_after_its_days_has_expired(client, edition_2023, clock, settings):
    activation = ActivationFactory(edition=edition_2023)
    path = edit_path(activation)
    clock("2024-01-01T10:00+03:00")  # 61 days later

    response = client.get(path)

    assert response.status_code == 410
    assert "действует 60 дней" in text_of(response)


def test_edit_link_tampered_is_refused(client, edition_2023, clock):
    activation = ActivationFactory(edition=edition_2023)
    signed = links.sign(activation.edit_key, salt="registrations.confirm")

    response = client.get(f"/activations/edit/{signed}/")

    assert response.status_code == 400
    assert "Ссылка неполная или изменена" in text_of(response)


def test_sitemap_lists_approved_activations_only(client, edition_2023):
    shown = ActivationFactory(edition=edition_2023)
    hidden = ActivationFactory(edition=edition_2023, pending=True)

    xml = client.get("/sitemap.xml").content.decode()

    assert f"http://testserver/activations/{shown.slug}/" in xml
    assert f"/activations/{hidden.slug}/" not in xml


def test_list_from_the_cache_shows_a_new_approval_at_once(client, edition_2023, clock):
    from activations import services

    ActivationFactory(edition=edition_2023, title="Первая")
    client.get("/activations/")
    later = ActivationFactory(edition=edition_2023, pending=True, title="Вторая")

    services.approve(later)

    assert "Вторая" in text_of(client.get("/activations/"))


def test_detail_from_the_cache_shows_a_correction_once_approved(
    client, edition_2023, clock
):
    from activations import services

    activation = ActivationFactory(edition=edition_2023, title="Прежнее")
    client.get(activation.get_absolute_url())
    data = {f: getattr(activation, f) for f in services.SUBMITTED_FIELDS}
    services.update(activation, {**data, "title": "Другое"})
    assert "Прежнее" in text_of(client.get(activation.get_absolute_url()))

    services.approve_correction(activation)

    assert "Другое" in text_of(client.get(activation.get_absolute_url()))
