"""The streaming XLSX writer: what it writes is read back by openpyxl cell for cell, in both its modes."""

import zipfile

import pytest
from openpyxl import load_workbook

from klaster.core import xlsx

ROWS = [
    ["ИНН", "Наименование", "Число", "Доля", "Флаг"],
    ["0012345678", "ООО «Рога & копыта» <цех>", 5, 1.5, True],
    ["", " пробелы по краям ", None, -0.25, False],
    ["7700000000", "две\nстроки", 10**12, float("nan"), None],
]


@pytest.mark.parametrize("read_only", [False, True])
def test_every_value_is_read_back_as_written(tmp_path, read_only):
    path = tmp_path / "t.xlsx"
    with xlsx.write(path, "Реестр") as sheet:
        for row in ROWS:
            sheet.append(row)
    book = load_workbook(path, read_only=read_only)
    assert book.sheetnames == ["Реестр"]
    got = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert got[0] == ROWS[0]
    assert got[1] == ROWS[1]
    assert got[2] == [None, " пробелы по краям ", None, -0.25, False]  # an empty text is an empty cell
    assert got[3] == ["7700000000", "две\nстроки", 10**12, "nan", None]  # no number: its text
    assert len(got) == 4


def test_header_is_bold_and_frozen_and_the_sheet_name_is_escaped_and_cut(tmp_path):
    path = tmp_path / "t.xlsx"
    name = 'Лист "№1" & <ещё> очень длинное имя листа'
    with xlsx.write(path, name) as sheet:
        sheet.append(["А", "Б"])
        sheet.append(["1", "2"])
    book = load_workbook(path)
    ws = book.active
    assert ws.title == name[:31]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.b and not ws["A2"].font.b


def test_characters_xml_cannot_carry_are_written_as_excel_writes_them(tmp_path):
    """openpyxl would refuse the text; Excel reads _x0001_ back as the character, and a literal "_x0041_"
    is escaped so that it stays literal."""
    path = tmp_path / "t.xlsx"
    with xlsx.write(path) as sheet:
        sheet.append(["a\x01b", "код _x0041_"])
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "a_x0001_b" in xml and "код _x005F_x0041_" in xml
    assert "\x01" not in xml


def test_a_large_sheet_is_written_in_batches_with_every_row_numbered(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "TEXTS_KEPT", 7)  # the remembered texts are dropped many times on the way
    path = tmp_path / "big.xlsx"
    with xlsx.write(path) as sheet:
        for i in range(2_500):
            sheet.append([f"строка {i}", i, ["Калужская", "Тульская", "Московская"][i % 3]])
    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == 2_500
    assert rows[-1] == ("строка 2499", 2499, "Калужская")
    assert [r[2] for r in rows[:4]] == ["Калужская", "Тульская", "Московская", "Калужская"]


def test_cells_of_a_wide_row_land_in_their_columns(tmp_path):
    path = tmp_path / "wide.xlsx"
    with xlsx.write(path) as sheet:
        sheet.append([f"столбец {i}" for i in range(703)])
    ws = load_workbook(path).active
    letters = {0: "A", 25: "Z", 26: "AA", 701: "ZZ", 702: "AAA"}
    assert {i: ws[f"{letter}1"].value for i, letter in letters.items()} == {i: f"столбец {i}" for i in letters}
