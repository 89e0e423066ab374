"""The readers on their own: JSON streamed, the CSV delimiter and encoding, title rows above the header."""

import codecs
import json
import tracemalloc
from pathlib import Path

import pytest
from openpyxl import Workbook

from klaster.exchange import readers
from klaster.exchange.headers import resolve
from klaster.exchange.readers import FileProblem, read


def is_header(cells: list) -> bool:
    """What the importer passes: a row naming at least two known columns."""
    return len(resolve(cells, {})) >= 2


def only_sheet(path: Path, **kwargs) -> tuple[readers.Sheet, list]:
    (sheet,) = read(path, **kwargs)
    return sheet, list(sheet.rows)


# JSON


TRICKY = [
    {"Наименование": "ООО «Скобки ] и запятые, {фигурные}»", "ИНН": "7707083893"},
    {"ИНН": "5408106348", "Наименование": 'Кавычки \\" внутри: "да"', "Регион": 54},
    {"Регион": "40", "Вложенное": {"а": [1, "]", {"б": "},"}]}, "Пусто": None},
    {},
    {"Наименование": "Ёлки — " + "ж" * 50, "Дата вступления": "2024-01-01"},
]


@pytest.mark.parametrize("block", [1, 3, 7, 64 * 1024])
@pytest.mark.parametrize("bom", [b"", codecs.BOM_UTF8])
def test_json_is_read_in_blocks_as_a_whole_read_would_read_it(tmp_path, monkeypatch, block, bom):
    """Tiny blocks cut strings, escapes and (in bytes) Cyrillic letters anywhere; the result must not change."""
    monkeypatch.setattr(readers, "JSON_BLOCK", block)
    path = tmp_path / "r.json"
    path.write_bytes(
        bom + (" \n[ " + ",\r\n\t".join(json.dumps(o, ensure_ascii=False) for o in TRICKY) + " ]\n").encode()
    )
    sheet, rows = only_sheet(path)
    headers = ["Наименование", "ИНН", "Регион", "Вложенное", "Пусто", "Дата вступления"]
    assert (sheet.headers, sheet.header_row) == (headers, 1)
    assert rows == [(i, [o.get(h) for h in headers]) for i, o in enumerate(TRICKY, start=2)]


def test_an_empty_json_list_has_no_rows(tmp_path):
    path = tmp_path / "e.json"
    path.write_text(" [ ] ", encoding="utf-8")
    sheet, rows = only_sheet(path)
    assert (sheet.headers, rows) == ([], [])


@pytest.mark.parametrize("block", [2, 64 * 1024])
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"ИНН": "1"}, {"ИНН": "2"', "JSON не читается: JSONDecodeError (файл обрезан или не JSON)"),
        ('[{"ИНН": "1"}, {"ИНН": "2"}', "JSON не читается: JSONDecodeError (файл обрезан или не JSON)"),
        ('[{"ИНН": "1"}, ]', "JSON не читается: JSONDecodeError (файл обрезан или не JSON)"),
        ('[{"ИНН": "1"} {"ИНН": "2"}]', "JSON не читается: JSONDecodeError (файл обрезан или не JSON)"),
        ('[{"ИНН": "1"}] []', "JSON не читается: JSONDecodeError (файл обрезан или не JSON)"),
        ("ИНН;Наименование\n", "JSON не читается: JSONDecodeError (файл обрезан или не JSON)"),
        ("   ", "JSON не читается: JSONDecodeError (файл обрезан или не JSON)"),
        ('{"ИНН": "1"}', "JSON: ожидается список объектов с полями реестра"),
        ('{"данные": [{"ИНН": "1"}]', "JSON: ожидается список объектов с полями реестра"),
        ('"строка"', "JSON: ожидается список объектов с полями реестра"),
        ('[{"ИНН": "1"}, ["ИНН"]]', "JSON: ожидается список объектов с полями реестра"),
        ("[1, 2]", "JSON: ожидается список объектов с полями реестра"),
    ],
)
def test_a_broken_json_is_refused_before_any_row(tmp_path, monkeypatch, block, text, message):
    monkeypatch.setattr(readers, "JSON_BLOCK", block)
    path = tmp_path / "b.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileProblem) as problem:
        read(path)
    assert str(problem.value) == message


def test_a_json_not_in_utf8_is_refused(tmp_path):
    path = tmp_path / "cp.json"
    path.write_bytes('[{"Наименование": "ООО «Альфа»"}]'.encode("cp1251"))
    with pytest.raises(FileProblem, match="JSON не читается: UnicodeDecodeError"):
        read(path)


