"""Image files the upload tests make for themselves, good and bad."""

import functools
import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageChops

# The EXIF tags of a phone photo that say where it was taken.
GPS_IFD = 0x8825
GPS_LATITUDE_REF, GPS_LATITUDE = 1, 2
ORIENTATION = 0x0112
ROTATED_90_CLOCKWISE = 6  # the camera was held on its side


def image_bytes(format, size=(64, 48), color="navy", mode="RGB", **params) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format, **params)
    return buffer.getvalue()


def upload(name, content, content_type="image/jpeg") -> SimpleUploadedFile:
    """A file as a browser sends it: the name and type are whatever it claims."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_with_gps() -> bytes:
    """A photo as a phone saves it: where it was taken, in its EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "Quality Phone"  # Make
    exif.get_ifd(GPS_IFD).update(
        {GPS_LATITUDE_REF: "N", GPS_LATITUDE: (55.0, 49.0, 34.0)}
    )
    return image_bytes("JPEG", exif=exif.tobytes())


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data))
    )


def grey_png(width: int, height: int, *, rows: int | None = None) -> bytes:
    """A black 8-bit grey PNG written by hand, row by row: a huge image costs no
    memory to make. With `rows`, only that many rows of pixel data follow the
    header, which still claims the full height."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = bytes(1 + width)  # filter type 0, then the pixels
    data = b"".join(
        compressor.compress(row) for _ in range(height if rows is None else rows)
    )
    data += compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    """The first half of a photo, as a broken connection leaves it."""
    buffer = io.BytesIO()
    Image.effect_noise((200, 200), 64).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()[: buffer.tell() // 2]


def gif_html_polyglot() -> bytes:
    """A GIF that a browser sniffing for HTML would run as a page."""
    return image_bytes(
        "GIF", size=(1, 1), comment=b"<html><script>alert(document.cookie)</script>"
    )


def animated_gif() -> bytes:
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (16, 16), color) for color in ("red", "blue")]
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def thumbnail_src(name: str, slot: int = 400) -> str:
    """The `src` a page gives a stored photo: its smallest WebP thumbnail."""
    return f'src="/media/{name.rsplit(".", 1)[0]}-w{slot}.webp"'


@functools.cache
def phone_photo() -> bytes:
    """A 4000×3000 JPEG of about 2.8 MB as a phone takes one: noise at two scales,
    blotches a thumbnail keeps and grain that only the full size holds."""
    bands = []
    for _ in range(3):
        blotches = Image.effect_noise((800, 600), 18).resize(
            (4000, 3000), Image.Resampling.BICUBIC
        )
        grain = Image.effect_noise((4000, 3000), 3)
        bands.append(ImageChops.add(blotches, grain, offset=-128))
    buffer = io.BytesIO()
    Image.merge("RGB", bands).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()
