"""The site's printed documents (a region's report, a ministry's letter): A4 in
the site's typeface, which sets Cyrillic, and QR codes to the site's pages."""

import io

import qrcode
import qrcode.image.pil
from django.conf import settings
from fpdf import FPDF

NAVY = (11, 31, 69)  # the site's --qw-navy
MUTED = (91, 101, 121)
RED = (200, 16, 46)
FONT = "Manrope"


def qr_png(url: str, *, box_size: int = 8) -> bytes:
    """A QR code of the URL as a PNG: sharp on paper at a few centimetres."""
    image = qrcode.make(
        url,
        image_factory=qrcode.image.pil.PilImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=box_size,
        border=4,
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


class Document(FPDF):
    """An A4 page in the site's typeface, its metadata set."""

    def __init__(self, *, title: str, author: str, language: str):
        super().__init__(format="A4", unit="mm")
        fonts = settings.QUALITYWEEK_PDF_FONTS
        self.add_font(FONT, "", str(fonts / "Manrope-Regular.ttf"))
        self.add_font(FONT, "B", str(fonts / "Manrope-Bold.ttf"))
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(True, margin=18)
        self.set_title(title)
        self.set_author(author)
        self.set_creator(author)
        self.set_lang(language)
        self.add_page()

    def kicker(self, text: str) -> None:
        self.set_font(FONT, "B", 9)
        self.set_text_color(*RED)
        self.multi_cell(0, 5, text.upper(), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def heading(self, text: str, *, size: int = 18) -> None:
        self.set_font(FONT, "B", size)
        self.set_text_color(*NAVY)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def paragraph(self, text: str, *, size: int = 11, bold=False, after=3) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*NAVY)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(after)

    def line_of(self, label: str, value: str) -> None:
        """A figure of a table: its words on the left, the value on the right."""
        self.set_font(FONT, "", 11)
        self.set_text_color(*NAVY)
        value_width = 40
        if self.will_page_break(12):
            self.add_page()
        top = self.get_y()
        self.multi_cell(self.epw - value_width, 6, label, new_x="LMARGIN", new_y="NEXT")
        bottom = self.get_y()
        self.set_xy(self.l_margin + self.epw - value_width, top)
        self.set_font(FONT, "B", 11)
        self.cell(value_width, 6, value, align="R")
        self.set_xy(self.l_margin, max(bottom, top + 6))
        self.set_draw_color(*MUTED)
        self.set_line_width(0.1)
        self.line(self.l_margin, self.get_y(), self.l_margin + self.epw, self.get_y())
        self.ln(1)

    def output_bytes(self) -> bytes:
        return bytes(self.output())
