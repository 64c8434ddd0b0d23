"""Image sizes the pages need, made with Pillow."""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

SPEAKER_THUMBNAIL_SIZE = (320, 320)  # shown at 160 px, sharp on high-density screens


def square_thumbnail(source, size=SPEAKER_THUMBNAIL_SIZE) -> ContentFile:
    """A centred square crop as JPEG, turned upright by its EXIF orientation."""
    source.open("rb")
    with Image.open(source) as image:
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.convert("RGBA").getchannel("A"))
            image = background
        thumbnail = ImageOps.fit(image.convert("RGB"), size, Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        thumbnail.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue())
