"""Import a registry file: read and validate every row first, then write everything in one transaction, or
nothing. Upserts by natural keys (ИНН for organisations; registry number, else name + kind, for sites;
organisation + site for memberships), with history records naming the file and its checksum.

Both published layouts of the cluster registry read the same way: a row may carry a site's fields, a
participant's fields, or both, and a participants sheet names its site by name or registry number.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, OperationalError, transaction
from django.utils import timezone

from klaster.core.access import require
from klaster.exchange import sites
from klaster.exchange.arrays import in_chunks
from klaster.exchange.headers import card_field, load_mapping, resolve
from klaster.exchange.models import ImportLock, ImportRun, ImportStatus
from klaster.exchange.readers import FileProblem, read
from klaster.exchange.rows import LABELS, Row, RowError, RowParser
from klaster.exchange.writer import ORG_FIELDS, analyze_after, write
from klaster.registry import park_card
from klaster.registry.models import Organization, Site

KINDS = {
    "organizations": None,
    "clusters": "industrial_cluster",
    "parks": "industrial_park",
    "sez": "sez",
    "sme": None,
    "okved": None,
    "okpd": None,
    "regions": None,
}
Progress = Callable[[int, str, float | None], None]  # (rows so far, stage, share of the file read if known)


@dataclass
class Plan:
    orgs: dict[str, dict] = field(default_factory=dict)  # ИНН → fields
    sites: dict[tuple, dict] = field(default_factory=dict)  # (kind, key) → fields
    members: dict[tuple, dict] = field(default_factory=dict)  # (ИНН, site key) → fields
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    described: dict[tuple, tuple] = field(default_factory=dict)  # a site's fields as a row gives them → its key
    known_sites: dict[tuple, Site] | None = None  # the plan's sites found in the registry (`sites.problems`)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _site_key(kind: str, values: dict) -> tuple | None:
    if values.get("registry_number"):
        return (kind, "number", values["registry_number"])
    if values.get("site_name"):
        return (kind, "name", values["site_name"].lower())
    return None


SITE_FIELDS = ("site_name", "registry_number", "entered_on", "site_region", "specialisation", "decree", "area_ha",
               "building_area_m2", "management_company_ownership", "specialised_organisation_inn",
               *(card_field(f.key) for f in park_card.FIELDS))  # fmt: skip


def _site(plan: Plan, row: Row, site_kind: str, v: dict) -> tuple:
    """The site a row describes, its fields added to those known; a field described otherwise before is
    the row's error."""
    site = _site_key(site_kind, v)
    known = plan.sites.get(site)
    if known is None:
        known = plan.sites[site] = {"kind": site_kind, "row": row.number}
    for k in SITE_FIELDS:
        if k not in v:
            continue
        value = v[k]
        if k in known and known[k] != value:
            reason = f"площадка уже описана в строке {known['row']} иначе: «{known[k]}»"
            row.errors.append(RowError(row.number, LABELS[k], str(value), reason))
        known.setdefault(k, value)
    return site


def _collect(plan: Plan, row: Row, kind: str, default_site_kind: str | None) -> None:
    v = {k: val for k, val in row.values.items() if val is not None and val != ""}
    site_kind = v.get("site_kind") or default_site_kind
    site = None
    if kind != "organizations" and ("site_name" in v or "registry_number" in v):
        described = (site_kind, *map(v.get, SITE_FIELDS))
        site = plan.described.get(described)
        if site is None:  # a site described differently from every row before
            site = _site(plan, row, site_kind, v)
            if not row.errors:  # the same description again needs no second look
                plan.described[described] = site
    if "inn" in v:
        fields = {k: v[k] for k in ORG_FIELDS if k in v}
        known = plan.orgs.get(v["inn"])
        if known is None:
            plan.orgs[v["inn"]] = {**fields, "row": row.number}
        else:
            for k, value in fields.items():
                if k in known and known[k] != value:
                    row.errors.append(
                        RowError(
                            row.number,
                            LABELS[k],
                            str(value),
                            f"ИНН {v['inn']} уже в строке {known['row']} с другим значением «{known[k]}»",
                        )
                    )
                known.setdefault(k, value)
        if site is not None:
            key = (v["inn"], site)
            if key in plan.members:
                row.errors.append(
                    RowError(row.number, "ИНН", v["inn"], f"участник уже указан в строке {plan.members[key]['row']}")
                )
            plan.members[key] = {
                "role": v.get("role") or ("resident" if site_kind == "sez" else "participant"),
                "date_from": v.get("date_from"),
                "producing": v.get("producing"),
                "row": row.number,
            }
    elif kind == "organizations" or site is None:
        row.errors.append(RowError(row.number, "ИНН", "", "ИНН обязателен: по нему организация находится в реестре"))
    elif any(k in v for k in ORG_FIELDS):
        row.errors.append(RowError(row.number, "ИНН", "", "у участника нет ИНН"))


