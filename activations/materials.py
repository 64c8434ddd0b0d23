"""What an approved activation's company takes home: an A4 poster (PDF) and a
1200×630 card (PNG, the page's og:image too), in the week's style and the
activation's language, with a QR code to its page.

Both are made from the activation, its edition and the edition's brand assets
(events.brand); `version()` names that state, for the ETag and the cache key.
"""

import io

from django.utils import translation
from django.utils.translation import gettext
from PIL import Image, ImageDraw, ImageFont

from events import brand
from events.templatetags.events_tags import daterange
from qualityweek import links, pdf

from .models import Activation

CARD_SIZE = (1200, 630)


def version(activation: Activation) -> str:
    return "-".join(
        [
            str(activation.pk),
            activation.updated_at.isoformat(),
            activation.language,
            str(activation.edition.pk),
            brand.version(activation.edition),
        ]
    )


def page_url(activation: Activation) -> str:
    return links.absolute(activation.get_absolute_url())


def _days(activation: Activation) -> str:
    return daterange(activation.first_day, activation.last_day)


def _edition_days(activation: Activation) -> str:
    return daterange(activation.edition.first_day, activation.edition.last_day)


def _place(activation: Activation) -> str:
    if activation.address:
        if activation.city.lower() in activation.address.lower():
            return activation.address
        return f"{activation.address}, {activation.city}"
    return f"{activation.city}, {gettext('online')}"


def poster_pdf(activation: Activation) -> bytes:
    """The A4 poster, in the activation's language."""
    edition = activation.edition
    with translation.override(activation.language):
        site = gettext("World Quality Week")
        document = pdf.Document(
            title=activation.title, author=site, language=activation.language
        )
        document.set_auto_page_break(False)
        document.set_margins(18, 18, 18)
        document.add_page()

        # The top: the brand's background (or the week's navy), logo, motto, dates.
        band = 92
        background = brand.background_image(edition, (1240, 1000))
        if background is not None:
            buffer = io.BytesIO()
            background.save(buffer, "JPEG", quality=85)
            document.image(buffer, x=0, y=0, w=document.w, h=band)
        else:
            document.set_fill_color(*pdf.NAVY)
            document.rect(0, 0, document.w, band, style="F")
        document.set_fill_color(*pdf.GOLD)
        document.rect(0, band, document.w, 3, style="F")
        brand.logo_for_pdf(document, edition, x=18, y=16, h=26)
        document.set_xy(18, 50)
        document.text_block(
            site.upper(), size=12, bold=True, colour=(255, 255, 255), after=2
        )
        if edition.motto_i18n:
            document.text_block(
                edition.motto_i18n, size=20, bold=True, colour=(255, 255, 255)
            )
        document.text_block(
            _edition_days(activation), size=12, colour=pdf.GOLD, after=0
        )

        document.set_xy(18, band + 16)
        document.text_block(
            activation.get_kind_display().upper(),
            size=11,
            bold=True,
            colour=pdf.RED,
            after=3,
        )
        document.text_block(activation.title, size=30, bold=True, after=8)
        for label, value in (
            (gettext("When"), _days(activation)),
            (gettext("Where"), _place(activation)),
            (gettext("Who"), activation.company_name),
        ):
            document.text_block(
                label.upper(), size=9, bold=True, colour=pdf.MUTED, after=1
            )
            document.text_block(value, size=15, bold=True, after=5)

        # The foot: the QR code to the page, and the page's address.
        qr = 46
        bottom = document.h - 18
        document.image(
            io.BytesIO(pdf.qr_png(page_url(activation))),
            x=18,
            y=bottom - qr,
            w=qr,
            h=qr,
        )
        document.set_xy(18 + qr + 6, bottom - qr + 10)
        column = document.epw - qr - 6
        document.text_block(
            gettext("Scan to see the activation on the site"),
            size=13,
            bold=True,
            width=column,
            after=2,
        )
        document.set_x(18 + qr + 6)
        document.text_block(
            page_url(activation), size=9, colour=pdf.MUTED, width=column
        )
        return bytes(document.output())


def _font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(pdf.FONT_BOLD if bold else pdf.FONT_REGULAR), size)


def _wrap(draw, text: str, font, width: int, lines: int) -> list[str]:
    """The text in at most so many lines of this width, the last cut with «…»."""
    words, result, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            line = candidate
            continue
        if line:
            result.append(line)
        line = word
    if line:
        result.append(line)
    if len(result) > lines:
        result = result[:lines]
        last = result[-1]
        while last and draw.textlength(last + "…", font=font) > width:
            last = last[:-1]
        result[-1] = last.rstrip() + "…"
    return result


def card_png(activation: Activation) -> bytes:
    """The 1200×630 card, in the activation's language."""
    edition = activation.edition
    width, height = CARD_SIZE
    with translation.override(activation.language):
        card = brand.background_image(edition, CARD_SIZE)
        if card is None:
            card = Image.new("RGB", CARD_SIZE, pdf.NAVY)
        draw = ImageDraw.Draw(card)
        draw.rectangle((0, height - 12, width, height), fill=pdf.GOLD)

        margin, qr_size = 64, 220
        logo = brand.logo_image(edition, 72)
        card.paste(logo, (margin, 56), logo)
        draw.text(
            (margin + logo.width + 24, 62),
            gettext("World Quality Week").upper(),
            font=_font(26, bold=True),
            fill="white",
        )
        draw.text(
            (margin + logo.width + 24, 98),
            " · ".join(filter(None, [edition.motto_i18n, _edition_days(activation)])),
            font=_font(24),
            fill=pdf.GOLD,
        )

        column = width - 2 * margin - qr_size - 40
        y = 190
        kind_font = _font(24, bold=True)
        draw.text(
            (margin, y),
            activation.get_kind_display().upper(),
            font=kind_font,
            fill=(255, 138, 150),
        )
        y += 44
        title_font = _font(52, bold=True)
        for line in _wrap(draw, activation.title, title_font, column, 3):
            draw.text((margin, y), line, font=title_font, fill="white")
            y += 64
        y += 12
        facts_font = _font(28)
        for text in (
            _days(activation),
            _place(activation),
            activation.company_name,
        ):
            for line in _wrap(draw, text, facts_font, column, 1):
                draw.text((margin, y), line, font=facts_font, fill="white")
                y += 40

        qr = Image.open(io.BytesIO(pdf.qr_png(page_url(activation), border=2)))
        qr = qr.convert("RGB").resize((qr_size, qr_size), Image.Resampling.NEAREST)
        card.paste(qr, (width - margin - qr_size, height - margin - qr_size - 12))

        buffer = io.BytesIO()
        card.save(buffer, "PNG", optimize=True)
        return buffer.getvalue()
