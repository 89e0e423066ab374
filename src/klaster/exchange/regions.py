"""Refresh the list of federal subjects from a new edition of the region list (the HFLabs layout Klaster
ships: `name, type, name_with_type, federal_district, kladr_id, okato, …`; CSV in any encoding, or XLSX).

A subject is matched by its two-digit code (the first two digits of `kladr_id`, or a `code` column).
Its full name, type, federal district and ОКАТО follow the file; the short name, ISO code, capital and
population stay as Klaster keeps them (they come from other sources). A code the registry does not know
yet is added; none is deleted, because organisations and sites point to them. Baikonur (99) is not a
federal subject and is skipped, as on first load.
"""

from pathlib import Path

from klaster.exchange.readers import FileProblem, read
from klaster.exchange.rows import RowError
from klaster.registry.reference import DISTRICTS

REQUIRED = ("name", "type", "name_with_type", "federal_district")
MINIMUM = 80  # fewer subjects than this is not a whole list
UPDATED = ("type", "name_with_type", "federal_district", "okato")


def _code(record: dict) -> str:
    code = (record.get("code") or record.get("kladr_id") or "")[:2]
    return code if len(code) == 2 and code.isdigit() else ""


def validate(path: Path) -> tuple[list[dict], list[RowError]]:
    """Rows ready for `Region` and the problems of each bad row (row, column, value, reason)."""
    rows, errors = [], []
    for sheet in read(path):
        headers = [str(h or "").strip() for h in sheet.headers]
        missing = [c for c in REQUIRED if c not in headers] + (
            [] if {"code", "kladr_id"} & set(headers) else ["kladr_id"]
        )
        if missing:
            raise FileProblem(
                f"Лист «{sheet.name}»: нет столбцов {', '.join(missing)} (ожидается список субъектов HFLabs)"
            )
        for number, cells in sheet.rows:
            record = {
                h: str(cells[i] if i < len(cells) and cells[i] is not None else "").strip()
                for i, h in enumerate(headers)
            }
            code = _code(record)
            if code == "99":
                continue
            if not code:
                errors.append(
                    RowError(number, "kladr_id", record.get("kladr_id", ""), "код субъекта: две цифры в начале")
                )
                continue
            if record["federal_district"] not in DISTRICTS:
                known = ", ".join(DISTRICTS)
                errors.append(
                    RowError(
                        number, "federal_district", record["federal_district"], f"нет такого округа; есть: {known}"
                    )
                )
            if not record["name_with_type"]:
                errors.append(RowError(number, "name_with_type", "", "полное название обязательно"))
            rows.append(
                {
                    "code": code,
                    "name": record["name"],
                    "type": record["type"],
                    "name_with_type": record["name_with_type"],
                    "federal_district": DISTRICTS.get(record["federal_district"], ""),
                    "okato": (record.get("okato") or "")[:2],
                    "iso_code": record.get("iso_code") or None,
                    "row": number,
                }
            )
    if not errors and len(rows) < MINIMUM:
        raise FileProblem(f"В файле {len(rows)} субъектов: это не полный список (ожидается не меньше {MINIMUM})")
    return rows, errors


def write(rows: list[dict]) -> dict[str, int]:
    from klaster.registry.lookups import _region_index
    from klaster.registry.models import Region

    known = {r.code: r for r in Region.objects.all()}
    added = changed = 0
    for row in rows:
        region = known.get(row["code"])
        if region is None:
            fields = {k: v for k, v in row.items() if k != "row"}
            Region.objects.create(**{**fields, "name": fields["name_with_type"]})
            added += 1
            continue
        new = {k: row[k] for k in UPDATED if row[k] and getattr(region, k) != row[k]}
        if new:
            Region.objects.filter(pk=region.pk).update(**new)
            changed += 1
    _region_index.cache_clear()
    return {"regions": len(rows), "regions_added": added, "regions_changed": changed}