def test_a_large_json_is_never_whole_in_memory(tmp_path):
    """A registry export may be 1 GB: reading 20 MB must take a small fraction of it, both passes included."""
    row = {"ИНН": "7707083893", "Наименование": "ООО «Ромашка» " + "я" * 900, "Регион": "40"}
    line = json.dumps(row, ensure_ascii=False)
    count = 20 * 1024 * 1024 // len(line.encode())
    path = tmp_path / "big.json"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("[\n")
        for _ in range(count - 1):
            fh.write(line + ",\n")
        fh.write(json.dumps({**row, "Роль": "участник"}, ensure_ascii=False) + "\n]\n")
    size = path.stat().st_size
    assert size > 19 * 1024 * 1024
    tracemalloc.start()
    try:
        (sheet,) = read(path)
        seen = 0
        for number, cells in sheet.rows:  # noqa: B007 (the last row is checked below)
            seen += 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert sheet.headers == ["ИНН", "Наименование", "Регион", "Роль"]
    assert (seen, number, cells[3]) == (count, count + 1, "участник")
    assert peak < size / 10, f"peak {peak} bytes for a file of {size}"  # about 1 MB; a whole read took 80


# CSV: delimiter and encoding


@pytest.mark.parametrize(
    ("content", "headers", "row"),
    [
        (
            "Парк;Регион площадки;Площадь, га\nП;40;1 500,5\n",
            ["Парк", "Регион площадки", "Площадь, га"],
            ["П", "40", "1 500,5"],
        ),
        (
            "Площадь, га;Площадь зданий, м2\n1,5;2,5\n3,5;4,5\n",
            ["Площадь, га", "Площадь зданий, м2"],
            ["1,5", "2,5"],
        ),
        (
            'Парк,Регион площадки,"Площадь, га"\nП,40,"1 500,5"\nЗ,50,7\n',
            ["Парк", "Регион площадки", "Площадь, га"],
            ["П", "40", "1 500,5"],
        ),
        (
            "Парк\tРегион площадки\tПлощадь, га\nП\t40\t1 500,5\n",
            ["Парк", "Регион площадки", "Площадь, га"],
            ["П", "40", "1 500,5"],
        ),
    ],
    ids=["semicolon-comma-in-header", "semicolon-commas-everywhere", "comma-quoted", "tab"],
)
def test_the_delimiter_is_chosen_on_the_first_rows_not_the_header_alone(tmp_path, content, headers, row):
    path = tmp_path / "p.csv"
    path.write_text(content, encoding="utf-8")
    sheet, rows = only_sheet(path)
    assert (sheet.headers, rows[0]) == (headers, (2, row))
    assert "area_ha" in resolve(sheet.headers, {}).values()


