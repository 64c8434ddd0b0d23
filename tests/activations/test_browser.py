"""A business announces an activation in Chromium, and corrects it once published;
an organiser approves each."""

import os
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.management import call_command

from activations import emails
from activations.models import Activation
from events.models import Edition
from tests.activations.conftest import jpeg_bytes
from tests.factories import ActivationFactory
from tests.images import upload
from tests.pages import sign_in_to_admin

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def shipped_week(clock, settings, live_server, tmp_path):
    settings.QUALITYWEEK_SITE_URL = live_server.url
    # Playwright fills a form faster than any person; the stamp still round-trips.
    settings.QUALITYWEEK_FORM_MIN_SECONDS = 0
    call_command("loaddata", "quality_week_2023", verbosity=0)


def test_business_submits_an_activation_that_an_organiser_approves(
    page, live_server, shipped_week, mailoutbox, tmp_path
):
    photo = tmp_path / "zavod.jpg"
    photo.write_bytes(jpeg_bytes((1200, 800)))
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Заявить свою активацию").first.click()
    page.wait_for_url(re.compile(r"/activations/new/$"))

    page.get_by_label("Компания*", exact=True).fill("АО «Вятские измерения»")
    page.get_by_label("ИНН*", exact=True).fill("7707083893")
    page.get_by_label("Регион*", exact=True).select_option(label="Кировская область")
    page.get_by_label("Город или населённый пункт*", exact=True).fill("Киров")
    page.get_by_label("Вид активации*", exact=True).select_option("excursion")
    page.get_by_label("Название*", exact=True).fill("Экскурсия в лабораторию")
    page.get_by_label(re.compile("Что будет, для кого")).fill(
        "Покажем, как поверяют весы."
    )
    page.get_by_label("Первый день*", exact=True).select_option("2023-11-09")
    page.get_by_label("Адрес", exact=True).fill("Киров, ул. Производственная, 7")
    page.get_by_label("Изображение", exact=True).set_input_files(str(photo))
    page.get_by_label("Контактное лицо*", exact=True).fill("Анна Петрова")
    page.get_by_label("Электронная почта*", exact=True).fill("anna@example.ru")
    page.get_by_label("Телефон*", exact=True).fill("+7 916 123-45-67")
    page.get_by_role("checkbox", name=re.compile("Я даю согласие")).check()
    page.get_by_role("button", name="Отправить на модерацию").click()

    page.wait_for_url(re.compile(r"/activations/sent/(#activation-form)?$"))
    assert page.locator("h1").inner_text() == "Активация отправлена"
    activation = Activation.objects.get()
    assert activation.status == "pending"
    assert [m.to for m in mailoutbox] == [["anna@example.ru"]]

    organiser = User.objects.create_user(
        "organiser", password="quality-week-2023-door", is_staff=True
    )
    organiser.groups.add(Group.objects.get(name="Organisers"))
    page.goto(live_server.url + "/admin/activations/activation/")
    page.get_by_label("Имя пользователя").fill("organiser")
    page.get_by_label("Пароль").fill("quality-week-2023-door")
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(re.compile(r"/admin/activations/activation/$"))
    page.locator(f'input[name="_selected_action"][value="{activation.pk}"]').check()
    page.locator('select[name="action"]').select_option("approve")
    page.get_by_role("button", name="Выполнить").click()
    page.wait_for_selector(".messagelist")
    page.context.clear_cookies()

    page.goto(live_server.url + "/activations/")
    assert page.locator(".activation-title").all_inner_texts() == [
        "Экскурсия в лабораторию"
    ]
    page.get_by_role("link", name="Экскурсия в лабораторию").click()
    # The page shows the photo's thumbnail for this screen, never the original.
    assert photo_shown(page) == Activation.objects.get().image.name.split(".")[0]
    assert "anna@example.ru" not in page.content()

    page.goto(live_server.url + "/schedule/?kind=activation")
    assert "Экскурсия в лабораторию" in page.locator(".event-title").all_inner_texts()
    feed = page.request.get(live_server.url + "/calendar.ics").text()
    assert "SUMMARY:Экскурсия в лабораторию" in feed
    assert page.outside_requests == []


def shot(page, name: str) -> None:
    """A full-page screenshot where QUALITYWEEK_SHOTS says, at this width."""
    if os.environ.get("QUALITYWEEK_SHOTS"):
        width = page.viewport_size["width"]
        page.screenshot(
            path=os.path.join(os.environ["QUALITYWEEK_SHOTS"], f"{name}-{width}.png"),
            full_page=True,
        )


def photo_shown(page) -> str:
    """The stored name, less its extension, of the photo whose thumbnail the
    activation page draws."""
    natural_width(page, ".activation-photo")
    source = page.locator(".activation-photo").evaluate("img => img.currentSrc")
    name, thumbnail = source.split("/media/")[1].rsplit("-", 1)
    assert thumbnail.startswith("w") and thumbnail.endswith(".webp")
    return name


