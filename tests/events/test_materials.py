import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import Material
from tests.factories import EditionFactory, MaterialFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"0" * 1527  # 1.5 KB, as MaterialFactory makes


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


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
