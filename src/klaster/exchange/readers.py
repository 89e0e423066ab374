"""Streaming readers of CSV, XLSX and JSON files: rows one at a time, problems of the whole file as clear errors.

A file is recognised by its content, not its name: an XLSX is a ZIP, a PDF or another binary is refused,
and text is decoded with the encoding detected on its first 64 KB (the official ОКВЭД2 file is Windows-1251
with «;», Excel's «Unicode text» is UTF-16 with tabs: never assume UTF-8), with the delimiter chosen on the
first rows of the same sample. Title rows above the header are skipped when the caller can recognise the header.
"""

import codecs
import csv
import io
import json
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from xml.etree.ElementTree import iterparse

from charset_normalizer import from_bytes

SAMPLE = 64 * 1024
MERGE_REF = re.compile(r"^([A-Z]+)(\d+):([A-Z]+)(\d+)$")
DELIMITERS = (";", "\t", ",")  # in the order preferred on a tie: «;» is what a Russian Excel writes
SNIFF_ROWS = 20
HEADER_SEARCH = 20  # non-empty rows in which a header is looked for, below a title
JSON_BLOCK = 64 * 1024  # characters read at a time
JSON_MAX_OBJECT = 16 * 1024 * 1024  # a registry row is a few KB: more undecodable text is a broken file
NON_BLANK = re.compile(r"[^ \t\n\r]")

IsHeader = Callable[[list], bool]


class FileProblem(ValueError):
    """The file as a whole cannot be read; the message is Russian and says what to do."""


@dataclass
class Sheet:
    name: str
    headers: list
    header_row: int
    rows: Iterator[tuple[int, list]]  # (row number in the file, cells)
    done: Callable[[int], float | None] = lambda number: None  # the share read by that row, if known


def _bytes_read(handle, size: int) -> Callable[[int], float | None]:
    """The share of a text file read so far, from its byte position (a block ahead of the rows at most)."""

    def done(number: int) -> float | None:
        try:
            return min(handle.buffer.tell() / size, 1.0)
        except (ValueError, OSError):  # closed
            return None

    return done


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
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's «Unicode text»: every other byte of Cyrillic-free text is NUL, yet it is text
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


def _delimiter(text: str, complete: bool) -> str:
    """The candidate that splits most of the first rows into one number (> 1) of fields; «;» on a tie.

    The header line alone misleads: «Площадь, га» is a header of «;» files, and a title row has no delimiter."""
    if not complete:  # the sample ends inside a line
        text = text[: text.rfind("\n") + 1] or text
    best, best_rows = ";", 0
    for candidate in DELIMITERS:
        widths: Counter = Counter()
        try:
            for cells in islice(csv.reader(io.StringIO(text), delimiter=candidate), SNIFF_ROWS):
                if len(cells) > 1:
                    widths[len(cells)] += 1
        except csv.Error:
            pass
        rows = max(widths.values(), default=0)
        if rows > best_rows:
            best, best_rows = candidate, rows
    return best


def _split_header(
    rows: Iterator[tuple[int, list]], is_header: IsHeader | None
) -> tuple[int, list, Iterator[tuple[int, list]]] | None:
    """(header row number, headers, the data rows after it), or None for a sheet without a non-empty row.

    The header is the first of the first non-empty rows `is_header` accepts (titles above it are dropped);
    if none is accepted, the first non-empty row, as without a test: no file that read before stops reading."""
    head = list(islice(rows, HEADER_SEARCH if is_header else 1))
    if not head:
        return None
    at = next((i for i, (_, cells) in enumerate(head) if is_header and is_header(cells)), 0)
    number, headers = head[at]
    return number, list(headers), chain(head[at + 1 :], rows)


def _csv_records(reader, path: Path, encoding: str) -> Iterator[tuple[int, list]]:
    """Non-empty records numbered as a spreadsheet shows them (a quoted line break stays in its row)."""
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if (cells and cells[0].strip()) or any(c.strip() for c in cells):
                yield number, cells
    except (csv.Error, UnicodeDecodeError) as exc:
        foreign = _foreign_line(path, encoding) if isinstance(exc, UnicodeDecodeError) else None
        raise FileProblem(f"Строка {foreign or number + 1}: {_reason(exc, encoding)}") from None


