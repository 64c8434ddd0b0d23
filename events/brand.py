"""The brand assets organisers upload for an edition (BrandKit), with the site's
own logo when there are none: for posters, cards and certificates."""

import io
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageOps

from qualityweek import images

from .models import BrandKit, Edition

DEFAULT_LOGO = Path(settings.BASE_DIR) / "static" / "img" / "logo.svg"


def kit(edition: Edition) -> BrandKit | None:
    return BrandKit.objects.filter(edition=edition).first()


def version(edition: Edition) -> str:
    """Changes when organisers change the assets: for ETags and cache keys."""
    found = kit(edition)
    return found.updated_at.isoformat() if found else "default"


def _read(field) -> bytes | None:
    if not field:
        return None
    try:
        with field.storage.open(field.name, "rb") as file:
            return file.read()
    except OSError:
        return None  # a missing file leaves the default in place


def logo_for_pdf(document, edition: Edition, *, x: float, y: float, h: float) -> None:
    """The edition's logo on a PDF page, or the site's own."""
    found = kit(edition)
    data = _read(found.logo) if found else None
    if data:
        document.image(io.BytesIO(data), x=x, y=y, h=h)
    else:
        document.image(str(DEFAULT_LOGO), x=x, y=y, h=h)


def _default_logo(size: int) -> Image.Image:
    """The site's logo (static/img/logo.svg) drawn anew: Pillow reads no SVG."""
    logo = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(logo)

    def scaled(points):
        return [(px * size / 100, py * size / 100) for px, py in points]

    draw.polygon(scaled([(50, 4), (95, 37), (78, 92), (22, 92), (5, 37)]), "#c8102e")
    draw.polygon(
        scaled([(50, 14), (85, 40), (72, 84), (28, 84), (15, 40)]),
        outline="#ffffff",
        width=max(1, size * 4 // 100),
    )
    stroke = max(1, size * 7 // 100)
    for line in ([(38, 30), (38, 70)], [(38, 52), (62, 30)], [(44, 47), (63, 70)]):
        draw.line(scaled(line), "#ffffff", width=stroke)
    return logo


def logo_image(edition: Edition, height: int) -> Image.Image:
    """The logo as an RGBA image of this height, for the cards."""
    found = kit(edition)
    data = _read(found.logo) if found else None
    if not data:
        return _default_logo(height)
    with images.decoding(), Image.open(io.BytesIO(data)) as image:
        logo = image.convert("RGBA")
    width = max(1, round(logo.width * height / logo.height))
    return logo.resize((width, height), Image.Resampling.LANCZOS)


def background_image(edition: Edition, size: tuple[int, int]) -> Image.Image | None:
    """The uploaded background cropped to fill this size, or None."""
    found = kit(edition)
    data = _read(found.background) if found else None
    if not data:
        return None
    with images.decoding(), Image.open(io.BytesIO(data)) as image:
        return ImageOps.fit(image.convert("RGB"), size, Image.Resampling.LANCZOS)