@pytest.mark.parametrize("bom, codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_excel_unicode_text_is_read_as_utf16_with_tabs(tmp_path, bom, codec):
    """Excel's «Текст Юникод»: UTF-16 with a BOM, tabs, CRLF; every other byte of Latin text is NUL."""
    text = "ИНН\tНаименование\tРегион\r\n7707083893\tООО «Альфа», Москва\t77\r\n5408106348\tABC\t54\r\n"
    path = tmp_path / "u.txt"
    path.write_bytes(bom + text.encode(codec))
    sheet, rows = only_sheet(path)
    assert sheet.headers == ["ИНН", "Наименование", "Регион"]
    assert rows == [(2, ["7707083893", "ООО «Альфа», Москва", "77"]), (3, ["5408106348", "ABC", "54"])]


def test_a_foreign_line_is_named_where_its_bytes_start(tmp_path):
    """The text wrapper decodes ahead of the CSV reader: the message must still name the line itself."""
    path = tmp_path / "mixed.csv"
    good = "ООО «Альфа»;7707083893;40\n" * 3000
    path.write_bytes(("Наименование;ИНН;Регион\n" + good).encode() + "ООО «Бета»;5408106348;54\n".encode("cp1251"))
    (sheet,) = read(path)
    with pytest.raises(FileProblem, match=r"^Строка 3002: байты не в кодировке utf-8"):
        list(sheet.rows)


# Title rows above the header


TITLED = "Реестр промышленных кластеров на 01.10.2026{pad}\n{pad}\nНаименование кластера;Номер в реестре;Регион\n"


@pytest.mark.parametrize("pad", ["", ";;"])
def test_a_csv_title_above_the_header_is_skipped(tmp_path, pad):
    path = tmp_path / "t.csv"
    path.write_text(TITLED.format(pad=pad) + "Кластер «Альфа»;ПК-1;40\n\nКластер «Бета»;ПК-2;50\n", encoding="utf-8")
    sheet, rows = only_sheet(path, is_header=is_header)
    assert (sheet.headers, sheet.header_row) == (["Наименование кластера", "Номер в реестре", "Регион"], 3)
    assert rows == [(4, ["Кластер «Альфа»", "ПК-1", "40"]), (6, ["Кластер «Бета»", "ПК-2", "50"])]


def test_without_a_recognised_header_the_first_row_is_the_header(tmp_path):
    """Nothing that read before the title search stops reading: unknown headers are the first row, as before."""
    path = tmp_path / "o.csv"
    path.write_text("Налоговый номер;Компания\n7707083893;ООО «Альфа»\n", encoding="utf-8")
    sheet, rows = only_sheet(path, is_header=is_header)
    assert (sheet.headers, sheet.header_row, rows) == (
        ["Налоговый номер", "Компания"],
        1,
        [(2, ["7707083893", "ООО «Альфа»"])],
    )
    path.write_text(TITLED.format(pad="") + "К;ПК-1;40\n", encoding="utf-8")
    sheet, rows = only_sheet(path)
    assert (sheet.header_row, len(rows)) == (1, 2)


def test_the_header_is_looked_for_in_the_first_twenty_rows_only(tmp_path):
    path = tmp_path / "far.csv"
    path.write_text("Заголовок\n" * 20 + "ИНН;Наименование\n7707083893;ООО\n", encoding="utf-8")
    sheet, rows = only_sheet(path, is_header=is_header)
    assert (sheet.headers, sheet.header_row, len(rows)) == (["Заголовок"], 1, 21)
    path.write_text("Заголовок\n" * 19 + "ИНН;Наименование\n7707083893;ООО\n", encoding="utf-8")
    sheet, rows = only_sheet(path, is_header=is_header)
    assert (sheet.headers, sheet.header_row, rows) == (["ИНН", "Наименование"], 20, [(21, ["7707083893", "ООО"])])


def titled_book(path: Path, merge: str | None = "A1:D1") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Кластеры"
    sheet.append(["Реестр промышленных кластеров на 01.10.2026"])
    sheet.append([])
    sheet.append(["Наименование кластера", "Номер в реестре", "Регион кластера", "Специализация"])
    sheet.append(["Кластер «Альфа»", "ПК-1", 40])
    sheet.append([])
    sheet.append(["Кластер «Бета»", "ПК-2", 50, "химия"])
    if merge:  # after the rows: append() writes below the last cell a merge made
        sheet.merge_cells(merge)
    members = book.create_sheet("Участники")
    members.append(["Номер в реестре", "ИНН"])
    members.append(["ПК-1", "7707083893"])
    members.merge_cells("A5:B5")  # a merge among the data is none of the header's business
    book.save(path)
    return path


def test_a_merged_title_above_the_workbook_header_is_accepted(tmp_path):
    first, second = read(titled_book(tmp_path / "t.xlsx"), is_header=is_header)
    assert (first.header_row, first.headers[:2]) == (3, ["Наименование кластера", "Номер в реестре"])
    assert list(first.rows) == [
        (4, ["Кластер «Альфа»", "ПК-1", 40, None]),
        (6, ["Кластер «Бета»", "ПК-2", 50, "химия"]),
    ]
    assert (second.header_row, list(second.rows)) == (1, [(2, ["ПК-1", "7707083893"])])


def test_a_workbook_title_is_the_header_when_none_is_recognised(tmp_path):
    """Without `is_header`, the first row is the header, as before: then the merged title is in the header."""
    with pytest.raises(FileProblem, match=r"Объединённые ячейки в заголовке \(A1:D1\)"):
        read(titled_book(tmp_path / "t.xlsx"))
    (sheet, _) = read(titled_book(tmp_path / "plain.xlsx", merge=None))
    assert (sheet.header_row, sheet.headers[0]) == (1, "Реестр промышленных кластеров на 01.10.2026")


@pytest.mark.parametrize("merge", ["A3:B3", "C3:C4", "B4:C4", "A2:A3"])
def test_a_merge_in_the_header_or_right_under_it_is_refused(tmp_path, merge):
    """A merge across header cells, or a two-row header, leaves a column without its own name."""
    with pytest.raises(FileProblem, match=rf"Объединённые ячейки в заголовке \({merge}\)"):
        read(titled_book(tmp_path / "m.xlsx", merge=merge), is_header=is_header)


# How much of the file has been read (the CLI's bar, the upload page's)


def _shares(sheet: readers.Sheet) -> list[float | None]:
    return [sheet.done(number) for number, _ in sheet.rows]


def test_a_csv_reports_the_share_of_its_bytes_read(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("ИНН;Наименование\n" + "".join(f"77{i:08d};ООО «Участник {i}»\n" for i in range(40_000)))
    (sheet,) = read(path)
    shares = _shares(sheet)
    assert shares == sorted(shares) and 0 < shares[0] < 0.1 and shares[-1] == 1.0
    assert 0.4 < shares[20_000] < 0.6


def test_a_workbook_reports_rows_of_its_dimension_and_a_json_its_objects(tmp_path):
    book = Workbook()
    book.active.append(["ИНН", "Наименование"])
    for i in range(99):
        book.active.append([f"77{i:08d}", f"ООО «{i}»"])
    book.save(tmp_path / "r.xlsx")
    (sheet,) = read(tmp_path / "r.xlsx")
    shares = _shares(sheet)
    assert (shares[0], shares[49], shares[-1]) == (0.02, 0.51, 1.0)
    (tmp_path / "r.json").write_text(json.dumps([{"ИНН": str(i)} for i in range(4)]), encoding="utf-8")
    (sheet,) = read(tmp_path / "r.json")
    assert _shares(sheet) == [0.25, 0.5, 0.75, 1.0]
