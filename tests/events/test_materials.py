import re
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import Material
from tests.factories import EditionFactory, MaterialFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"0" * 1527  # 1.5 KB, as MaterialFactory makes


@pytest.fixture
def kit(clock, edition_2023):
    """Two published materials of 2023 listed out of creation order, a draft,
    and one of an earlier edition."""
    return {
        "brandbook": MaterialFactory(
            edition=edition_2023,
            title="Брендбук Недели качества",
            title_en="Quality Week brand book",
            description="Логотип, цвета и шрифты.",
            description_en="Logo, colours and typefaces.",
            position=2,
        ),
        "logo": MaterialFactory(
            edition=edition_2023,
            title="Логотип Дня качества",
            title_en="",
            file__filename="logo.svg",
            file__data=b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            position=1,
        ),
        "draft": MaterialFactory(
            edition=edition_2023, title="Черновик плаката", unpublished=True
        ),
        "old": MaterialFactory(
            edition=EditionFactory(year=2022), title="Брендбук 2022 года"
        ),
    }


def material_titles(response) -> list[str]:
    return re.findall(
        r'<h2 class="material-title">([^<]*)</h2>', response.content.decode()
    )


def admin_upload(client, edition, name, data, **fields):
    return client.post(
        "/admin/events/material/add/",
        {
            "edition": edition.pk,
            "title": "Брендбук",
            "file": SimpleUploadedFile(name, data),
            "position": 0,
            "is_published": "on",
            **fields,
        },
    )


# The list


def test_material_list_shows_published_materials_of_current_edition_in_order(
    client, kit
):
    response = client.get("/materials/")

    assert response.status_code == 200
    assert material_titles(response) == [
        "Логотип Дня качества",
        "Брендбук Недели качества",
    ]


def test_material_list_in_english_shows_english_titles_or_the_russian_ones(client, kit):
    response = client.get("/en/materials/")

    assert material_titles(response) == [
        "Логотип Дня качества",
        "Quality Week brand book",
    ]
    assert "Logo, colours and typefaces." in text_of(response)
    assert response.headers["Content-Language"] == "en"


def test_material_list_shows_format_size_description_and_download_link(client, kit):
    response = client.get("/materials/")

    page = text_of(response)
    html = response.content.decode()
    assert "Логотип, цвета и шрифты. PDF · 1,5 КБ" in page
    assert "SVG · 41 байт" in page
    assert f'href="/materials/{kit["brandbook"].pk}/download/"' in html
    assert "Скачать : Брендбук Недели качества" in page


def test_material_list_with_contact_email_shows_the_feedback_address(
    client, clock, edition_2023
):
    edition_2023.contact_email = "quality-week@example.ru"
    edition_2023.save()

    response = client.get("/materials/")

    assert (
        "За информационными материалами, макетами и консультациями пишите на "
        "quality-week@example.ru ."  # text_of() leaves a space where the link ends
    ) in text_of(response)
    assert 'href="mailto:quality-week@example.ru"' in response.content.decode()


def test_material_list_without_contact_email_says_it_will_be_published(
    client, clock, edition_2023
):
    response = client.get("/materials/")

    assert (
        "Адрес для запросов информационных материалов, макетов и консультаций "
        "организаторы опубликуют здесь."
    ) in text_of(response)
    assert "mailto:" not in response.content.decode()


def test_material_list_without_published_materials_says_so(client, clock, edition_2023):
    MaterialFactory(edition=edition_2023, unpublished=True)

    response = client.get("/materials/")

    assert material_titles(response) == []
    assert "Организаторы ещё не опубликовали материалы." in text_of(response)


def test_material_list_in_english_without_materials_says_so(
    client, clock, edition_2023
):
    response = client.get("/en/materials/")

    assert "The organisers have not published any materials yet." in text_of(response)


def test_material_list_query_count_does_not_grow_with_materials(
    client, clock, edition_2023, django_assert_num_queries, settings
):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    }

    created = 0
    for total in (1, 3):
        MaterialFactory.create_batch(total - created, edition=edition_2023)
        created = total
        # The revision, the current edition, the materials.
        # Two name the operator and the official sites in the footer.
        with django_assert_num_queries(5):
            response = client.get("/materials/")
        assert len(material_titles(response)) == total


