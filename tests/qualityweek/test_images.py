import io
import re

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.utils import translation
from PIL import Image, ImageCms, PngImagePlugin

from qualityweek import images
from tests import images as files

XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF'
    b' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description'
    b' xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="55,49.5N"/>'
    b"</rdf:RDF></x:xmpmeta>"
)


def opened(content_file) -> Image.Image:
    content_file.seek(0)
    return Image.open(io.BytesIO(content_file.read()))


def refusal(make, language):
    """The refusal of a file, as a visitor reading `language` gets it."""
    with translation.override(language):
        with pytest.raises(ValidationError) as caught:
            images.clean_image(files.upload("photo.jpg", make()))
        return caught.value.code, caught.value.messages


def with_every_metadata_block(format) -> bytes:
    """A small image carrying EXIF with GPS, XMP, an ICC profile and, where the
    format has them, a comment and text chunks."""
    exif = Image.Exif()
    exif.get_ifd(files.GPS_IFD).update({files.GPS_LATITUDE_REF: "N"})
    params = {
        "exif": exif.tobytes(),
        "icc_profile": ImageCms.ImageCmsProfile(
            ImageCms.createProfile("sRGB")
        ).tobytes(),
    }
    if format == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Author", "Anna Smirnova")
        text.add_text("Comment", "taken at home", zip=True)
        text.add_itxt("XML:com.adobe.xmp", XMP.decode())
        params["pnginfo"] = text
    else:
        params["xmp"] = XMP
    if format == "JPEG":
        params["comment"] = b"Anna Smirnova at home"
    return files.image_bytes(format, **params)


def test_clean_image_jpeg_with_gps_comes_back_without_exif_under_a_random_name():
    upload = files.upload("anna-at-home.jpg", files.jpeg_with_gps())

    cleaned = images.clean_image(upload)

    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", cleaned.name)
    with opened(cleaned) as image:
        assert (image.format, image.size, dict(image.getexif())) == (
            "JPEG",
            (64, 48),
            {},
        )
    cleaned.seek(0)
    content = cleaned.read()
    assert b"Exif" not in content
    assert b"Quality Phone" not in content


@pytest.mark.parametrize(
    ("format", "info"),
    [
        (
            "JPEG",
            {
                "jfif": 257,
                "jfif_version": (1, 1),
                "jfif_unit": 0,
                "jfif_density": (1, 1),
                "progressive": 1,
                "progression": 1,
            },
        ),
        ("PNG", {}),
        ("WEBP", {"loop": 1, "background": (255, 255, 255, 255)}),
    ],
)
def test_clean_image_with_every_metadata_block_keeps_none_of_them(format, info):
    source = with_every_metadata_block(format)
    with Image.open(io.BytesIO(source)) as image:
        assert {"exif", "icc_profile", "xmp"} <= set(image.info)
    upload = files.upload("photo", source)

    cleaned = images.clean_image(upload)

    with opened(cleaned) as image:
        assert (image.format, image.info, dict(image.getexif())) == (format, info, {})
    cleaned.seek(0)
    content = cleaned.read()
    for marker in (b"Exif", b"adobe", b"ICC", b"iCCP", b"tEXt", b"zTXt", b"iTXt"):
        assert marker not in content
    assert b"Anna" not in content


@pytest.mark.parametrize(
    ("format", "name"), [("JPEG", r"\.jpg"), ("PNG", r"\.png"), ("WEBP", r"\.webp")]
)
def test_clean_image_keeps_the_format_whatever_the_name_says(format, name):
    upload = files.upload("photo.gif", files.image_bytes(format), "image/gif")

    cleaned = images.clean_image(upload)

    assert re.fullmatch(r"[0-9a-f]{32}" + name, cleaned.name)
    with opened(cleaned) as image:
        assert (image.format, image.size) == (format, (64, 48))


def test_clean_image_names_every_file_anew():
    content = files.image_bytes("PNG")

    first = images.clean_image(files.upload("logo.png", content))
    second = images.clean_image(files.upload("logo.png", content))

    assert first.name != second.name


def test_clean_image_turns_the_image_upright_by_its_exif_orientation():
    # Held on its side: red on the left of the sensor is at the top of the scene.
    image = Image.new("RGB", (60, 40), "blue")
    image.paste("red", (0, 0, 30, 40))
    exif = Image.Exif()
    exif[files.ORIENTATION] = files.ROTATED_90_CLOCKWISE
    buffer = io.BytesIO()
    image.save(buffer, "PNG", exif=exif.tobytes())

    cleaned = images.clean_image(files.upload("photo.png", buffer.getvalue()))

    with opened(cleaned) as upright:
        assert (
            upright.size,
            upright.getpixel((20, 5)),
            upright.getpixel((20, 55)),
        ) == (
            (40, 60),
            (255, 0, 0),
            (0, 0, 255),
        )
        assert dict(upright.getexif()) == {}


