"""The one path every uploaded image takes, strangers' and organisers' alike.

`clean_image(uploaded)` reads the upload with Pillow and returns a new file: the
same pixels, turned upright, re-encoded in the same format without any of the
original's metadata, under a random name. The upload itself is never stored or
served. `ImageField` is the form field that does this in `clean()`, so that a
ModelForm saving into a `models.ImageField` stores the re-encoded file only
(`Meta.field_classes = {"photo": images.ImageField}`).

Limits (settings, read at each call): `QUALITYWEEK_UPLOAD_MAX_BYTES` and
`QUALITYWEEK_UPLOAD_MAX_PIXELS`. A refusal is a `ValidationError` with a
translated message and one of the codes in `MESSAGES`.

Decoding is bounded: at most `QUALITYWEEK_IMAGE_DECODES` images decode at once
on a host (a 25-megapixel image takes about 287 MB at its peak). An upload that
waits longer than `DECODE_WAIT_SECONDS` for its turn raises `DecodingBusy`,
which the site answers with its "try again" page (503).

`square_thumbnail(source)` makes the sizes the pages need from a stored image.

Photos that pages show in a column (activations) have WebP thumbnails at the
widths of `THUMBNAIL_WIDTHS`, stored once beside the original under names derived
from its own (`thumbnail_name`): `ThumbnailedImageField` makes them whenever it
stores a file, `delete_with_thumbnails` removes them with it, and pages pick one by
`srcset` (`qualityweek.templatetags.photos`). `make_thumbnails` makes them for a
stored image, for files stored before (`manage.py make_thumbnails`).
"""

import contextlib
import fcntl
import io
import os
import posixpath
import secrets
import tempfile
import threading
import time
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.template.defaultfilters import filesizeformat
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# What Pillow reads in the file decides the format, never the name or the browser's
# content type. Pillow reads a camera's JPEG with extra frames (a preview, a depth
# map) as MPO: it stays a JPEG, its first frame only.
ENCODING = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
ACCEPT = "image/jpeg,image/png,image/webp"
# The modes each format keeps as they are; any other becomes RGB, or RGBA where the
# format holds transparency and the image has some.
MODES = {
    "JPEG": {"L", "RGB"},
    "PNG": {"L", "LA", "RGB", "RGBA"},
    "WEBP": {"RGB", "RGBA"},
}
SPEAKER_THUMBNAIL_SIZE = (320, 320)  # shown at 160 px, sharp on high-density screens
# The widths of a photo's thumbnails: a phone's column (375 CSS px) and a card
# on a wide screen at 1x, the same at 2x, and the activation page's column. A
# thumbnail is never wider than its original: the last one made is the first as
# wide as the original or wider, at the original's width.
THUMBNAIL_WIDTHS = (400, 800, 1200)
# A photo downscaled loses its fine noise; WebP at 75 keeps what a screen shows
# at a tenth of the bytes of a JPEG at 85.
THUMBNAIL_OPTIONS = {"quality": 75, "method": 4}
SAVE_OPTIONS = {
    "JPEG": {"quality": 85, "optimize": True, "progressive": True},
    "PNG": {},
    "WEBP": {"quality": 85},
}

MESSAGES = {
    "empty": _("The file is empty."),
    "too_large": _("The file is %(size)s; the limit is %(limit)s."),
    "invalid_format": _("This file is not a JPEG, PNG or WebP image."),
    "too_many_pixels": _(
        "The image has more than %(limit)s megapixels: make it smaller and upload "
        "it again."
    ),
    "animated": _(
        "Animated images are not accepted: upload a still JPEG, PNG or WebP image."
    ),
    "damaged": _(
        "The image is damaged or incomplete: save it again and upload it once more."
    ),
}


# How long an upload waits for its turn to decode before the visitor is asked to
# try again: well inside gunicorn's 30-second timeout, decoding included.
DECODE_WAIT_SECONDS = 10
# How often a process looks for a free slot that another process holds.
_POLL_SECONDS = 0.05


class DecodingBusy(Exception):
    """Too many images are decoding on this host: ask the visitor to try again."""


_semaphores: dict[int, threading.BoundedSemaphore] = {}
_semaphores_lock = threading.Lock()


def _semaphore(size: int) -> threading.BoundedSemaphore:
    with _semaphores_lock:
        if size not in _semaphores:
            _semaphores[size] = threading.BoundedSemaphore(size)
        return _semaphores[size]


