"""Export of every registry in the layout the importer reads (CSV, XLSX, JSON): export → import changes nothing.

Rows are streamed from the database in chunks (`iterator`), and XLSX is written row by row into the zip
(`core.xlsx`), so a registry of 100 000 organisations never sits in memory as cells.
"""

import csv
import json
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

from klaster.core import xlsx
from klaster.core.cells import neutralise
from klaster.exchange.entries import entry_event
from klaster.registry import park_card
from klaster.registry.choices import MembershipRole, Ownership, SizeCategory
from klaster.registry.models import Membership, Organization, Site

ORG_HEAD = ["ИНН", "ОГРН", "Наименование", "Краткое наименование", "Регион", "ОКВЭД2", "Категория"]
# The columns a registry published first, then what Klaster keeps beside them (added at the end, so a file
# edited by column position in an older layout still lines up).
SITE_HEAD = ["Наименование кластера", "Номер в реестре", "Регион кластера", "Дата включения в реестр",
             "ИНН участника", "Наименование участника", "Регион", "ОКВЭД2", "Роль", "Дата вступления",
             "ОГРН участника", "Специализация", "ИНН специализированной организации"]  # fmt: skip
PARK_HEAD = ["Площадь, га", "Площадь зданий, м²", "Форма собственности"]  # the GISIP card's fields Klaster keeps
SITE_KINDS = {
    "clusters": ("industrial_cluster",),
    "parks": ("industrial_park", "industrial_technopark", "hightech_technopark"),
    "sez": ("sez",),
}
ROLE = dict(MembershipRole.choices)
SIZE = dict(SizeCategory.choices)
OWNERSHIP = {k: v.lower() for k, v in Ownership.choices}


def _day(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _number(value) -> str:
    return "" if value is None else park_card.decimal_text(value)


def head(kind: str) -> list[str]:
    if kind == "organizations":
        return ORG_HEAD
    columns = SITE_HEAD[:1] + ["Вид площадки"] * (kind == "parks") + SITE_HEAD[1:]
    if kind != "clusters":  # a park's or zone's specialised organisation is its management company
        columns[-1] = "ИНН управляющей компании"
    return columns + (PARK_HEAD + [f.label for f in park_card.FIELDS]) * (kind == "parks")


def rows(kind: str) -> Iterator[list]:
    if kind == "organizations":
        for o in (
            Organization.objects.exclude(inn="").exclude(inn__isnull=True).order_by("inn").iterator(chunk_size=5000)
        ):
            yield [o.inn, o.ogrn, o.full_name, o.short_name, o.region_id or "", o.okved_id or "", SIZE.get(o.size, "")]
        return
    # Sites and their members as two ordered streams walked side by side: two queries, whatever the size.
    order = ("name", "pk")
    sites = (
        Site.objects.filter(kind__in=SITE_KINDS[kind])
        .select_related("manager")
        .prefetch_related("regions", "status_events")
        .order_by(*order)
    )
    members = iter(
        Membership.objects.filter(site__kind__in=SITE_KINDS[kind], organization__inn__gt="")
        .order_by("site__name", "site_id", "organization__inn")
        .values_list("site_id", "organization__inn", "organization__full_name", "organization__region_id",
                     "organization__okved_id", "role", "date_from", "organization__ogrn")
        .iterator(chunk_size=5000)
    )  # fmt: skip
    pending = next(members, None)
    for site in sites.iterator(chunk_size=500):
        region = next((r.code for r in site.regions.all()), "")
        entry = entry_event(site)  # its latest entry, not a re-confirmation: the date the import compares
        entered = entry.on if entry is not None else None
        base = [site.name] + ([site.get_kind_display().lower()] if kind == "parks" else [])
        base += [site.registry_number, region, _day(entered)]
        tail = [site.specialisation, site.manager.inn if site.manager else ""]
        if kind == "parks":
            tail += [
                _number(site.area_ha),
                _number(site.building_area_m2),
                OWNERSHIP.get(site.management_company_ownership, ""),
                *(park_card.shown(f, site.park_card.get(f.key), grouped=False) for f in park_card.FIELDS),
            ]
        written = False
        while pending is not None and pending[0] == site.pk:
            _, inn, name, org_region, okved, role, since, ogrn = pending
            yield [*base, inn, name, org_region or "", okved or "", ROLE.get(role, ""), _day(since), ogrn, *tail]
            written = True
            pending = next(members, None)
        if not written:
            yield [*base, *[""] * 7, *tail]


def write(kind: str, fmt: str, out: Path) -> int:
    """Write the registry `kind` to `out`; returns the number of data rows. The file appears whole or not at
    all: it is written to a temporary file beside `out` and renamed when complete, so an export that fails
    half-way (or is interrupted) never leaves a truncated file that looks like a registry, nor spoils an earlier
    one (whose permissions the new file keeps). A target that is no regular file (`/dev/stdout`, a pipe) is
    written directly; a symbolic link stays one, its target replaced."""
    if fmt not in ("csv", "xlsx", "json"):
        raise ValueError(f"Формат: {fmt}; допустимо csv, xlsx, json")
    target = out.resolve() if out.is_symlink() else out
    if target.exists() and not target.is_file():
        return _write(kind, fmt, target)
    part = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
    os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))  # the umask applies, as to any new file
    try:
        if target.exists():
            shutil.copymode(target, part)
        n = _write(kind, fmt, part)
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)
    return n


def _write(kind: str, fmt: str, out: Path) -> int:
    n = 0
    if fmt == "csv":
        with out.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, delimiter=";")
            writer.writerow(head(kind))
            for row in rows(kind):  # neutralised like XLSX: a CSV opens in a spreadsheet too
                writer.writerow([neutralise(v) for v in row])
                n += 1
    elif fmt == "xlsx":
        with xlsx.write(out, "Реестр") as sheet:
            sheet.append(head(kind))
            for row in rows(kind):
                n += 1
                sheet.append([neutralise(v) for v in row])
    elif fmt == "json":
        columns = head(kind)
        with out.open("w", encoding="utf-8") as fh:
            fh.write("[\n")
            for n, row in enumerate(rows(kind), start=1):
                fh.write(
                    ("" if n == 1 else ",\n") + json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False)
                )
            fh.write("\n]\n")
    return n
