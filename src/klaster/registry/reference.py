"""Load the shipped reference data: regions (with population), ОКВЭД2 and ОКПД2.

The files in `data/` are copies of the official or openly licensed files (see docs/data.md);
loaders are idempotent upserts, so `klaster init` can run on every start.
"""

import csv
import gzip
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from importlib import resources
from typing import Any

from klaster.registry.choices import FederalDistrict

DATA = resources.files("klaster.registry") / "data"

# The 2022 subjects are absent from the HFLabs file; ISO 3166-2 has no codes for them.
NEW_SUBJECTS = [
    {"code": "90", "name": "Запорожская область", "type": "обл", "federal_district": FederalDistrict.SOUTHERN},
    {
        "code": "93",
        "name": "Донецкая Народная Республика",
        "type": "Респ",
        "federal_district": FederalDistrict.SOUTHERN,
    },
    {
        "code": "94",
        "name": "Луганская Народная Республика",
        "type": "Респ",
        "federal_district": FederalDistrict.SOUTHERN,
    },
    {"code": "95", "name": "Херсонская область", "type": "обл", "federal_district": FederalDistrict.SOUTHERN},
]
# HFLabs carries Ukrainian ISO codes for Crimea and Sevastopol; Klaster uses the Russian ones.
ISO_OVERRIDES = {"91": "RU-CR", "92": "RU-SEV"}
# Three names differ between the Rosstat population file and the name→ISO mapping.
POPULATION_NAME_ALIASES = {
    "Чувашская Республика": "Республика Чувашия",
    "Ханты-Мансийский автономный округ-Югра": "Ханты-Мансийский АО",
}
POPULATION_ON = date(2020, 1, 1)
DISTRICTS = {label: value for value, label in FederalDistrict.choices}


def _norm(name: str) -> str:
    return re.sub(r"[\s\-—–]+", "", name.lower().replace("ё", "е"))


def region_rows() -> list[dict[str, Any]]:
    """All 89 federal subjects as dicts ready for Region(**row)."""
    iso_to_full = {
        iso.removeprefix("iso2:"): name
        for name, iso in json.loads((DATA / "ru_regions_name_to_iso_mapping.json").read_text()).items()
    }
    full_to_iso = {_norm(name): iso for iso, name in iso_to_full.items()}
    population_by_iso: dict[str, int] = {}
    for row in json.loads((DATA / "ru_regions_population_rosstat_2020-01-01.json").read_text()):
        name = POPULATION_NAME_ALIASES.get(row["state"], row["state"])
        iso = full_to_iso.get(_norm(name))
        if iso:
            population_by_iso[iso] = int(row["population"])

    with (DATA / "region_capitals.csv").open(encoding="utf-8", newline="") as fh:
        capitals = {row["code"]: row["capital"] for row in csv.DictReader(fh)}
    rows = []
    with (DATA / "ru_regions_codes_hflabs.csv").open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            code = rec["kladr_id"][:2]
            if code == "99":  # Baikonur is not a federal subject
                continue
            iso = ISO_OVERRIDES.get(code, rec["iso_code"])
            rows.append(
                {
                    "code": code,
                    "iso_code": iso,
                    "okato": rec["okato"][:2] if rec["okato"] else "",
                    "name": iso_to_full.get(iso, rec["name_with_type"]),
                    "type": rec["type"],
                    "name_with_type": rec["name_with_type"],
                    "capital": capitals.get(code, ""),
                    "federal_district": DISTRICTS[rec["federal_district"]],
                    "population": population_by_iso.get(iso),
                    "population_on": POPULATION_ON if iso in population_by_iso else None,
                }
            )
    for new in NEW_SUBJECTS:
        rows.append(
            {
                **new,
                "iso_code": None,
                "okato": "",
                "name_with_type": new["name"],
                "capital": capitals[new["code"]],
                "population": None,
                "population_on": None,
            }
        )
    return sorted(rows, key=lambda r: r["code"])


def _okved_parent(code: str, known: set[str], section: str) -> str:
    parts = code.split(".")
    while len(parts) > 1 or len(parts[0]) > 2:
        last = parts[-1]
        parts = [*parts[:-1], last[:-1]] if len(last) > 1 and len(parts) > 1 else parts[:-1]
        candidate = ".".join(p for p in parts if p)
        if candidate in known:
            return candidate
    return section


