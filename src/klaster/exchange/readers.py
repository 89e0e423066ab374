"""Streaming readers of CSV and XLSX files: rows one at a time, problems of the whole file as clear errors.

A file is recognised by its content, not its name: an XLSX is a ZIP, a PDF or another binary is refused,
and text is decoded with the encoding detected on its first 64 KB (the official ОКВЭД2 file is Windows-1251
with «;»: never assume UTF-8), with the delimiter sniffed from the same sample.
"""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import iterparse

from charset_normalizer import from_bytes

SAMPLE = 64 * 1024
MERGE_REF = re.compile(r"^([A-Z]+)(\d+):([A-Z]+)(\d+)$")


class FileProblem(ValueError):
    """The file as a whole cannot be read; the message is Russian and says what to do."""


@dataclass
class Sheet:
    name: str
    headers: list
    header_row: int
    rows: Iterator[tuple[int, list]]  # (row number in the file, cells)


def kind_of(path: Path) -> str:
    size = path.stat().st_size
    if size == 0:
        raise FileProblem("Файл пуст")
    with path.open("rb") as fh:
        head = fh.read(8)
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        if suffix not in (".xlsx", ".xlsm", ""):
            raise FileProblem(f"Файл назван {suffix}, но это XLSX (ZIP): переименуйте его в .xlsx")
        return "xlsx"
    if head.startswith(b"%PDF"):
        raise FileProblem("Это PDF, а не таблица: сохраните реестр как CSV или XLSX")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem("Это старый формат Excel (.xls): сохраните файл как .xlsx")
    if suffix in (".xlsx", ".xlsm"):
        raise FileProblem(f"Файл назван {suffix}, но это не XLSX: сохраните его из Excel заново или как CSV")
    return "csv"


def _encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # the sample cut a character in two
            return "utf-8"
    if b"\x00" in sample:
        raise FileProblem("Файл двоичный, а не текст CSV")
    best = from_bytes(sample, cp_isolation=["cp1251", "koi8_r", "cp866", "utf_16"]).best()
    if best is None:
        raise FileProblem("Не удалось определить кодировку файла: сохраните его как CSV в UTF-8")
    return best.encoding


def read_csv(path: Path) -> list[Sheet]:
    with path.open("rb") as fh:
        sample = fh.read(SAMPLE)
    encoding = _encoding(sample)
    text_sample = sample.decode(encoding, errors="ignore")
    try:
        dialect = csv.Sniffer().sniff(text_sample.split("\n", 20)[0] if text_sample else ";", delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    handle = io.TextIOWrapper(path.open("rb"), encoding=encoding, newline="")
    reader = csv.reader(handle, delimiter=delimiter, strict=True)
    try:
        headers = next(reader)
    except StopIteration:
        raise FileProblem("В файле нет ни одной строки") from None
    except (csv.Error, UnicodeDecodeError) as exc:
        raise FileProblem(f"Строка 1: {_reason(exc, encoding)}") from None

    def rows() -> Iterator[tuple[int, list]]:
        line = 1
        try:
            for line, cells in enumerate(reader, start=2):
                if (cells and cells[0].strip()) or any(c.strip() for c in cells):
                    yield line, cells
        except (csv.Error, UnicodeDecodeError) as exc:
            raise FileProblem(f"Строка {line + 1}: {_reason(exc, encoding)}") from None
        finally:
            handle.close()

    return [Sheet(path.name, headers, 1, rows())]


def _reason(exc: Exception, encoding: str) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"байты не в кодировке {encoding}: файл в смешанной кодировке или повреждён"
    if "unexpected end of data" in str(exc) or "EOF" in str(exc):
        return "файл обрывается посреди строки (незакрытые кавычки)"
    return f"ошибка CSV ({exc})"


def _merged_header(path: Path) -> str | None:
    """A merged range touching the first rows of a sheet (read_only mode cannot see merges)."""
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if not re.match(r"xl/worksheets/sheet\d+\.xml$", name):
                continue
            with book.open(name) as fh:
                for _, element in iterparse(fh, events=("end",)):
                    if element.tag.endswith("mergeCell"):
                        match = MERGE_REF.match(element.get("ref", ""))
                        if match and int(match[2]) <= 2:
                            return element.get("ref")
                    element.clear()
    return None


def _first_row(cells) -> tuple[int, list | None]:
    """The first non-empty row (the header) and its number; the iterator goes on from the next row."""
    for number, row in enumerate(cells, start=1):
        if row and any(v not in (None, "") for v in row):
            return number, list(row)
    return 0, None


def read_xlsx(path: Path) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        merged = _merged_header(path)
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise FileProblem(f"XLSX повреждён или обрезан: {exc.__class__.__name__}") from None
    if merged:
        raise FileProblem(
            f"Объединённые ячейки в заголовке ({merged}): разъедините их, у каждого столбца — свой заголовок"
        )
    sheets = []
    for ws in book.worksheets:
        cells = ws.iter_rows(values_only=True)
        header_row, headers = _first_row(cells)
        if headers is None:
            continue

        width = len(headers)

        def rows(cells=cells, start=header_row, width=width) -> Iterator[tuple[int, list]]:
            # A sheet may leave a row's trailing empty cells out (no <dimension> to pad them): in a workbook
            # that is not a row cut short, as it would be in a CSV.
            for number, row in enumerate(cells, start=start + 1):
                if row and any(v not in (None, "") for v in row):
                    yield number, [*row, *[None] * (width - len(row))]

        sheets.append(Sheet(ws.title, headers, header_row, rows()))
    if not sheets:
        raise FileProblem("В книге нет ни одного листа с данными")
    return sheets


def read_json(path: Path) -> list[Sheet]:
    """A JSON export: a list of objects with the same Russian keys as the CSV headers."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FileProblem(f"JSON не читается: {exc.__class__.__name__} (файл обрезан или не JSON)") from None
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise FileProblem("JSON: ожидается список объектов с полями реестра")
    headers = list(dict.fromkeys(k for r in data for k in r))
    rows = ((i, [r.get(h) for h in headers]) for i, r in enumerate(data, start=2))
    return [Sheet(path.name, headers, 1, rows)]


def read(path: Path) -> list[Sheet]:
    kind = kind_of(path)
    if kind == "xlsx":
        return read_xlsx(path)
    if path.suffix.lower() == ".json":
        return read_json(path)
    return read_csv(path)
