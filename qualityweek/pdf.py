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


# Lines and small print in reports.
MUTED = (91, 101, 121)
# The typeface every document is set in.
FONT = "Manrope"


class Report(Document):
    """A printed document of text and figures (a region's report, a ministry's
    letter): margins, page breaks and a first page ready."""

    def __init__(self, *, title: str, author: str, language: str):
        super().__init__(title=title, author=author, language=language)
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(True, margin=18)
        self.add_page()

    def kicker(self, text: str) -> None:
        self.set_font("Manrope", "B", 9)
        self.set_text_color(*RED)
        self.multi_cell(0, 5, text.upper(), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def heading(self, text: str, *, size: int = 18) -> None:
        self.text_block(text, size=size, bold=True, line=0.5, after=3)

    def paragraph(self, text: str, *, size: int = 11, bold=False, after=3) -> None:
        self.text_block(text, size=size, bold=bold, line=0.5, after=after)

    def line_of(self, label: str, value: str) -> None:
        """A figure of a table: its words on the left, the value on the right."""
        self.set_font("Manrope", "", 11)
        self.set_text_color(*NAVY)
        value_width = 40
        if self.will_page_break(12):
            self.add_page()
        top = self.get_y()
        self.multi_cell(self.epw - value_width, 6, label, new_x="LMARGIN", new_y="NEXT")
        bottom = self.get_y()
        self.set_xy(self.l_margin + self.epw - value_width, top)
        self.set_font("Manrope", "B", 11)
        self.cell(value_width, 6, value, align="R")
        self.set_xy(self.l_margin, max(bottom, top + 6))
        self.set_draw_color(*MUTED)
        self.set_line_width(0.1)
        self.line(self.l_margin, self.get_y(), self.l_margin + self.epw, self.get_y())
        self.ln(1)

    def output_bytes(self) -> bytes:
        return bytes(self.output())
