import datetime
import io

import pytest
from openpyxl import load_workbook

from qualityweek import spreadsheets
from qualityweek.phones import is_stored_phone
from tests.factories import moscow


def workbook_sheet(rows, title="Лист"):
    return load_workbook(io.BytesIO(spreadsheets.excel_xlsx(rows, title=title))).active


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("+79161234567", True),
        ("+442071838750", True),
        ("+7 916 123-45-67", False),
        ("79161234567", False),
        ("+0123", False),
        ("+79161234567\n", False),
        ("+7916123456789012", False),
        ("=1+79161234567", False),
    ],
)
def test_is_stored_phone_knows_only_the_e164_form_phone_field_stores(text, stored):
    assert is_stored_phone(text) is stored


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("+79161234567", "\u200b+79161234567"),
        ("0101234567", "\u200b0101234567"),
        ("+7 916 123-45-67", "'+7 916 123-45-67"),
        ("+1+1", "'+1+1"),
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Мария", "Мария"),
        (7, "7"),
        (None, ""),
        (datetime.date(2023, 11, 9), "09.11.2023"),
        (moscow(2023, 11, 10, 9, 42), "10.11.2023 09:42"),
    ],
)
def test_safe_cell_keeps_phones_and_codes_text_and_defuses_formulas(value, cell):
    assert spreadsheets.safe_cell(value) == cell


def test_excel_csv_writes_a_phone_without_a_visible_apostrophe():
    data = spreadsheets.excel_csv([["Телефон"], ["+79161234567"]])

    assert data == "\ufeffТелефон\r\n\u200b+79161234567\r\n".encode()
    assert b"'" not in data


def test_excel_xlsx_has_a_bold_frozen_header_and_columns_as_wide_as_their_text():
    sheet = workbook_sheet(
        [["№", "Мероприятие"], [1, "Региональный день форума"], [2, "x" * 500]],
        title="Список для бюро пропусков и ещё длиннее",
    )

    assert sheet.title == "Список для бюро пропусков и ещё"  # Excel allows 31
    assert [cell.font.bold for cell in sheet[1]] == [True, True]
    assert [cell.font.bold for cell in sheet[2]] == [False, False]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 6
    assert sheet.column_dimensions["B"].width == 60


def test_excel_xlsx_writes_times_as_excel_times_in_moscow_time():
    utc = datetime.datetime(2023, 11, 10, 6, 42, tzinfo=datetime.UTC)

    sheet = workbook_sheet([["Время", "День"], [utc, datetime.date(2023, 11, 9)]])

    moment, day = sheet[2]
    assert (moment.value, moment.number_format) == (
        datetime.datetime(2023, 11, 10, 9, 42),
        "DD.MM.YYYY HH:MM",
    )
    assert (day.value, day.number_format) == (
        datetime.datetime(2023, 11, 9),
        "DD.MM.YYYY",
    )


def test_excel_xlsx_keeps_what_people_typed_as_text_never_a_formula():
    typed = ["=1+1", "+79161234567", "#N/A", "0101234567", "-", "@SUM(A1)"]

    sheet = workbook_sheet([["a", "b", "c", "d", "e", "f"], typed, [1, 2.5, None]])

    assert [(cell.value, cell.data_type) for cell in sheet[2]] == [
        (value, "s") for value in typed
    ]
    assert [cell.quotePrefix for cell in sheet[2]] == [
        True,
        True,
        False,
        False,
        True,
        True,
    ]
    assert [cell.value for cell in sheet[3]] == [1, 2.5, None, None, None, None]


def test_excel_xlsx_drops_control_characters_rather_than_failing():
    sheet = workbook_sheet([["Организация"], ["АО\x0b «Качество»\x1f"]])

    assert sheet["A2"].value == "АО «Качество»"
