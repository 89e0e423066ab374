"""Tables shown on pages and their exports: CSV streamed row by row, XLSX in openpyxl's write-only mode.

One `Table` describes the columns once (key, Russian header), so the page, the CSV and the XLSX never
disagree; rows are any iterable of dicts or objects, consumed lazily so 100 000 rows never sit in memory.
"""

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook

from klaster.core.cells import neutralise


@dataclass
class Column:
    key: str
    header: str
    get: Callable[[Any], Any] | None = None
    numeric: bool = False

    def value(self, row: Any) -> Any:
        if self.get is not None:
            return self.get(row)
        return row.get(self.key) if isinstance(row, dict) else getattr(row, self.key, None)


@dataclass
class Table:
    columns: list[Column]
    rows: Iterable[Any] = field(default_factory=list)

    def values(self) -> Iterator[list[Any]]:
        for row in self.rows:
            yield [c.value(row) for c in self.columns]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return neutralise(value)


def csv_response(table: Table, filename: str) -> StreamingHttpResponse:
    """UTF-8 with a BOM and `;`: what Excel in a Russian locale opens without an import dialog."""
    writer = csv.writer(_Echo(), delimiter=";")

    def stream() -> Iterator[str]:
        yield "\ufeff" + writer.writerow([c.header for c in table.columns])
        for values in table.values():
            yield writer.writerow([_cell(v) for v in values])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral() else int(value)
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def xlsx_response(table: Table, filename: str, sheet: str = "Данные") -> FileResponse:
    """Written row by row to a temporary file (write-only workbook), then streamed from disk."""
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(sheet[:31])
    ws.append([c.header for c in table.columns])
    for values in table.values():
        ws.append([_xlsx_value(v) for v in values])
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def export_response(table: Table, filename: str, fmt: str):
    return xlsx_response(table, filename) if fmt == "xlsx" else csv_response(table, filename)
