"""The SME registry (реестр МСП, XML, ТипИнф="РЕЕСТРМСП", format 4.0x), streamed: real files are gigabytes.

Each `Документ` refreshes, for an organisation already in the registry (matched by ИНН), its size category,
its headcount for the year of `ДатаСост`, its main ОКВЭД2 and its region. Subjects not in the registry are
counted, not added (the SME registry lists millions of firms outside any cluster).
"""

from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError, iterparse

from django.core.exceptions import ValidationError

from klaster.exchange.readers import FileProblem
from klaster.exchange.rows import RowError, okved_codes
from klaster.exchange.values import parse_date
from klaster.registry.lookups import region_code
from klaster.registry.validators import validate_inn

SIZES = {"1": "micro", "2": "small", "3": "medium"}


@dataclass
class SmeRecord:
    inn: str
    size: str
    okved: str | None
    region: str | None
    headcount: int | None
    year: int | None
    number: int


@dataclass
class SmePlan:
    records: dict[str, SmeRecord] = field(default_factory=dict)  # of the registry's organisations only
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    outside: int = 0  # documents of firms not in the registry: counted, neither kept nor checked further


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _inn(doc, number: int, errors: list[RowError]) -> str | None:
    org = next((c for c in doc if _local(c.tag) in ("ОргВклМСП", "ИПВклМСП")), None)
    inn = (org.get("ИННЮЛ") or org.get("ИННФЛ") or "") if org is not None else ""
    if not inn:
        errors.append(RowError(number, "ИННЮЛ", "", "у документа нет ИНН"))
        return None
    try:
        validate_inn(inn)
    except ValidationError as exc:
        errors.append(RowError(number, "ИННЮЛ", inn, " ".join(exc.messages)))
        return None
    return inn


def _record(doc, inn: str, number: int, errors: list[RowError]) -> SmeRecord | None:
    size = SIZES.get(doc.get("КатСубМСП", ""))
    if size is None:
        errors.append(RowError(number, "КатСубМСП", doc.get("КатСубМСП", ""), "ожидается 1, 2 или 3"))
        return None
    okved = region = None
    for child in doc.iter():
        name = _local(child.tag)
        if name == "СвОКВЭДОсн":
            okved = child.get("КодОКВЭД")
        elif name == "СведМН":
            region = child.get("КодРегион")
    if okved and okved not in okved_codes():
        errors.append(RowError(number, "КодОКВЭД", okved, f"ОКВЭД2 «{okved}» нет в классификаторе"))
        return None
    if region:
        try:
            region = region_code(region)
        except ValidationError:
            errors.append(RowError(number, "КодРегион", region, "нет такого субъекта РФ"))
            return None
    headcount = doc.get("ССЧР")
    day = parse_date(doc.get("ДатаСост")) if doc.get("ДатаСост") else None
    return SmeRecord(inn, size, okved, region, int(headcount) if headcount and headcount.isdigit() else None,
                     day.year if day else None, number)  # fmt: skip


def validate(path: Path) -> SmePlan:
    """Memory is bounded by the registry, not by the file: only documents of the registry's organisations are
    kept (one set of its ИНН, read first), and each element is dropped from the tree once read."""
    from klaster.registry.models import Organization

    registry = set(Organization.objects.exclude(inn="").values_list("inn", flat=True))
    plan = SmePlan()
    root = None
    try:
        for event, element in iterparse(path, events=("start", "end")):
            name = _local(element.tag)
            if event == "start":
                if root is None:
                    root = element
                    if name != "Файл" or element.get("ТипИнф") != "РЕЕСТРМСП":
                        raise FileProblem('Это не выгрузка реестра МСП: ожидается <Файл ТипИнф="РЕЕСТРМСП">')
                continue
            if name == "Документ":
                plan.rows += 1
                inn = _inn(element, plan.rows, plan.errors)
                if inn is not None and inn not in registry:
                    plan.outside += 1
                elif inn is not None:
                    record = _record(element, inn, plan.rows, plan.errors)
                    if record is not None:
                        plan.records[inn] = record
                root.clear()  # the document and the root's hold on it: memory stays flat however long the file
    except ParseError as exc:
        raise FileProblem(f"XML повреждён или обрезан: {exc}") from None
    if plan.rows == 0:
        raise FileProblem("В файле реестра МСП нет ни одного документа")
    return plan


def write(plan: SmePlan, reason: str) -> dict[str, int]:
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    from klaster.registry.models import Organization, OrganizationYear

    orgs = {o.inn: o for o in Organization.objects.filter(inn__in=list(plan.records))}
    changed, years_new, years_changed = [], [], []
    existing_years = {
        (y.organization_id, y.year): y for y in OrganizationYear.objects.filter(organization__in=orgs.values())
    }
    for inn, record in plan.records.items():
        org = orgs.get(inn)
        if org is None:
            continue
        values = {"size": record.size}
        if record.okved:
            values["okved_id"] = record.okved
        if record.region:
            values["region_id"] = record.region
        diff = {k: v for k, v in values.items() if getattr(org, k) != v}
        if diff:
            for k, v in diff.items():
                setattr(org, k, v)
            changed.append(org)
        if record.headcount is not None and record.year:
            row = existing_years.get((org.pk, record.year))
            if row is None:
                years_new.append(OrganizationYear(organization=org, year=record.year, headcount=record.headcount,
                                                  source_kind="file", source=reason))  # fmt: skip
            elif row.headcount != record.headcount:
                row.headcount = record.headcount
                years_changed.append(row)
    if changed:
        bulk_update_with_history(changed, Organization, ["size", "okved", "region"], default_change_reason=reason)
    bulk_create_with_history(years_new, OrganizationYear, default_change_reason=reason)
    if years_changed:
        bulk_update_with_history(years_changed, OrganizationYear, ["headcount"], default_change_reason=reason)
    return {
        "documents": plan.rows,
        "organizations_updated": len(changed),
        "organizations_unchanged": len(orgs) - len(changed),
        "not_in_registry": plan.outside + len(plan.records) - len(orgs),
        "years_created": len(years_new),
        "years_updated": len(years_changed),
    }
