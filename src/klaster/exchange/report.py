"""The error report of an import as XLSX: row, column, value, reason — fix the file and upload it again."""

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from klaster.core.cells import neutralise

HEAD = ["Строка", "Столбец", "Значение", "Причина"]
COUNT_LABELS = {
    "rows": "строк в файле",
    "organizations_created": "организаций добавлено", "organizations_updated": "организаций изменено",
    "organizations_unchanged": "организаций без изменений", "sites_created": "площадок добавлено",
    "sites_updated": "площадок изменено", "sites_unchanged": "площадок без изменений",
    "memberships_created": "участий добавлено", "memberships_updated": "участий изменено",
    "memberships_unchanged": "участий без изменений", "codes": "кодов в файле", "added": "кодов добавлено",
    "regions": "субъектов в файле", "regions_added": "субъектов добавлено", "regions_changed": "субъектов изменено",
    "documents": "сведений в файле", "not_in_registry": "организаций нет в реестре",
    "years_created": "численностей за год добавлено", "years_updated": "численностей за год изменено",
}  # fmt: skip


def counts_text(counts: dict[str, int]) -> str:
    """What an import counted, in words: «строк в файле 3, организаций добавлено 2, …»."""
    return ", ".join(f"{COUNT_LABELS.get(k, k)} {v:,}".replace(",", " ") for k, v in counts.items())


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
