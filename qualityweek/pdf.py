"""What every PDF of the site shares: Manrope (with Cyrillic), the week's colours
and QR codes. Tickets, posters and certificates build on it."""

import io
from pathlib import Path

import qrcode
import qrcode.image.pil
from fpdf import FPDF

FONTS = Path(__file__).resolve().parent / "fonts"
FONT_REGULAR = FONTS / "Manrope-Regular.ttf"
FONT_BOLD = FONTS / "Manrope-Bold.ttf"

# The site's colours (static/css/site.css).
NAVY = (11, 31, 69)  # --qw-navy
NAVY_2 = (22, 58, 120)  # --qw-navy-2
RED = (200, 16, 46)  # --qw-red
GOLD = (242, 183, 5)  # --qw-gold
PAPER = (245, 246, 250)  # --qw-paper
MUTED = (91, 101, 121)


def qr_png(url: str, *, box_size: int = 8, border: int = 4) -> bytes:
    """A QR code of the URL as a PNG: sharp on a phone and on paper."""
    buffer = io.BytesIO()
    qrcode.make(
        url,
        image_factory=qrcode.image.pil.PilImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=box_size,
        border=border,
    ).save(buffer)
    return buffer.getvalue()


class Document(FPDF):
    """An A4 page in Manrope, with its metadata set."""

    def __init__(self, *, title: str, author: str, language: str, **kwargs):
        super().__init__(unit="mm", **{"format": "A4", **kwargs})
        self.add_font("Manrope", "", str(FONT_REGULAR))
        self.add_font("Manrope", "B", str(FONT_BOLD))
        self.set_title(title)
        self.set_author(author)
        self.set_creator(author)
        self.set_lang(language)

    def text_block(
        self,
        text: str,
        *,
        size: float,
        bold: bool = False,
        colour=NAVY,
        width: float = 0,
        align: str = "L",
        line: float = 0.45,
        after: float = 0,
    ) -> None:
        """A paragraph from the current position, wrapped to the width."""
        self.set_font("Manrope", "B" if bold else "", size)
        self.set_text_color(*colour)
        self.multi_cell(
            width or self.epw,
            size * line,
            text,
            align=align,
            new_x="LMARGIN",
            new_y="NEXT",
        )
        if after:
            self.ln(after)