@contextlib.contextmanager
def decoding():
    """A turn to decode one image, within QUALITYWEEK_IMAGE_DECODES per host.

    The threads of a process queue on a semaphore; the processes of a host (the
    gunicorn workers) share as many slots, lock files in the temporary
    directory, held with flock, which the kernel releases if a worker dies.
    Raises DecodingBusy after DECODE_WAIT_SECONDS.
    """
    size = max(1, settings.QUALITYWEEK_IMAGE_DECODES)
    deadline = time.monotonic() + DECODE_WAIT_SECONDS
    semaphore = _semaphore(size)
    if not semaphore.acquire(timeout=DECODE_WAIT_SECONDS):
        raise DecodingBusy
    try:
        with _host_slot(size, deadline):
            yield
    finally:
        semaphore.release()


@contextlib.contextmanager
def _host_slot(size: int, deadline: float):
    directory = tempfile.gettempdir()
    while True:
        for slot in range(size):
            path = os.path.join(directory, f"qualityweek-image-decode-{slot}.lock")
            try:
                descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:
                # Not ours to open (another user's file, a read-only directory):
                # the process's own bound still holds.
                yield
                return
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(descriptor)
                continue
            try:
                yield
            finally:
                fcntl.flock(descriptor, fcntl.LOCK_UN)
                os.close(descriptor)
            return
        if time.monotonic() >= deadline:
            raise DecodingBusy
        time.sleep(_POLL_SECONDS)


def clean_image(uploaded) -> ContentFile:
    """The upload re-encoded upright and bare under a random name, or a refusal."""
    max_bytes = settings.QUALITYWEEK_UPLOAD_MAX_BYTES
    if uploaded.size is not None and uploaded.size > max_bytes:
        raise _too_large(uploaded.size)
    uploaded.seek(0)
    data = uploaded.read(max_bytes + 1)  # never more, whatever the size claimed
    if not data:
        raise _refusal("empty")
    if len(data) > max_bytes:
        raise _too_large(len(data))

    image = _open(data)
    encoding = ENCODING[image.format]
    if image.format != "MPO" and getattr(image, "n_frames", 1) > 1:
        raise _refusal("animated")
    with decoding():
        buffer = _reencode(data, image, encoding)
    name = secrets.token_hex(16) + EXTENSIONS[encoding]
    return ContentFile(buffer.getvalue(), name=name)


def _reencode(data: bytes, image: Image.Image, encoding: str) -> io.BytesIO:
    try:
        image.verify()
        # verify() leaves the image unusable: read it again, this time the pixels.
        image = _open(data)
        image.load()
        image = _bare(ImageOps.exif_transpose(image), encoding)
        buffer = io.BytesIO()
        image.save(buffer, encoding, **SAVE_OPTIONS[encoding])
    except ValidationError:
        raise
    except Exception as error:
        # Pillow reports a broken file with many kinds of exception (OSError,
        # SyntaxError, ValueError, struct.error, …): all of them are a refusal.
        raise _refusal("damaged") from error
    return buffer


def _open(data: bytes) -> Image.Image:
    """The image with only its header read, if it is one we accept and not too big."""
    try:
        with warnings.catch_warnings():
            # Below twice its own limit Pillow only warns of a decompression bomb.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "WEBP"])
    except UnidentifiedImageError as error:
        raise _refusal("invalid_format") from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except Exception as error:
        raise _refusal("damaged") from error
    width, height = image.size
    if width * height > settings.QUALITYWEEK_UPLOAD_MAX_PIXELS:
        raise _too_many_pixels()
    return image


def _bare(image: Image.Image, encoding: str) -> Image.Image:
    """The pixels alone, in a new image in a mode the encoding keeps."""
    if image.mode not in MODES[encoding] or "transparency" in image.info:
        alpha = encoding != "JPEG" and image.has_transparency_data
        image = image.convert("RGBA" if alpha else "RGB")
    # A new image, because Pillow's encoders fall back on an image's own info for
    # its ICC profile, comment and EXIF: nothing of the upload's metadata comes along.
    bare = Image.new(image.mode, image.size)
    bare.paste(image)
    return bare


def _refusal(code: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def _too_large(size: int) -> ValidationError:
    return _refusal(
        "too_large",
        size=filesizeformat(size),
        limit=filesizeformat(settings.QUALITYWEEK_UPLOAD_MAX_BYTES),
    )


def _too_many_pixels() -> ValidationError:
    megapixels = settings.QUALITYWEEK_UPLOAD_MAX_PIXELS / 1_000_000
    if megapixels.is_integer():
        megapixels = int(megapixels)
    return _refusal("too_many_pixels", limit=formats.number_format(megapixels))


def _help_text() -> str:
    return gettext("JPEG, PNG or WebP, up to %(limit)s.") % {
        "limit": filesizeformat(settings.QUALITYWEEK_UPLOAD_MAX_BYTES)
    }


class ImageField(forms.FileField):
    """An upload field whose cleaned value is `clean_image()`'s new file."""

    default_error_messages = {"empty": MESSAGES["empty"]}

    def __init__(self, *, max_length=None, help_text="", **kwargs):
        # A model field's max_length is left out: it would measure the uploaded
        # name, which is never kept. Its help text, "" unless set, is replaced.
        super().__init__(help_text=help_text or lazy(_help_text, str)(), **kwargs)

    def to_python(self, data):
        uploaded = super().to_python(data)
        return None if uploaded is None else clean_image(uploaded)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput):
            attrs.setdefault("accept", ACCEPT)
        return attrs


