"""Lists organisers take out of admin, as CSV that Excel opens in Russian."""

import csv
import io

from django.http import HttpResponse

# Excel takes a file without a byte order mark for the local ANSI code page (CP1251
# in Russia), and in the Russian locale its list separator is `;`.
BOM = "\ufeff"
DELIMITER = ";"
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The value as text a spreadsheet never runs as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def excel_csv(rows) -> bytes:
    """UTF-8 with a byte order mark, `;` between cells, CRLF after each row."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def csv_response(rows, filename: str) -> HttpResponse:
    response = HttpResponse(excel_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