def _foreign_line(path: Path, encoding: str) -> int | None:
    """The line where bytes foreign to the encoding start (a file saved in parts): the text wrapper decodes
    ahead of the reader, so the record being read when it fails may be some lines before them."""
    if "16" in encoding:
        return None  # a line break is two bytes in UTF-16: the record number has to do
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError:
                return number
    return None


def read_csv(path: Path, is_header: IsHeader | None = None) -> list[Sheet]:
    with path.open("rb") as fh:
        sample = fh.read(SAMPLE)
    encoding = _encoding(sample)
    delimiter = _delimiter(sample.decode(encoding, errors="ignore"), complete=len(sample) < SAMPLE)
    handle = io.TextIOWrapper(path.open("rb"), encoding=encoding, newline="")
    records = _csv_records(csv.reader(handle, delimiter=delimiter, strict=True), path, encoding)
    try:
        found = _split_header(records, is_header)
    except Exception:
        handle.close()
        raise
    if found is None:
        handle.close()
        raise FileProblem("В файле нет ни одной строки")
    header_row, headers, data = found

    def rows() -> Iterator[tuple[int, list]]:
        try:
            yield from data
        finally:
            handle.close()

    return [Sheet(path.name, headers, header_row, rows(), _bytes_read(handle, path.stat().st_size))]


def _reason(exc: Exception, encoding: str) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"байты не в кодировке {encoding}: файл в смешанной кодировке или повреждён"
    if "unexpected end of data" in str(exc) or "EOF" in str(exc):
        return "файл обрывается посреди строки (незакрытые кавычки)"
    return f"ошибка CSV ({exc})"


def _merges(path: Path) -> dict[str, list[tuple[int, int, str]]]:
    """Merged ranges by sheet part: (first row, last row, ref). Read-only mode cannot see merges."""
    found: dict[str, list[tuple[int, int, str]]] = {}
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if not re.match(r"xl/worksheets/[^/]+\.xml$", name):
                continue
            with book.open(name) as fh:
                for _, element in iterparse(fh, events=("end",)):
                    if element.tag.endswith("mergeCell"):
                        match = MERGE_REF.match(element.get("ref", ""))
                        if match:
                            first, last = sorted((int(match[2]), int(match[4])))
                            found.setdefault(name, []).append((first, last, match[0]))
                    element.clear()
    return found


def _merged_header(merges: list[tuple[int, int, str]], header_row: int) -> str | None:
    """A merge over the header or the row under it (a two-row header) leaves columns without a name;
    a merged title above the header is normal in ministry spreadsheets."""
    return next((ref for first, last, ref in merges if first <= header_row + 1 and last >= header_row), None)


def _filled_rows(cells) -> Iterator[tuple[int, list]]:
    for number, row in enumerate(cells, start=1):
        if row and any(v not in (None, "") for v in row):
            yield number, list(row)


def _padded(rows: Iterator[tuple[int, list]], width: int) -> Iterator[tuple[int, list]]:
    # A sheet may leave a row's trailing empty cells out (no <dimension> to pad them): in a workbook
    # that is not a row cut short, as it would be in a CSV.
    for number, row in rows:
        yield number, [*row, *[None] * (width - len(row))]


def read_xlsx(path: Path, is_header: IsHeader | None = None) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        merges = _merges(path)
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise FileProblem(f"XLSX повреждён или обрезан: {exc.__class__.__name__}") from None
    sheets = []
    for ws in book.worksheets:
        found = _split_header(_filled_rows(ws.iter_rows(values_only=True)), is_header)
        if found is None:
            continue
        header_row, headers, data = found
        merged = _merged_header(merges.get(getattr(ws, "_worksheet_path", "").lstrip("/"), []), header_row)
        if merged:
            raise FileProblem(
                f"Объединённые ячейки в заголовке ({merged}): разъедините их, у каждого столбца — свой заголовок"
            )
        total = ws.max_row  # from the sheet's <dimension>, if it has one
        done = (lambda number, total=total: min(number / total, 1.0)) if total else (lambda number: None)
        sheets.append(Sheet(ws.title, headers, header_row, _padded(data, len(headers)), done))
    if not sheets:
        raise FileProblem("В книге нет ни одного листа с данными")
    return sheets