def _with_levels(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Depth in the hierarchy (26.4 and 26.40 are different depths, though both have one dot)."""
    parents = {r["code"]: r["parent_id"] for r in rows}
    for row in rows:
        level, code = 0, row["code"]
        while parents.get(code):
            level, code = level + 1, parents[code]
        row["level"] = level
    return rows


def okved_rows(text: str | None = None) -> list[dict[str, Any]]:
    """ОКВЭД2 from Rosstat's file as published: Windows-1251, `;`, all fields quoted, no header (`text`:
    another edition of that file, already decoded)."""
    raw = (
        text
        if text is not None
        else (DATA / "okved2_rosstat_opendata_20231201_cp1251.csv").read_bytes().decode("cp1251")
    )
    records = []
    for number, fields in enumerate(csv.reader(io.StringIO(raw, newline=""), delimiter=";"), start=1):
        if len(fields) != 3:
            raise ValueError(
                f"ОКВЭД2, строка {number}: ожидается 3 поля (раздел; код; наименование), а их {len(fields)}"
            )
        records.append(tuple(f.strip() for f in fields))
    known = {c for _, c, _ in records if c}
    rows = []
    for section, code, name in records:
        if not code:
            rows.append({"code": section, "section": section, "name": name, "parent_id": None})
        else:
            rows.append(
                {"code": code, "section": section, "name": name, "parent_id": _okved_parent(code, known, section)}
            )
    return _with_levels(rows)


def okpd_rows(lines: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """ОКПД2 from the TSV: `code<space><TAB>name`; five lines carry a stray `"` field, so the name is last.

    ОКПД2 divisions match ОКВЭД2 divisions (both follow КДЕС), so the section comes from ОКВЭД2.
    """
    division_section = {r["code"]: r["section"] for r in okved_rows() if len(r["code"]) == 2 and r["code"].isdigit()}
    with gzip.open(DATA / "okpd2_rosstat_20251205.tsv.gz", "rt", encoding="utf-8") as fh:
        source = lines if lines is not None else fh
        records = []
        for line in source:
            fields = line.rstrip("\n").split("\t")
            name = fields[-1].strip()
            if name.count('"') % 2 == 1 and name.endswith('"'):
                name = name[:-1].rstrip()
            if fields[0].strip():
                records.append((fields[0].strip(), name))
    known = {c for c, _ in records}
    rows = []
    for code, name in records:
        if code.isalpha():
            rows.append({"code": code, "section": code, "name": name, "parent_id": None})
        else:
            section = division_section.get(code[:2], "")
            rows.append(
                {"code": code, "section": section, "name": name, "parent_id": _okved_parent(code, known, section)}
            )
    return _with_levels(rows)


def _upsert(model, rows: list[dict[str, Any]], key: str, batch: int = 2000) -> int:
    fields = [f for f in rows[0] if f != key]
    # Parents first: a self-referencing foreign key must point at a row that exists.
    for start in range(0, len(rows), batch):
        model.objects.bulk_create(
            [model(**r) for r in rows[start : start + batch]],
            update_conflicts=True,
            unique_fields=[key],
            update_fields=fields,
        )
    return len(rows)


def _by_level(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (r["level"], r["code"]))


# Model names, not classes: the row parsers above run without Django (synth --out, Dask workers).
LOADERS: dict[str, tuple[Callable[[], list[dict[str, Any]]], str]] = {
    "regions": (region_rows, "Region"),
    "okved": (lambda: _by_level(okved_rows()), "Okved"),
    "okpd": (lambda: _by_level(okpd_rows()), "Okpd"),
}


def _model(name: str):
    from django.apps import apps

    return apps.get_model("registry", name)


def load_reference(only: list[str] | None = None, *, force: bool = False) -> dict[str, int]:
    """Upsert each reference table in one transaction; skip a table already complete unless `force`."""
    from django.db import transaction

    with transaction.atomic():
        return _load(only, force)


def _load(only: list[str] | None, force: bool) -> dict[str, int]:
    counts = {}
    for name, (rows_fn, model_name) in LOADERS.items():
        if only and name not in only:
            continue
        model = _model(model_name)
        rows = rows_fn()
        if not force and model.objects.count() == len(rows):
            counts[name] = 0
            continue
        counts[name] = _upsert(model, rows, "code")
    return counts


def iter_counts() -> Iterator[tuple[str, int]]:
    for name, (_, model_name) in LOADERS.items():
        yield name, _model(model_name).objects.count()