@pytest.mark.parametrize(
    "content",
    [
        files.image_bytes("PNG", mode="RGBA", color=(0, 0, 128, 0)),
        files.image_bytes("PNG", mode="P", color=0, transparency=0),
    ],
    ids=["RGBA", "palette"],
)
def test_clean_image_png_keeps_its_transparency(content):
    cleaned = images.clean_image(files.upload("logo.png", content))

    with opened(cleaned) as image:
        assert (image.format, image.mode, image.getpixel((0, 0))[3]) == (
            "PNG",
            "RGBA",
            0,
        )


def test_clean_image_webp_keeps_its_transparency():
    content = files.image_bytes("WEBP", mode="RGBA", color=(0, 0, 128, 0))

    cleaned = images.clean_image(files.upload("logo.webp", content))

    with opened(cleaned) as image:
        assert (image.format, image.mode, image.getpixel((0, 0))[3]) == (
            "WEBP",
            "RGBA",
            0,
        )


def test_clean_image_camera_jpeg_with_extra_frames_becomes_a_plain_jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(
        buffer, "MPO", save_all=True, append_images=[Image.new("RGB", (32, 24))]
    )

    cleaned = images.clean_image(files.upload("photo.jpg", buffer.getvalue()))

    assert cleaned.name.endswith(".jpg")
    with opened(cleaned) as image:
        assert (image.format, image.size, getattr(image, "n_frames", 1)) == (
            "JPEG",
            (64, 48),
            1,
        )


def test_clean_image_cmyk_jpeg_comes_back_rgb():
    content = files.image_bytes("JPEG", mode="CMYK", color=(0, 0, 0, 0))

    cleaned = images.clean_image(files.upload("print.jpg", content))

    with opened(cleaned) as image:
        assert (image.format, image.mode) == ("JPEG", "RGB")


NOT_ACCEPTED = (
    "This file is not a JPEG, PNG or WebP image.",
    "Этот файл — не изображение JPEG, PNG или WebP.",
)
DAMAGED = (
    "The image is damaged or incomplete: save it again and upload it once more.",
    "Изображение повреждено или загружено не полностью: "
    "сохраните его заново и загрузите ещё раз.",
)
TOO_MANY_PIXELS = (
    "The image has more than 25 megapixels: make it smaller and upload it again.",
    "Разрешение изображения больше 25 Мп: уменьшите его и загрузите снова.",
)
ANIMATED = (
    "Animated images are not accepted: upload a still JPEG, PNG or WebP image.",
    "Анимированные изображения не принимаются: загрузите неподвижное изображение "
    "JPEG, PNG или WebP.",
)


def animated(format):
    def make():
        buffer = io.BytesIO()
        frames = [Image.new("RGB", (16, 16), color) for color in ("red", "blue")]
        frames[0].save(buffer, format, save_all=True, append_images=frames[1:])
        return buffer.getvalue()

    return make


BAD_FILES = {
    "truncated JPEG": (files.truncated_jpeg, "damaged", DAMAGED),
    "truncated PNG": (
        lambda: files.grey_png(64, 48)[:-30],
        "damaged",
        DAMAGED,
    ),
    "EPS": (
        lambda: files.image_bytes("EPS"),
        "invalid_format",
        NOT_ACCEPTED,
    ),
    "GIF/HTML polyglot": (files.gif_html_polyglot, "invalid_format", NOT_ACCEPTED),
    "animated GIF": (files.animated_gif, "invalid_format", NOT_ACCEPTED),
    "still GIF": (lambda: files.image_bytes("GIF"), "invalid_format", NOT_ACCEPTED),
    "text named .jpg": (lambda: b"Not a photo.\n", "invalid_format", NOT_ACCEPTED),
    "HTML named .jpg": (
        lambda: b"<!DOCTYPE html><script>alert(1)</script>",
        "invalid_format",
        NOT_ACCEPTED,
    ),
    # Only the header: decoding would find the pixel data missing.
    "PNG header claiming 20000 × 20000": (
        lambda: files.grey_png(20_000, 20_000, rows=1),
        "too_many_pixels",
        TOO_MANY_PIXELS,
    ),
    "PNG header just over the cap": (
        lambda: files.grey_png(6000, 4200, rows=1),
        "too_many_pixels",
        TOO_MANY_PIXELS,
    ),
    "100 megapixels": (
        lambda: files.grey_png(10_000, 10_000),
        "too_many_pixels",
        TOO_MANY_PIXELS,
    ),
    "animated PNG": (animated("PNG"), "animated", ANIMATED),
    "animated WebP": (animated("WEBP"), "animated", ANIMATED),
    "empty": (lambda: b"", "empty", ("The file is empty.", "Файл пуст.")),
}


