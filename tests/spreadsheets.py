"""Reading the exports back as an organiser's spreadsheet does."""

import csv
import io
import zipfile

from openpyxl import load_workbook


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def sheet_of(response):
    """The one sheet of an XLSX download."""
    return load_workbook(io.BytesIO(response.content)).active


def values_of(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def record(sheet, number: int = 2) -> dict:
    """Row `number` as {header: cell}."""
    header = [cell.value for cell in sheet[1]]
    return dict(zip(header, sheet[number], strict=True))


def formulas_in(response) -> int:
    """How many formulas the workbook's sheets hold, read from the file itself."""
    with zipfile.ZipFile(io.BytesIO(response.content)) as workbook:
        return sum(
            workbook.read(name).count(b"<f>") + workbook.read(name).count(b"<f ")
            for name in workbook.namelist()
            if name.startswith("xl/worksheets/")
        )