def validate(path: Path, kind: str, mapping: dict[str, str], progress: Progress | None = None) -> Plan:
    plan = Plan()
    default_site_kind = KINDS[kind]
    cache: dict = {}
    # A title line above the header («Реестр … на 01.10.2026») is passed over: the header is the first row that
    # names two known columns.
    sheets = read(path, is_header=lambda cells: len(resolve(cells, mapping)) >= 2)
    file_headers: dict[str, str] = {}
    for index, sheet in enumerate(sheets):
        columns = resolve(sheet.headers, mapping)
        if not columns:
            raise FileProblem(
                f"Лист «{sheet.name}»: не найдено ни одного известного столбца (ИНН, Наименование, Кластер …); "
                "задайте сопоставление --mapping"
            )
        parse_row = RowParser(sheet.name, columns, len(sheet.headers), cache)
        headers = _headers_by_label(sheet.headers, columns)
        headed = len(plan.errors)
        for number, cells in sheet.rows:
            row = parse_row(number, cells)
            if not row.errors:
                _collect(plan, row, kind, default_site_kind)
            plan.errors.extend(row.errors)
            plan.rows += 1
            if progress and plan.rows % 5000 == 0:
                share = sheet.done(number)
                progress(plan.rows, "проверка", None if share is None else (index + share) / len(sheets))
        _in_file_words(plan.errors[headed:], headers)
        file_headers = {**headers, **file_headers}  # the first sheet's header names a field found on several
    if plan.rows == 0:
        raise FileProblem("В файле нет строк с данными, только заголовок")
    after_rows = len(plan.errors)
    # A firm the file never names must already be in the registry: one query for all of them.
    nameless = {inn: fields["row"] for inn, fields in plan.orgs.items() if "full_name" not in fields}
    known = set(in_chunks(Organization.objects.values_list("inn", flat=True), "inn", list(nameless)))
    for inn, number in nameless.items():
        if inn not in known:
            plan.errors.append(RowError(number, "Наименование", "", "новой организации нужно наименование"))
    plan.errors.extend(_ogrn_problems(plan.orgs))
    plan.errors.extend(sites.problems(plan))
    _in_file_words(plan.errors[after_rows:], file_headers)
    plan.errors.sort(key=lambda e: e.row)
    return plan


def _headers_by_label(headers: list, columns: dict[int, str]) -> dict[str, str]:
    """Klaster's label of each field a sheet has → the sheet's own header for it («Регион площадки» → «Регион
    кластера»): an error report names the column as the user's file does, so it can be found there."""
    return {LABELS.get(field, field): str(headers[index]).strip() for index, field in columns.items()}


def _in_file_words(errors: list[RowError], headers: dict[str, str]) -> None:
    for error in errors:
        error.column = headers.get(error.column, error.column)


def _ogrn_problems(orgs: dict[str, dict]) -> list[RowError]:
    """An ОГРН must fit its ИНН (13 digits for a company's 10, 15 for an entrepreneur's 12) and belong to
    one organisation, in the file and in the registry."""
    problems, holder = [], {}
    for inn, fields in orgs.items():
        ogrn = fields.get("ogrn")
        if not ogrn:
            continue
        if {13: 10, 15: 12}.get(len(ogrn)) != len(inn):
            problems.append(RowError(fields["row"], "ОГРН", ogrn, f"ОГРН из {len(ogrn)} цифр не подходит к ИНН {inn}"))
        elif ogrn in holder:
            problems.append(RowError(fields["row"], "ОГРН", ogrn, f"тот же ОГРН у ИНН {holder[ogrn]}"))
        holder.setdefault(ogrn, inn)
    registered = in_chunks(Organization.objects.values_list("ogrn", "inn"), "ogrn", list(holder))
    for ogrn, other in registered:
        if other != holder[ogrn]:
            row = orgs[holder[ogrn]]["row"]
            problems.append(RowError(row, "ОГРН", ogrn, f"в реестре этот ОГРН у организации с ИНН {other}"))
    return problems


