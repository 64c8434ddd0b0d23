"""The ticket as the door reads it: its QR code, and the whole ticket as a PDF.

The QR code holds the staff check-in link of the ticket (links.checkin_url). The
ticket page shows it as SVG; the letters carry it as a PNG inside the letter and
the PDF, so that the ticket opens at the door without the internet.
"""

import io

import qrcode
import qrcode.image.pil
import qrcode.image.svg
from django.utils.translation import get_language, gettext
from fpdf import FPDF

from events.templatetags.events_tags import event_when
from qualityweek.pdf import FONTS

from . import links
from .models import Registration

NAVY = (11, 31, 69)  # the site's --qw-navy
MUTED = (91, 101, 121)
RED = (200, 16, 46)


def _qr(registration: Registration, image_factory, box_size: int):
    return qrcode.make(
        links.checkin_url(registration),
        image_factory=image_factory,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=box_size,
        border=4,
    )


def qr_svg(registration: Registration) -> bytes:
    return _qr(registration, qrcode.image.svg.SvgPathFillImage, 10).to_string()


def qr_png(registration: Registration) -> bytes:
    """The QR code as a PNG of 8 px a module: sharp on a phone and on paper."""
    buffer = io.BytesIO()
    _qr(registration, qrcode.image.pil.PilImage, 8).save(buffer)
    return buffer.getvalue()


def ticket_filename(registration: Registration) -> str:
    return f"ticket-{registration.ticket_code}.pdf"


class _Ticket(FPDF):
    def __init__(self):
        super().__init__(format="A4", unit="mm")
        self.add_font("Manrope", "", str(FONTS / "Manrope-Regular.ttf"))
        self.add_font("Manrope", "B", str(FONTS / "Manrope-Bold.ttf"))
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)
        self.add_page()

    def label(self, text: str):
        self.set_font("Manrope", "B", 9)
        self.set_text_color(*MUTED)
        self.multi_cell(
            self.column, 5, text.upper(), align="L", new_x="LMARGIN", new_y="NEXT"
        )

    def value(self, text: str, *, size: int = 12, bold: bool = False, after: int = 4):
        self.set_font("Manrope", "B" if bold else "", size)
        self.set_text_color(*NAVY)
        self.multi_cell(
            self.column, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT"
        )
        self.ln(after)


def ticket_pdf(registration: Registration) -> bytes:
    """The printable ticket in the active language: who, what, when, where, the
    way in, the QR code and the ticket code, as one A4 page."""
    event = registration.event
    venue = event.venue
    site, ticket = gettext("World Quality Week"), gettext("Ticket")
    pdf = _Ticket()
    pdf.set_title(f"{ticket} {registration.ticket_code}: {event.title_i18n}")
    pdf.set_author(site)
    pdf.set_creator(site)
    pdf.set_lang(get_language())

    qr_size = 58
    pdf.column = pdf.epw - qr_size - 8
    top = pdf.get_y()
    stub = pdf.l_margin + pdf.column + 8

    # The stub: the QR code, and the ticket code under it for staff to type if a
    # scan fails.
    pdf.image(io.BytesIO(qr_png(registration)), x=stub, y=top, w=qr_size, h=qr_size)
    pdf.set_xy(stub, top + qr_size + 2)
    pdf.set_font("Manrope", "B", 9)
    pdf.set_text_color(*MUTED)
    pdf.cell(
        qr_size,
        5,
        gettext("Ticket code").upper(),
        align="C",
        new_x="LEFT",
        new_y="NEXT",
    )
    pdf.set_font("Manrope", "B", 20)
    pdf.set_text_color(*NAVY)
    pdf.cell(
        qr_size, 10, registration.ticket_code, align="C", new_x="LEFT", new_y="NEXT"
    )
    stub_bottom = pdf.get_y()

    pdf.set_xy(pdf.l_margin, top)
    pdf.set_font("Manrope", "B", 9)
    pdf.set_text_color(*RED)
    pdf.cell(pdf.column, 5, f"{site} · {ticket}".upper(), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.value(event.title_i18n, size=18, bold=True, after=6)
    pdf.label(gettext("Participant"))
    pdf.value(registration.full_name, size=14, bold=True, after=1)
    if registration.organisation:
        pdf.value(registration.organisation, after=4)
    else:
        pdf.ln(3)
    pdf.label(gettext("When"))
    moscow_time = gettext("Moscow time")
    pdf.value(f"{event_when(event)}, {moscow_time}")
    if venue:
        pdf.label(gettext("Where"))
        pdf.value(venue.name_i18n, bold=True, after=1)
        pdf.value(venue.address_i18n, after=4)
        if venue.directions_i18n:
            pdf.label(gettext("The way in"))
            pdf.value(venue.directions_i18n, size=11)

    pdf.set_xy(pdf.l_margin, max(pdf.get_y(), stub_bottom) + 4)
    pdf.set_draw_color(*MUTED)
    pdf.set_dash_pattern(dash=1.5, gap=1.5)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
    pdf.ln(6)
    pdf.column = pdf.epw
    pdf.value(
        gettext(
            "Show this ticket at the entrance, printed or on your phone. "
            "Staff scan the QR code or type the ticket code."
        ),
        size=11,
        after=2,
    )
    pdf.set_font("Manrope", "", 9)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(pdf.epw, 4.5, links.status_url(registration), align="L")
    return bytes(pdf.output())