@pytest.mark.parametrize("bad", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_clean_image_bad_file_is_refused_in_the_visitors_language(bad):
    make, code, (english, russian) = bad

    assert refusal(make, "en") == (code, [english])
    assert refusal(make, "ru") == (code, [russian])


def uncompressed_png() -> bytes:
    """3.1 KB: 32 × 32 RGB pixels stored as they are."""
    return files.image_bytes("PNG", size=(32, 32), compress_level=0)


def test_clean_image_file_over_the_byte_cap_is_refused_with_both_sizes(settings):
    settings.QUALITYWEEK_UPLOAD_MAX_BYTES = 2048

    assert refusal(uncompressed_png, "en") == (
        "too_large",
        ["The file is 3.1\xa0KB; the limit is 2.0\xa0KB."],
    )
    assert refusal(uncompressed_png, "ru") == (
        "too_large",
        ["Размер файла — 3,1\xa0КБ, а допускается не больше 2,0\xa0КБ."],
    )


def test_clean_image_reads_no_more_than_the_cap_whatever_size_is_claimed(settings):
    settings.QUALITYWEEK_UPLOAD_MAX_BYTES = 2048
    lying = InMemoryUploadedFile(
        io.BytesIO(uncompressed_png()), "photo", "photo.png", "image/png", 100, None
    )

    with pytest.raises(ValidationError) as caught:
        images.clean_image(lying)

    assert caught.value.code == "too_large"


def test_clean_image_pixel_cap_follows_the_setting(settings):
    settings.QUALITYWEEK_UPLOAD_MAX_PIXELS = 2_500_000

    assert refusal(lambda: files.grey_png(2000, 1300), "ru") == (
        "too_many_pixels",
        ["Разрешение изображения больше 2,5 Мп: уменьшите его и загрузите снова."],
    )


class PhotoForm(forms.Form):
    photo = images.ImageField()


def test_image_field_clean_returns_the_re_encoded_file():
    form = PhotoForm(
        files={"photo": files.upload("anna.jpg", files.jpeg_with_gps())}, data={}
    )

    assert form.is_valid()
    photo = form.cleaned_data["photo"]
    assert re.fullmatch(r"[0-9a-f]{32}\.jpg", photo.name)
    with opened(photo) as image:
        assert dict(image.getexif()) == {}


def test_image_field_bad_file_is_an_error_at_the_field():
    form = PhotoForm(files={"photo": files.upload("photo.gif", files.animated_gif())})

    with translation.override("en"):
        errors = form.errors.get_json_data()

    assert errors == {
        "photo": [
            {
                "message": "This file is not a JPEG, PNG or WebP image.",
                "code": "invalid_format",
            }
        ]
    }


def test_image_field_empty_file_is_refused_with_the_same_message():
    form = PhotoForm(files={"photo": files.upload("photo.jpg", b"")})

    with translation.override("ru"):
        errors = form.errors.get_json_data()

    assert errors == {"photo": [{"message": "Файл пуст.", "code": "empty"}]}


def test_image_field_of_a_model_field_takes_a_long_uploaded_name():
    # A model's FileField gives its form field max_length=100, for the stored name.
    field = images.ImageField(max_length=100)
    upload = files.upload("фото-" * 30 + ".png", files.image_bytes("PNG"))

    photo = field.clean(upload)

    assert re.fullmatch(r"[0-9a-f]{32}\.png", photo.name)


def test_image_field_widget_accepts_only_the_three_formats():
    html = str(PhotoForm()["photo"])

    assert 'accept="image/jpeg,image/png,image/webp"' in html


def test_image_field_help_text_names_the_formats_and_the_limit(settings):
    field = PhotoForm().fields["photo"]

    with translation.override("en"):
        english = str(field.help_text)
    settings.QUALITYWEEK_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    with translation.override("ru"):
        russian = str(field.help_text)

    assert english == "JPEG, PNG or WebP, up to 5.0\xa0MB."
    assert russian == "JPEG, PNG или WebP, не больше 10,0\xa0МБ."


def test_upload_caps_default_to_5_mb_and_25_megapixels():
    from django.conf import settings

    assert (
        settings.QUALITYWEEK_UPLOAD_MAX_BYTES,
        settings.QUALITYWEEK_UPLOAD_MAX_PIXELS,
    ) == (5 * 1024 * 1024, 25_000_000)


def test_square_thumbnail_crops_the_centre_on_white_into_a_320_px_jpeg():
    # A wide logo: a transparent centre between red edges that the crop cuts off.
    logo = Image.new("RGBA", (800, 400), (0, 0, 128, 0))
    logo.paste((255, 0, 0, 255), (0, 0, 150, 400))
    logo.paste((255, 0, 0, 255), (650, 0, 800, 400))
    buffer = io.BytesIO()
    logo.save(buffer, "PNG")

    thumbnail = images.square_thumbnail(ContentFile(buffer.getvalue()))

    with opened(thumbnail) as square:
        assert (square.format, square.mode, square.size) == ("JPEG", "RGB", (320, 320))
        assert {square.getpixel((x, 160)) for x in (0, 160, 319)} == {(255, 255, 255)}


def stored_jpeg(storage, size, name="photos/p.jpg"):
    return storage.save(name, ContentFile(files.image_bytes("JPEG", size=size)))


def test_make_thumbnails_makes_webp_at_each_width_and_never_wider_than_the_photo():
    from django.core.files.storage import InMemoryStorage

    storage = InMemoryStorage()
    name = stored_jpeg(storage, (1000, 750))

    stored = images.make_thumbnails(storage, name)

    assert stored == ["photos/p-w400.webp", "photos/p-w800.webp", "photos/p-w1200.webp"]
    opened = [Image.open(storage.open(n)) for n in stored]
    assert [(i.format, i.size) for i in opened] == [
        ("WEBP", (400, 300)),
        ("WEBP", (800, 600)),
        ("WEBP", (1000, 750)),  # named for its slot, at the photo's own width
    ]
    assert [i.getexif() for i in opened] == [{}, {}, {}]


def test_thumbnails_of_a_small_photo_are_one_at_its_own_width():
    assert images.thumbnail_sizes(300) == [(400, 300)]
    assert images.thumbnail_sizes(400) == [(400, 400)]
    assert images.thumbnail_sizes(4000) == [(400, 400), (800, 800), (1200, 1200)]
    assert images.thumbnail_sizes(None) == []


def test_delete_with_thumbnails_leaves_nothing_of_the_photo():
    from django.core.files.storage import InMemoryStorage

    storage = InMemoryStorage()
    name = stored_jpeg(storage, (900, 600))
    other = stored_jpeg(storage, (500, 400), name="photos/other.jpg")
    images.make_thumbnails(storage, name)
    images.make_thumbnails(storage, other)

    images.delete_with_thumbnails(storage, name)

    assert sorted(storage.listdir("photos")[1]) == [
        "other-w400.webp",
        "other-w800.webp",
        "other.jpg",
    ]


# Decoding at once


@pytest.fixture
def own_lock_files(monkeypatch, tmp_path):
    """The host's decoding slots in this test's own directory."""
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    return tmp_path


def test_clean_image_decodes_at_most_the_setting_at_once(
    settings, monkeypatch, own_lock_files
):
    import threading
    import time

    settings.QUALITYWEEK_IMAGE_DECODES = 2
    decoding, most = 0, 0
    counting = threading.Lock()
    bare = images._bare

    def counted_bare(image, encoding):
        nonlocal decoding, most
        with counting:
            decoding += 1
            most = max(most, decoding)
        time.sleep(0.05)
        with counting:
            decoding -= 1
        return bare(image, encoding)

    monkeypatch.setattr(images, "_bare", counted_bare)
    cleaned = []

    def upload():
        cleaned.append(images.clean_image(files.upload("photo.png", png)))

    png = files.image_bytes("PNG")
    threads = [threading.Thread(target=upload) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert (most, len(cleaned)) == (2, 6)


def test_clean_image_waits_for_a_slot_another_worker_holds_then_is_busy(
    settings, monkeypatch, own_lock_files
):
    import subprocess
    import sys

    settings.QUALITYWEEK_IMAGE_DECODES = 1
    monkeypatch.setattr(images, "DECODE_WAIT_SECONDS", 0.3)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys; "
            "d = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
            "fcntl.flock(d, fcntl.LOCK_EX); print('held', flush=True); "
            "sys.stdin.read()",
            str(own_lock_files / "qualityweek-image-decode-0.lock"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"

        with pytest.raises(images.DecodingBusy):
            images.clean_image(files.upload("photo.png", files.image_bytes("PNG")))
    finally:
        holder.communicate("")

    assert images.clean_image(files.upload("photo.png", files.image_bytes("PNG")))
