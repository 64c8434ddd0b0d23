"""Reading the site's PDFs and images back as a person would: their text, and
what their QR codes say (zbarimg, from Debian's zbar-tools: `make system-deps`)."""

import io
import shutil
import subprocess

from PIL import Image
from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    """The text of every page, lines joined by single spaces."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_pages(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def read_qr(image: bytes) -> list[str]:
    """Every QR code's text in the image (PNG or JPEG bytes)."""
    zbarimg = shutil.which("zbarimg")
    assert zbarimg, "zbarimg is missing: make system-deps"
    # A white margin, as on paper: the codes sit close to a page's dark edge.
    with Image.open(io.BytesIO(image)) as opened:
        framed = Image.new("RGB", (opened.width + 80, opened.height + 80), "white")
        framed.paste(opened.convert("RGB"), (40, 40))
    buffer = io.BytesIO()
    framed.save(buffer, "PNG")
    result = subprocess.run(
        [zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", "-"],
        input=buffer.getvalue(),
        capture_output=True,
        check=False,
    )
    return result.stdout.decode().split()


def pdf_qr_codes(content: bytes) -> list[str]:
    """What the QR codes among a PDF's images say."""
    found = []
    for page in PdfReader(io.BytesIO(content)).pages:
        for image in page.images:
            found.extend(read_qr(image.data))
    return found
