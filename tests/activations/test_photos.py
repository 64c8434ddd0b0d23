"""Activation photos reach pages as WebP thumbnails, made once as they are stored."""

import re
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from activations import services
from qualityweek import images
from tests.activations.conftest import jpeg_bytes
from tests.factories import ActivationFactory
from tests.images import phone_photo

pytestmark = pytest.mark.django_db

BUDGET = 1.5 * 1024 * 1024
PHONE_WIDTH = 375  # CSS px, at 1 device pixel per CSS pixel
ROOT_FONT_PX = 16


def uploaded(content: bytes):
    """An upload as the form hands it on: checked, re-encoded, renamed."""
    return images.clean_image(SimpleUploadedFile("photo.jpg", content, "image/jpeg"))


def thumbnails_of(media, name: str) -> list[str]:
    stem = name.removeprefix("activations/").rsplit(".", 1)[0]
    return sorted(p.name for p in (media / "activations").glob(f"{stem}-w*.webp"))


class Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.found.append(dict(attrs))


def slot_width(sizes: str, viewport: int) -> float:
    """The width in CSS px that `sizes` gives a viewport this wide (the
    `(min-width: Npx)` conditions and px, rem and vw lengths pages use)."""
    for entry in sizes.split(","):
        entry = entry.strip()
        condition = re.match(r"\(min-width: (\d+)px\)\s+(.*)", entry)
        if condition:
            if viewport < int(condition[1]):
                continue
            entry = condition[2]
        number, unit = re.fullmatch(r"([\d.]+)(px|rem|vw)", entry).groups()
        return (
            float(number) * {"px": 1, "rem": ROOT_FONT_PX, "vw": viewport / 100}[unit]
        )
    raise AssertionError(f"No length for {viewport} px in {sizes!r}")


def chosen_url(img: dict, viewport: int, density: float = 1) -> str:
    """The candidate of `srcset` a browser takes: the narrowest that fills the
    slot at this density, else the widest."""
    candidates = sorted(
        (int(width.removesuffix("w")), url)
        for url, width in (c.split() for c in img["srcset"].split(", "))
    )
    needed = slot_width(img["sizes"], viewport) * density
    return next(
        (url for width, url in candidates if width >= needed), candidates[-1][1]
    )


def test_activations_page_on_a_phone_with_12_phone_photos_weighs_under_1_5_mb(
    client, edition_2023, clock, media
):
    photo = uploaded(phone_photo())
    for number in range(12):
        activation = ActivationFactory(
            edition=edition_2023, title=f"Активация {number}"
        )
        activation.image.save("photo.jpg", photo, save=True)

    response = client.get("/activations/")
    parser = Images()
    parser.feed(response.content.decode())
    photos = [img for img in parser.found if "srcset" in img]
    urls = [chosen_url(img, PHONE_WIDTH) for img in photos]
    weight = len(response.content) + sum(
        len(b"".join(client.get(url).streaming_content)) for url in urls
    )

    assert len(phone_photo()) > 2.5 * 1024 * 1024
    assert len(photos) == 12
    assert [url.rsplit("-", 1)[-1] for url in urls] == ["w400.webp"] * 12
    assert {(img["width"], img["height"], img["loading"]) for img in photos} == {
        ("4000", "3000", "lazy")
    }
    assert weight < BUDGET, f"{weight / 1024:.0f} KB"


def test_activation_page_offers_each_thumbnail_with_its_width(
    client, edition_2023, clock, media
):
    activation = ActivationFactory(edition=edition_2023)
    activation.image.save("photo.jpg", uploaded(jpeg_bytes((1000, 750))), save=True)
    stem = activation.image.name.rsplit(".", 1)[0]

    html = client.get(activation.get_absolute_url()).content.decode()

    assert (
        f'srcset="/media/{stem}-w400.webp 400w, /media/{stem}-w800.webp 800w, '
        f'/media/{stem}-w1200.webp 1000w"'
    ) in html
    assert f'src="/media/{activation.image.name}"' not in html


def test_correction_keeps_the_published_photo_and_its_thumbnails_until_approved(
    client, edition_2023, clock, media, django_capture_on_commit_callbacks
):
    activation = ActivationFactory(edition=edition_2023)
    activation.image.save("photo.jpg", uploaded(jpeg_bytes((900, 600))), save=True)
    published = activation.image.name
    data = {f: getattr(activation, f) for f in services.SUBMITTED_FIELDS}

    with django_capture_on_commit_callbacks(execute=True):
        services.update(
            activation, data, image=uploaded(jpeg_bytes((500, 400), "navy"))
        )
    activation.refresh_from_db()
    waiting = activation.correction_image.name
    page = client.get(activation.get_absolute_url()).content.decode()

    assert len(thumbnails_of(media, published)) == 3  # 400, 800 and 900 px wide
    assert f"/media/{published[:-4]}-w400.webp" in page
    assert waiting[:-4] not in page
    # The correction's own are made as it comes: approving it only moves names.
    assert len(thumbnails_of(media, waiting)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_correction(activation)
    activation.refresh_from_db()
    page = client.get(activation.get_absolute_url()).content.decode()

    assert activation.image.name == waiting
    assert (thumbnails_of(media, published), len(thumbnails_of(media, waiting))) == (
        [],
        2,
    )
    assert f"/media/{waiting[:-4]}-w400.webp 400w" in page


def test_rejected_correction_takes_its_thumbnails_and_leaves_the_published_ones(
    edition_2023, clock, media, django_capture_on_commit_callbacks
):
    activation = ActivationFactory(edition=edition_2023)
    activation.image.save("photo.jpg", uploaded(jpeg_bytes((900, 600))), save=True)
    published = activation.image.name
    data = {f: getattr(activation, f) for f in services.SUBMITTED_FIELDS}
    with django_capture_on_commit_callbacks(execute=True):
        services.update(
            activation, data, image=uploaded(jpeg_bytes((500, 400), "navy"))
        )
    activation.refresh_from_db()
    waiting = activation.correction_image.name

    with django_capture_on_commit_callbacks(execute=True):
        services.reject_correction(activation, reason="Не тот логотип.")

    assert (len(thumbnails_of(media, published)), thumbnails_of(media, waiting)) == (
        3,
        [],
    )


def test_make_thumbnails_command_makes_those_of_photos_stored_before(
    edition_2023, clock, media
):
    activation = ActivationFactory(edition=edition_2023)
    activation.image.save("photo.jpg", uploaded(jpeg_bytes((900, 600))), save=True)
    for name in thumbnails_of(media, activation.image.name):
        (media / "activations" / name).unlink()

    call_command("make_thumbnails", verbosity=0)

    assert len(thumbnails_of(media, activation.image.name)) == 3