def natural_width(page, selector: str) -> int:
    image = page.locator(selector)
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    return image.evaluate("img => img.naturalWidth")


def test_business_corrects_its_published_activation_and_keeps_its_photo(
    page, live_server, shipped_week, organiser, tmp_path
):
    activation = ActivationFactory(
        edition=Edition.objects.get(year=2023),
        title="Экскурсия в лабораторию",
        description="Покажем, как поверяют весы.",
    )
    activation.image.save("x.jpg", ContentFile(jpeg_bytes((1200, 800))), save=True)
    first_photo = tmp_path / activation.image.name
    page.goto(emails.edit_url(activation))

    # A typo fixed, no new photo: once a 500 that deleted the photo.
    assert natural_width(page, ".activation-current-image img") == 1200
    page.get_by_label(re.compile("Что будет, для кого")).fill(
        "Покажем, как поверяют весы и манометры."
    )
    page.get_by_role("button", name="Сохранить и отправить на модерацию").click()
    page.wait_for_url(re.compile(r"\?saved=1(#activation-form)?$"))
    assert page.locator(".alert-success").inner_text().startswith("Сохранено.")
    note = page.locator(".correction-note")
    assert "ждёт модерации" in note.inner_text()
    assert "остаётся опубликованная версия" in note.inner_text()
    shot(page, "activation-edit-awaiting")

    page.goto(live_server.url + activation.get_absolute_url())
    assert photo_shown(page) == activation.image.name.split(".")[0]
    assert "манометры" not in page.locator(".event-description").inner_text()
    assert first_photo.exists()

    # Then a new photo, still waiting beside the published one.
    photo = tmp_path / "new-photo.jpg"
    photo.write_bytes(jpeg_bytes((800, 600), (20, 90, 160)))
    page.goto(emails.edit_url(activation))
    page.get_by_label("Изображение", exact=True).set_input_files(str(photo))
    page.get_by_role("button", name="Сохранить и отправить на модерацию").click()
    page.wait_for_url(re.compile(r"\?saved=1(#activation-form)?$"))
    assert natural_width(page, ".activation-current-image img") == 800
    shot(page, "activation-edit-new-photo")
    page.goto(live_server.url + activation.get_absolute_url())
    assert photo_shown(page) == activation.image.name.split(".")[0]

    # The organiser compares the two photos and approves.
    sign_in_to_admin(page, live_server.url + "/admin/activations/activation/")
    page.locator('#changelist-filter a[href="?correction=waiting"]').click()
    page.wait_for_url(re.compile(r"\?correction=waiting$"))
    page.get_by_role("link", name="Ждёт модерации").click()
    page.wait_for_url(re.compile(r"/correction/$"))
    thumbnails = page.locator("img.activation-thumbnail")
    assert thumbnails.count() == 2
    assert natural_width(page, "td.correction-old img") == 1200
    assert natural_width(page, "td.correction-new img") == 800
    assert "манометры" in page.locator("td.correction-new ins").inner_text()
    shot(page, "activation-correction-admin")
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("button", name="Одобрить и опубликовать исправление").click()
    page.wait_for_selector(".messagelist")
    # Back on the change form: the published photo is now the new one.
    assert natural_width(page, ".file-upload img.activation-thumbnail") == 800
    shot(page, "activation-change-form")
    page.context.clear_cookies()

    page.goto(live_server.url + activation.get_absolute_url())
    activation.refresh_from_db()
    assert photo_shown(page) == activation.image.name.split(".")[0]
    assert "манометры" in page.locator(".event-description").inner_text()
    assert first_photo.exists() is False
    assert page.outside_requests == []


def test_phone_loads_the_photos_from_their_thumbnails(
    browser, live_server, shipped_week
):
    from qualityweek import images

    photo = images.clean_image(upload("photo.jpg", jpeg_bytes((2400, 1800))))
    for number in range(3):
        activation = ActivationFactory(title=f"Активация {number}")
        activation.image.save("photo.jpg", photo, save=True)
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    media = []
    page.on(
        "response",
        lambda r: media.append(r.url) if "/media/" in r.url else None,
    )

    page.goto(live_server.url + "/activations/", wait_until="networkidle")
    first = page.locator("img.activation-image").first
    first.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => document.querySelector('img.activation-image').complete"
    )
    shown = first.evaluate("img => [img.currentSrc, img.naturalWidth > 0]")
    context.close()

    assert shown[0].endswith("-w400.webp") and shown[1]  # drawn from the thumbnail
    assert media and all(url.endswith("-w400.webp") for url in media), media