def test_material_list_cached_page_shows_a_new_material_at_once(
    client, clock, edition_2023
):
    client.get("/materials/")

    MaterialFactory(edition=edition_2023, title="Новый плакат")

    assert material_titles(client.get("/materials/")) == ["Новый плакат"]


def test_material_list_without_edition_is_404(client, db):
    assert client.get("/materials/").status_code == 404


# Links to the list


def test_home_with_published_materials_links_to_them(client, kit):
    response = client.get("/")

    assert (
        '<a class="btn btn-light" href="/materials/">'
        '<svg class="bi" aria-hidden="true" width="1em" height="1em"'
        ' fill="currentColor"><use href="/static/img/icons.svg#download"></use></svg> '
        "Скачать фирменный стиль и материалы</a>"
    ) in response.content.decode()


def test_home_without_published_materials_has_no_download_button(
    client, clock, edition_2023
):
    MaterialFactory(edition=edition_2023, unpublished=True)

    response = client.get("/")

    assert "Скачать фирменный стиль и материалы" not in text_of(response)


def test_home_cached_page_shows_the_button_once_a_material_is_published(
    client, clock, edition_2023
):
    draft = MaterialFactory(edition=edition_2023, unpublished=True)
    client.get("/")

    draft.is_published = True
    draft.save()

    assert "Скачать фирменный стиль и материалы" in text_of(client.get("/"))


def test_footer_links_to_the_materials(client, clock, edition_2023):
    html = client.get("/schedule/").content.decode()

    assert '<a href="/materials/">Фирменный стиль и материалы</a>' in html


def test_sitemap_lists_the_materials_page_in_both_languages(client, kit):
    xml = client.get("/sitemap.xml").content.decode()

    assert "<loc>http://testserver/materials/</loc>" in xml
    assert "<loc>http://testserver/en/materials/</loc>" in xml


# Downloads


def test_material_download_streams_the_file_under_its_title(client, kit):
    material = kit["brandbook"]

    response = client.get(f"/materials/{material.pk}/download/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == "1536"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"material-{material.pk}.pdf\"; filename*=UTF-8''"
        + quote("Брендбук Недели качества.pdf")
    )
    assert b"".join(response.streaming_content) == PDF


def test_material_download_in_english_is_named_in_english(client, kit):
    material = kit["brandbook"]

    response = client.get(f"/en/materials/{material.pk}/download/")

    assert response["Content-Disposition"] == (
        f"attachment; filename=\"material-{material.pk}.pdf\"; filename*=UTF-8''"
        + quote("Quality Week brand book.pdf")
    )


def test_material_download_of_an_earlier_edition_is_served(client, kit):
    response = client.get(f"/materials/{kit['old'].pk}/download/")

    assert (response.status_code, b"".join(response.streaming_content)) == (
        200,
        PDF,
    )


def test_material_download_unpublished_is_404(client, kit):
    response = client.get(f"/materials/{kit['draft'].pk}/download/")

    assert response.status_code == 404


def test_material_download_unknown_is_404(client, kit):
    assert client.get("/materials/999999/download/").status_code == 404


def test_material_download_with_file_gone_from_storage_is_404(client, kit):
    kit["brandbook"].file.storage.delete(kit["brandbook"].file.name)

    response = client.get(f"/materials/{kit['brandbook'].pk}/download/")

    assert response.status_code == 404


def test_material_download_refuses_post(client, kit):
    response = client.post(f"/materials/{kit['brandbook'].pk}/download/")

    assert response.status_code == 405


# Admin


def test_organisers_group_can_publish_materials():
    codenames = set(
        Group.objects.get(name="Organisers").permissions.values_list(
            "codename", flat=True
        )
    )

    assert {
        "add_material",
        "change_material",
        "delete_material",
        "view_material",
    } <= codenames