class _JsonArray:
    """The elements of a top-level JSON array one at a time: the buffer holds a block and the element being
    read, never the file (an export may be 1 GB). Text mode decodes UTF-8 incrementally and drops a BOM."""

    DECODER = json.JSONDecoder()

    def __init__(self, fh):
        self.fh, self.buffer, self.pos, self.eof = fh, "", 0, False

    def _more(self, size: int) -> bool:
        chunk = "" if self.eof else self.fh.read(size)
        self.eof = not chunk
        self.buffer, self.pos = self.buffer[self.pos :] + chunk, 0
        return bool(chunk)

    def _peek(self) -> str:
        """The next non-blank character, left unread; "" at the end of the file."""
        while True:
            match = NON_BLANK.search(self.buffer, self.pos)
            if match:
                self.pos = match.start()
                return match[0]
            self.pos = len(self.buffer)
            if not self._more(JSON_BLOCK):
                return ""

    def _value(self):
        self._peek()
        size = JSON_BLOCK
        while True:
            try:
                value, self.pos = self.DECODER.raw_decode(self.buffer, self.pos)
                return value
            except json.JSONDecodeError:  # maybe only cut by the block: read on, in growing steps
                if len(self.buffer) - self.pos > JSON_MAX_OBJECT or not self._more(size):
                    raise
                size *= 2

    def __iter__(self) -> Iterator:
        first = self._peek()
        if first != "[":
            if first != "{":  # an object may be a whole wrapped export: not decoded to say what it is
                self._value()  # not JSON at all: JSONDecodeError
            raise FileProblem("JSON: ожидается список объектов с полями реестра")
        self.pos += 1
        if self._peek() == "]":
            self.pos += 1
        else:
            while True:
                yield self._value()
                separator = self._peek()
                self.pos += 1
                if separator == "]":
                    break
                if separator != ",":
                    raise json.JSONDecodeError("Expecting ',' delimiter", self.buffer, self.pos - 1)
        if self._peek():
            raise json.JSONDecodeError("Extra data", self.buffer, self.pos)


def _json_objects(path: Path) -> Iterator[dict]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for value in _JsonArray(fh):
                if not isinstance(value, dict):
                    raise FileProblem("JSON: ожидается список объектов с полями реестра")
                yield value
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FileProblem(f"JSON не читается: {exc.__class__.__name__} (файл обрезан или не JSON)") from None


def read_json(path: Path) -> list[Sheet]:
    """A JSON export: a list of objects with the same Russian keys as the CSV headers. Two passes, so that
    a 1 GB file is never in memory: the first takes the headers (every key, in first-seen order) and checks
    the whole file, the second yields the rows."""
    keys: dict = {}
    count = 0
    for obj in _json_objects(path):
        keys.update(dict.fromkeys(obj))
        count += 1
    headers = list(keys)

    def rows() -> Iterator[tuple[int, list]]:
        for i, obj in enumerate(_json_objects(path), start=2):
            yield i, [obj.get(h) for h in headers]

    return [Sheet(path.name, headers, 1, rows(), lambda number: min((number - 1) / count, 1.0) if count else None)]


def read(path: Path, is_header: IsHeader | None = None) -> list[Sheet]:
    """`is_header(cells)` recognises the header below title rows (CSV and XLSX; a JSON has no title)."""
    kind = kind_of(path)
    if kind == "xlsx":
        return read_xlsx(path, is_header)
    if path.suffix.lower() == ".json":
        return read_json(path)
    return read_csv(path, is_header)
