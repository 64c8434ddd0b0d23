"""Lists organisers take out of admin: CSV that Excel opens in Russian, and Excel
workbooks (XLSX).

An export declares its columns once, as rows (a header, then a row per record) of
text, numbers, dates, aware datetimes or None; both writers take the same rows.
"""

import csv
import datetime
import decimal
import io
import re

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .phones import is_stored_phone

CSV = "csv"
XLSX = "xlsx"

# Excel takes a file without a byte order mark for the local ANSI code page (CP1251
# in Russia), and in the Russian locale its list separator is `;`.
BOM = "\ufeff"
DELIMITER = ";"
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet opens a CSV cell that is a phone (+79161234567) or a code of digits
# (an INN, which may start with 0) as a number: the plus and leading zeros go,
# long ones turn into 7,92E+10. The apostrophe that defuses formulas stays visible
# in a CSV cell. A zero width space in front keeps such a cell text and shows
# nothing: it is not whitespace, so the cell is not trimmed back into a number,
# and it is not a formula start. It goes only before a value of a plus and digits
# alone, which even if read as a formula could only be a number, never a call or
# a link. (`="+7916…"`, the usual trick, is itself a formula; a leading space or
# no-break space is trimmed and the cell is a number again; a leading tab is a
# formula start to some spreadsheets.) For phones the XLSX is the cleaner file:
# its text cells carry no mark at all.
TEXT_MARK = "\u200b"
DIGITS = re.compile(r"[0-9]+")

MOMENT_FORMAT = "%d.%m.%Y %H:%M"
DAY_FORMAT = "%d.%m.%Y"
XLSX_MOMENT_FORMAT = "DD.MM.YYYY HH:MM"
XLSX_DAY_FORMAT = "DD.MM.YYYY"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Column widths in characters, as Excel counts them.
NARROWEST, WIDEST = 6, 60
# Excel's limit for the name of a sheet.
SHEET_TITLE_LENGTH = 31


def cell_text(value) -> str:
    """The value as a person reads it: times in Moscow time."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime(MOMENT_FORMAT)
    if isinstance(value, datetime.date):
        return value.strftime(DAY_FORMAT)
    return str(value)


def safe_cell(value) -> str:
    """The value as CSV text a spreadsheet never runs as a formula."""
    text = cell_text(value)
    if isinstance(value, str) and (is_stored_phone(text) or DIGITS.fullmatch(text)):
        return TEXT_MARK + text
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


def _put(cell, value) -> None:
    """Write the value as what it is: a number, a date, a Moscow time, or text."""
    if value is None:
        return
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: the wall clock time in Moscow.
        cell.value = timezone.localtime(value).replace(tzinfo=None)
        cell.number_format = XLSX_MOMENT_FORMAT
    elif isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = XLSX_DAY_FORMAT
    elif isinstance(value, int | float | decimal.Decimal) and not isinstance(
        value, bool
    ):
        cell.value = value
    else:
        # Control characters make openpyxl refuse the whole file.
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.value = text
        # openpyxl makes a formula of a text starting with "=" (and an error of
        # "#N/A"): what people typed stays text.
        cell.data_type = "s"
        if text.startswith(FORMULA_STARTS):
            # Text even after someone edits the cell in Excel; the mark is not shown.
            cell.quotePrefix = True


def excel_xlsx(rows, *, title: str) -> bytes:
    """One sheet: the header bold and frozen, columns as wide as what they hold."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:SHEET_TITLE_LENGTH]
    widths: dict[int, int] = {}
    bold = Font(bold=True)
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            _put(cell, value)
            if row_number == 1:
                cell.font = bold
            longest = max(map(len, cell_text(value).splitlines()), default=0)
            widths[column] = max(widths.get(column, 0), longest)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(
            max(width + 2, NARROWEST), WIDEST
        )
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(rows, filename: str, *, title: str) -> HttpResponse:
    response = HttpResponse(excel_xlsx(rows, title=title), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def spreadsheet_response(rows, name: str, format: str, *, title: str) -> HttpResponse:
    """The rows as `name`.csv or `name`.xlsx, the sheet called `title`."""
    if format == XLSX:
        return xlsx_response(rows, f"{name}.xlsx", title=title)
    return csv_response(rows, f"{name}.csv")
