"""The error report of an import as XLSX: row, column, value, reason — fix the file and upload it again."""

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from klaster.core.cells import neutralise

HEAD = ["Строка", "Столбец", "Значение", "Причина"]


def errors_xlsx(errors: list[dict], out: Path | None = None):
    """Write to `out`, or return the workbook's bytes."""
    import io

    book = Workbook()
    sheet = book.active
    sheet.title = "Ошибки"
    sheet.append(HEAD)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for e in errors:
        sheet.append([e["row"], e["column"], neutralise(e.get("value", "")), e["reason"]])
    for column, width in zip("ABCD", (8, 28, 30, 90), strict=True):
        sheet.column_dimensions[column].width = width
    if out is not None:
        book.save(out)
        return out
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
