"""Export of every registry in the layout the importer reads (CSV, XLSX, JSON): export → import changes nothing.

Rows are streamed from the database in chunks (`iterator`), and XLSX is written in openpyxl's write-only mode,
so a registry of 100 000 organisations never sits in memory as cells.
"""

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from openpyxl import Workbook

from klaster.registry.choices import MembershipRole, SizeCategory
from klaster.registry.models import Membership, Organization, Site

ORG_HEAD = ["ИНН", "ОГРН", "Наименование", "Краткое наименование", "Регион", "ОКВЭД2", "Категория"]
SITE_HEAD = ["Наименование кластера", "Номер в реестре", "Регион кластера", "Дата включения в реестр",
             "ИНН участника", "Наименование участника", "Регион", "ОКВЭД2", "Роль", "Дата вступления"]  # fmt: skip
SITE_KINDS = {
    "clusters": ("industrial_cluster",),
    "parks": ("industrial_park", "industrial_technopark", "hightech_technopark"),
    "sez": ("sez",),
}
ROLE = dict(MembershipRole.choices)
SIZE = dict(SizeCategory.choices)


def _day(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def head(kind: str) -> list[str]:
    return ORG_HEAD if kind == "organizations" else SITE_HEAD[:1] + ["Вид площадки"] * (kind == "parks") + SITE_HEAD[1:]


def rows(kind: str) -> Iterator[list]:
    if kind == "organizations":
        for o in (
            Organization.objects.exclude(inn="").exclude(inn__isnull=True).order_by("inn").iterator(chunk_size=5000)
        ):
            yield [o.inn, o.ogrn, o.full_name, o.short_name, o.region_id or "", o.okved_id or "", SIZE.get(o.size, "")]
        return
    sites = Site.objects.filter(kind__in=SITE_KINDS[kind]).prefetch_related("regions").order_by("name")
    kind_label = {"industrial_park": "индустриальный парк", "industrial_technopark": "промышленный технопарк",
                  "hightech_technopark": "технопарк в сфере высоких технологий"}  # fmt: skip
    for site in sites.iterator(chunk_size=500):
        region = next((r.code for r in site.regions.all()), "")
        entered = site.current_status_on if site.current_status in ("entered", "reconfirmed") else None
        base = [site.name] + ([kind_label.get(site.kind, "")] if kind == "parks" else [])
        base += [site.registry_number, region, _day(entered)]
        members = Membership.objects.filter(site=site).select_related("organization").order_by("organization__inn")
        written = False
        for m in members.iterator(chunk_size=5000):
            o = m.organization
            if not o.inn:
                continue
            written = True
            yield [
                *base,
                o.inn,
                o.full_name,
                o.region_id or "",
                o.okved_id or "",
                ROLE.get(m.role, ""),
                _day(m.date_from),
            ]
        if not written:
            yield base + [""] * 6


def write(kind: str, fmt: str, out: Path) -> int:
    """Write the registry `kind` to `out`; returns the number of data rows."""
    n = 0
    if fmt == "csv":
        with out.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, delimiter=";")
            writer.writerow(head(kind))
            for row in rows(kind):
                writer.writerow(row)
                n += 1
    elif fmt == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Реестр")
        sheet.append(head(kind))
        for row in rows(kind):
            n += 1
            sheet.append([("'" + v) if isinstance(v, str) and v and v[0] in "=+-@" else v for v in row])
        book.save(out)
    elif fmt == "json":
        columns = head(kind)
        with out.open("w", encoding="utf-8") as fh:
            fh.write("[\n")
            for n, row in enumerate(rows(kind), start=1):
                fh.write(
                    ("" if n == 1 else ",\n") + json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False)
                )
            fh.write("\n]\n")
    else:
        raise ValueError(f"Формат: {fmt}; допустимо csv, xlsx, json")
    return n