def square_thumbnail(source, size=SPEAKER_THUMBNAIL_SIZE) -> ContentFile:
    """A centred square crop as JPEG, turned upright by its EXIF orientation."""
    source.open("rb")
    with decoding(), Image.open(source) as image:
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.convert("RGBA").getchannel("A"))
            image = background
        thumbnail = ImageOps.fit(image.convert("RGB"), size, Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        thumbnail.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue())


def thumbnail_sizes(width: int | None) -> list[tuple[int, int]]:
    """The thumbnails of an image this wide: (the width its name says, its real
    width), smallest first; none if the width is not known."""
    sizes = []
    for slot in THUMBNAIL_WIDTHS if width else ():
        sizes.append((slot, min(slot, width)))
        if slot >= width:
            break
    return sizes


def thumbnail_name(name: str, slot: int) -> str:
    """The stored name of an image's thumbnail: beside it, named after it."""
    stem, _extension = posixpath.splitext(name)
    return f"{stem}-w{slot}.webp"


def make_thumbnails(storage, name: str, content=None) -> list[str]:
    """Store the WebP thumbnails of the stored image `name` (read from `content`
    if given, else from the storage); the names stored."""
    if content is None:
        with storage.open(name, "rb") as file:
            data = file.read()
    else:
        content.seek(0)
        data = content.read()
    stored = []
    # Within the host's bound on decoding, as an upload is.
    with decoding(), Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        sizes = thumbnail_sizes(width)
        # A JPEG decodes at a half, quarter or eighth of its size at once, never
        # below the largest thumbnail: a tenth of the time of a full decode.
        image.draft("RGB", (sizes[-1][1], round(height * sizes[-1][1] / width)))
        image.load()
        mode = "RGBA" if image.has_transparency_data else "RGB"
        image = image.convert(mode)
        for slot, thumbnail_width in sizes:
            size = (thumbnail_width, max(1, round(height * thumbnail_width / width)))
            # reducing_gap: shrink by whole factors first, then resample, as
            # fast as a plain reduce and as sharp as Lanczos all the way.
            thumbnail = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            buffer = io.BytesIO()
            _bare(thumbnail, "WEBP").save(buffer, "WEBP", **THUMBNAIL_OPTIONS)
            target = thumbnail_name(name, slot)
            # A name is never reused, but a second run (the command, a retried
            # save) replaces what an earlier one left.
            if storage.exists(target):
                storage.delete(target)
            stored.append(storage.save(target, ContentFile(buffer.getvalue())))
    return stored


def delete_with_thumbnails(storage, name: str) -> None:
    """Delete a stored image and whatever thumbnails it has."""
    if not name:
        return
    storage.delete(name)
    for slot in THUMBNAIL_WIDTHS:
        storage.delete(thumbnail_name(name, slot))


class ThumbnailedImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        super().save(name, content, save=save)
        # Made once, as the file is stored: a page never waits for a resize.
        make_thumbnails(self.storage, self.name, content)


class ThumbnailedImageField(models.ImageField):
    """A model's image field whose every stored file gets its thumbnails."""

    attr_class = ThumbnailedImageFieldFile


def make_missing_thumbnails(model, *, again: bool = False) -> tuple[int, int]:
    """Make the thumbnails of every stored image of the model's thumbnailed fields
    that has none yet (every one, `again`); (images done, images that failed)."""
    done = failed = 0
    for field in model._meta.get_fields():
        if not isinstance(field, ThumbnailedImageField):
            continue
        names = (
            model._default_manager.exclude(**{field.name: ""})
            .values_list(field.name, flat=True)
            .order_by()
        )
        for name in names:
            first = thumbnail_name(name, THUMBNAIL_WIDTHS[0])
            if not again and field.storage.exists(first):
                continue
            try:
                make_thumbnails(field.storage, name)
            except Exception:
                # A file missing from the storage or not an image: the page shows
                # the original instead; the others are still made.
                failed += 1
            else:
                done += 1
    return done, failed
