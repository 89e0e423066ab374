"""Refresh the ОКВЭД2 and ОКПД2 classifiers from a new edition of the official file (encoding detected:
Rosstat publishes ОКВЭД2 in Windows-1251 with «;»). Codes are upserted; none is deleted, because
organisations and projects point to them."""

from pathlib import Path

from klaster.exchange.readers import SAMPLE, FileProblem, _encoding
from klaster.registry import reference

MINIMUM = {"okved": 1000, "okpd": 10000}  # fewer rows than this is not a full edition


def validate(kind: str, path: Path) -> list[dict]:
    raw = path.read_bytes()
    if not raw:
        raise FileProblem("Файл пуст")
    text = raw.decode(_encoding(raw[:SAMPLE]), errors="strict")
    try:
        rows = reference.okved_rows(text) if kind == "okved" else reference.okpd_rows(text.splitlines())
    except (ValueError, UnicodeDecodeError) as exc:
        raise FileProblem(str(exc)) from None
    if len(rows) < MINIMUM[kind]:
        raise FileProblem(
            f"В файле {len(rows)} кодов: это не полный классификатор (ожидается не меньше {MINIMUM[kind]})"
        )
    return rows


def write(kind: str, rows: list[dict]) -> dict[str, int]:
    model = reference._model("Okved" if kind == "okved" else "Okpd")
    before = model.objects.count()
    reference._upsert(model, reference._by_level(rows), "code")
    from klaster.exchange.rows import okved_codes

    okved_codes.cache_clear()
    return {"codes": len(rows), "added": model.objects.count() - before}