def test_material_admin_with_good_file_saves_it_with_its_size(
    organiser_client, edition_2023, tmp_path
):
    response = admin_upload(organiser_client, edition_2023, "Брендбук.pdf", PDF)

    material = Material.objects.get()
    assert response.status_code == 302
    assert (material.title, material.size, material.is_published) == (
        "Брендбук",
        1536,
        True,
    )
    assert material.file.name.startswith("materials/")
    assert (tmp_path / material.file.name).read_bytes() == PDF


def test_material_admin_stores_the_file_under_a_random_name_downloaded_as_its_title(
    organiser_client, client, clock, edition_2023, tmp_path
):
    admin_upload(
        organiser_client,
        edition_2023,
        "Плакат_2024_черновик.PDF",
        PDF,
        title="Плакат Дня качества",
    )

    material = Material.objects.get()
    response = client.get(f"/materials/{material.pk}/download/")
    assert re.fullmatch(r"materials/[0-9a-f]{32}\.pdf", material.file.name)
    assert "черновик" not in material.file.name
    assert (tmp_path / material.file.name).read_bytes() == PDF
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"material-{material.pk}.pdf\"; filename*=UTF-8''"
        + quote("Плакат Дня качества.pdf")
    )


def test_material_admin_with_disallowed_extension_says_so_and_stores_nothing(
    organiser_client, edition_2023, tmp_path
):
    response = admin_upload(organiser_client, edition_2023, "setup.exe", b"MZ")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"] == [
        "Файлы типа «exe» публиковать нельзя. Допустимые типы: pdf, zip, rar, 7z, "
        "png, jpg, jpeg, tif, tiff, svg, ai, eps, cdr, psd, docx, pptx, xlsx, odt, "
        "odp, ods."
    ]
    assert Material.objects.count() == 0
    assert list(tmp_path.rglob("*")) == []


def test_material_admin_with_oversize_file_says_so_and_stores_nothing(
    organiser_client, edition_2023, tmp_path, settings
):
    settings.QUALITYWEEK_MATERIAL_MAX_BYTES = 1024

    response = admin_upload(organiser_client, edition_2023, "brandbook.pdf", PDF)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"] == [
        "Файл весит 1,5\xa0КБ, а материал может весить не больше 1,0\xa0КБ."
    ]
    assert Material.objects.count() == 0
    assert list(tmp_path.rglob("*")) == []


def test_material_admin_edit_keeps_a_file_stored_under_a_larger_limit(
    organiser_client, kit, settings
):
    settings.QUALITYWEEK_MATERIAL_MAX_BYTES = 1024
    material = kit["brandbook"]

    response = organiser_client.post(
        f"/admin/events/material/{material.pk}/change/",
        {
            "edition": material.edition_id,
            "title": "Брендбук, версия 2",
            "position": 2,
            "is_published": "on",
        },
    )

    material.refresh_from_db()
    assert response.status_code == 302
    assert (material.title, material.size) == ("Брендбук, версия 2", 1536)


def test_material_admin_form_names_the_allowed_types_and_the_limit(
    organiser_client, edition_2023, settings
):
    settings.QUALITYWEEK_MATERIAL_MAX_BYTES = 200 * 1024 * 1024

    response = organiser_client.get("/admin/events/material/add/")

    assert response.context["adminform"].form.fields["file"].help_text == (
        "Допустимые типы: pdf, zip, rar, 7z, png, jpg, jpeg, tif, tiff, svg, ai, "
        "eps, cdr, psd, docx, pptx, xlsx, odt, odp, ods. Не больше 200,0\xa0МБ."
    )
    assert response.context["adminform"].form.initial["edition"] == edition_2023


def test_material_admin_list_shows_format_size_and_edition(organiser_client, kit):
    response = organiser_client.get("/admin/events/material/")

    rows = re.findall(
        r'<td class="field-file_format">([^<]*)</td>'
        r'<td class="field-file_size">([^<]*)</td>',
        response.content.decode(),
    )
    assert sorted(rows) == [
        ("PDF", "1,5\xa0КБ"),
        ("PDF", "1,5\xa0КБ"),
        ("PDF", "1,5\xa0КБ"),
        ("SVG", "41\xa0байт"),
    ]