def import_file(
    path: Path,
    kind: str,
    *,
    mapping: Path | None = None,
    dry_run: bool = False,
    user=None,
    file_name: str | None = None,
    progress: Progress | None = None,
    run: ImportRun | None = None,
) -> ImportRun:
    """Validate, then write all or nothing; the run (a new record, or `run` that a background import
    created beforehand) is recorded whatever the outcome."""
    if kind not in KINDS:
        raise ValueError(f"Вид реестра: {kind}; допустимо: {', '.join(KINDS)}")
    require(user, "add", Organization)
    name = file_name or path.name
    run = run or ImportRun()
    run.kind, run.file_name, run.dry_run = kind, name, dry_run
    run.size = path.stat().st_size if path.exists() else 0
    run.created_by = user if getattr(user, "is_authenticated", False) else None
    try:
        run.sha256 = sha256(path)
        source = f"{name} (sha256 {run.sha256[:16]})"
        reason = f"Импорт файла {source}"
        with transaction.atomic():
            # The lock first: a second import waits here until the first commits or rolls back.
            ImportLock.objects.update_or_create(pk=1, defaults={"taken": timezone.now()})
            if kind in ("okved", "okpd"):
                from klaster.exchange import reference

                rows = reference.validate(kind, path)
                plan = Plan(rows=len(rows))

                def writer(plan, reason, rows=rows):
                    return reference.write(kind, rows)

            elif kind == "regions":
                from klaster.exchange import regions

                region_rows, region_errors = regions.validate(path)
                plan = Plan(rows=len(region_rows), errors=region_errors)

                def writer(plan, reason, rows=region_rows):
                    return regions.write(rows)

            elif kind == "sme":
                from klaster.exchange import sme

                plan = sme.validate(path)
                writer = sme.write
            else:
                plan = validate(path, kind, load_mapping(mapping), progress)

                def writer(plan, reason, source=source):
                    return write(plan, source, reason, user, dry_run=dry_run)

            run.errors = [e.__dict__ for e in plan.errors]
            if progress and not plan.errors:
                progress(plan.rows, "запись в базу" if not dry_run else "подсчёт изменений", None)
            if plan.errors:
                run.status, run.message = ImportStatus.REJECTED, f"Ошибок: {len(plan.errors)}; ничего не записано"
            elif dry_run:
                run.counts = writer(plan, reason)  # what would change …
                transaction.set_rollback(True)  # … and nothing stays
                run.status, run.message = ImportStatus.DRY_RUN, "Проверка без записи: ничего не записано"
            else:
                run.counts = writer(plan, reason)
                run.status, run.message = ImportStatus.DONE, f"Строк: {plan.rows}"
            run.counts = {"rows": plan.rows, **run.counts}
    except FileProblem as exc:
        run.status, run.message = ImportStatus.FAILED, str(exc)
    except ValidationError as exc:  # a record the registry refuses (its own checks): nothing was written
        run.status, run.message = ImportStatus.REJECTED, "Реестр не принял запись: " + "; ".join(exc.messages)
    except (IntegrityError, DataError) as exc:  # a database rule the checks above missed: nothing was written
        run.status, run.message = ImportStatus.REJECTED, f"База данных не приняла запись: {str(exc).splitlines()[0]}"
    except OperationalError as exc:
        if "locked" not in str(exc):
            raise
        run.status, run.message = ImportStatus.FAILED, "Идёт другой импорт: повторите, когда он закончится"
    run.finished = timezone.now()
    _save(run)
    if run.status == ImportStatus.DONE and kind in ("clusters", "parks", "sez", "organizations"):
        analyze_after(run.counts)
    return run


def _save(run: ImportRun, attempts: int = 60) -> None:
    """The record of the run is kept even while another import holds SQLite's write lock."""
    for attempt in range(attempts):
        try:
            run.save()
            return
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(1.0)
