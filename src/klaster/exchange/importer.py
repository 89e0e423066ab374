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
from django.db import OperationalError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from klaster.core.access import require
from klaster.core.models import SourceKind
from klaster.exchange.headers import load_mapping, resolve
from klaster.exchange.models import ImportLock, ImportRun, ImportStatus
from klaster.exchange.readers import FileProblem, read
from klaster.exchange.rows import Row, RowError, parse_row
from klaster.registry import search
from klaster.registry import services as registry
from klaster.registry.models import Membership, Organization, Site

KINDS = {
    "organizations": None,
    "clusters": "industrial_cluster",
    "parks": "industrial_park",
    "sez": "sez",
    "sme": None,
    "okved": None,
    "okpd": None,
}
ORG_FIELDS = ("full_name", "short_name", "ogrn", "region", "okved", "size")
Progress = Callable[[int, str], None]


@dataclass
class Plan:
    orgs: dict[str, dict] = field(default_factory=dict)  # ИНН → fields
    sites: dict[tuple, dict] = field(default_factory=dict)  # (kind, key) → fields
    members: dict[tuple, dict] = field(default_factory=dict)  # (ИНН, site key) → fields
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0


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


def _collect(plan: Plan, row: Row, kind: str, default_site_kind: str | None) -> None:
    v = {k: val for k, val in row.values.items() if val not in (None, "")}
    site_kind = v.get("site_kind") or default_site_kind
    site = None
    if kind != "organizations" and ("site_name" in v or "registry_number" in v):
        site = _site_key(site_kind, v)
        fields = {
            k: v[k]
            for k in (
                "site_name",
                "registry_number",
                "entered_on",
                "site_region",
                "specialisation",
                "decree",
                "area_ha",
                "building_area_m2",
                "management_company_ownership",
            )
            if k in v
        }
        known = plan.sites.setdefault(site, {"kind": site_kind, "row": row.number})
        for k, value in fields.items():
            if k in known and known[k] != value and k != "row":
                row.errors.append(
                    RowError(
                        row.number, k, str(value), f"площадка уже описана в строке {known['row']} иначе: «{known[k]}»"
                    )
                )
            known.setdefault(k, value)
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
                            k,
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
    for sheet in read(path):
        columns = resolve(sheet.headers, mapping)
        if not columns:
            raise FileProblem(
                f"Лист «{sheet.name}»: не найдено ни одного известного столбца (ИНН, Наименование, Кластер …); "
                "задайте сопоставление --mapping"
            )
        for number, cells in sheet.rows:
            row = parse_row(number, sheet.name, cells, columns, len(sheet.headers))
            if not row.errors:
                _collect(plan, row, kind, default_site_kind)
            plan.errors.extend(row.errors)
            plan.rows += 1
            if progress and plan.rows % 5000 == 0:
                progress(plan.rows, "проверка")
    if plan.rows == 0:
        raise FileProblem("В файле нет строк с данными, только заголовок")
    # A firm the file never names must already be in the registry: one query for all of them.
    nameless = {inn: fields["row"] for inn, fields in plan.orgs.items() if "full_name" not in fields}
    known = set(Organization.objects.filter(inn__in=list(nameless)).values_list("inn", flat=True))
    for inn, number in nameless.items():
        if inn not in known:
            plan.errors.append(RowError(number, "Наименование", "", "новой организации нужно наименование"))
    plan.errors.sort(key=lambda e: e.row)
    return plan


def _org_changes(plan: Plan, source: str) -> tuple[list, list, int]:
    existing = {o.inn: o for o in Organization.objects.filter(inn__in=list(plan.orgs))}
    create, update, same = [], [], 0
    for inn, fields in plan.orgs.items():
        values = {
            ("region_id" if k == "region" else "okved_id" if k == "okved" else k): val
            for k, val in fields.items()
            if k != "row"
        }
        org = existing.get(inn)
        if org is None:
            create.append(Organization(inn=inn, source_kind=SourceKind.FILE, source=source, **values))
            continue
        changed = {k: val for k, val in values.items() if getattr(org, k) != val}
        if changed:
            for k, val in changed.items():
                setattr(org, k, val)
            update.append(org)
        else:
            same += 1
    return create, update, same


def _find_site(key: tuple, fields: dict) -> Site | None:
    kind, how, value = key
    if how == "number":
        found = Site.objects.filter(kind=kind, registry_number=value).first()
        if found is not None or not fields.get("site_name"):
            return found
    name = fields.get("site_name", value)
    # Exact first: SQLite compares Cyrillic case-sensitively even with iexact.
    return (
        Site.objects.filter(kind=kind, name=name).first() or Site.objects.filter(kind=kind, name__iexact=name).first()
    )


def write(plan: Plan, source: str, reason: str, user) -> dict[str, int]:
    counts = {
        "organizations_created": 0,
        "organizations_updated": 0,
        "organizations_unchanged": 0,
        "sites_created": 0,
        "sites_updated": 0,
        "sites_unchanged": 0,
        "memberships_created": 0,
        "memberships_updated": 0,
        "memberships_unchanged": 0,
    }
    create, update, same = _org_changes(plan, source)
    bulk_create_with_history(create, Organization, batch_size=2000, default_change_reason=reason)
    if update:
        bulk_update_with_history(update, Organization, list(ORG_FIELDS), batch_size=2000, default_change_reason=reason)
    counts.update(organizations_created=len(create), organizations_updated=len(update), organizations_unchanged=same)
    sites: dict[tuple, Site] = {}
    created_sites, updated_sites = set(), set()
    for key, fields in plan.sites.items():
        site = _find_site(key, fields)
        attrs = {
            k: fields[k]
            for k in ("specialisation", "area_ha", "building_area_m2", "management_company_ownership")
            if k in fields
        }
        if site is None:
            regions = [fields["site_region"]] if fields.get("site_region") else []
            site = registry.site_create(
                user=user,
                regions=regions,
                kind=fields["kind"],
                name=fields.get("site_name") or key[2],
                source_kind=SourceKind.FILE,
                source=source,
                reason=reason,
                **attrs,
            )
            counts["sites_created"] += 1
            created_sites.add(key)
            if fields.get("entered_on") or fields.get("registry_number"):
                registry.site_status_change(
                    site=site,
                    status="entered",
                    on=fields.get("entered_on"),
                    user=user,
                    registry_number=fields.get("registry_number", ""),
                    decree=fields.get("decree", ""),
                    reason=reason,
                    source=source,
                    source_kind=SourceKind.FILE,
                )
        else:
            changed = {k: v for k, v in attrs.items() if getattr(site, k) != v}
            if changed:
                registry.site_update(site=site, user=user, reason=reason, **changed)
                counts["sites_updated"] += 1
                updated_sites.add(key)
            else:
                counts["sites_unchanged"] += 1
        sites[key] = site
    orgs = {o.inn: o for o in Organization.objects.filter(inn__in=list({inn for inn, _ in plan.members}))}
    existing = {
        (m.organization_id, m.site_id): m
        for m in Membership.objects.filter(organization__in=orgs.values(), site__in=sites.values())
    }
    new, changed_members = [], []
    for (inn, key), fields in plan.members.items():
        org, site = orgs[inn], sites[key]
        values = {k: fields[k] for k in ("role", "date_from", "producing") if fields.get(k) is not None}
        member = existing.get((org.pk, site.pk))
        if member is None:
            new.append(Membership(organization=org, site=site, source_kind=SourceKind.FILE, source=source, **values))
        elif any(getattr(member, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(member, k, v)
            changed_members.append(member)
        else:
            counts["memberships_unchanged"] += 1
    bulk_create_with_history(new, Membership, batch_size=2000, default_change_reason=reason)
    if changed_members:
        bulk_update_with_history(
            changed_members,
            Membership,
            ["role", "date_from", "producing"],
            batch_size=2000,
            default_change_reason=reason,
        )
    counts.update(memberships_created=len(new), memberships_updated=len(changed_members))
    # Only what changed is re-indexed: a file loaded again costs no lemmatisation.
    touched_sites = [s.pk for key, s in sites.items() if key in created_sites or key in updated_sites]
    search.reindex(ids={"organization": [o.pk for o in create + update], "site": touched_sites})
    return counts


def import_file(
    path: Path,
    kind: str,
    *,
    mapping: Path | None = None,
    dry_run: bool = False,
    user=None,
    file_name: str | None = None,
    progress: Progress | None = None,
) -> ImportRun:
    """Validate, then write all or nothing; the run is recorded whatever the outcome."""
    if kind not in KINDS:
        raise ValueError(f"Вид реестра: {kind}; допустимо: {', '.join(KINDS)}")
    require(user, "add", Organization)
    name = file_name or path.name
    run = ImportRun(
        kind=kind,
        file_name=name,
        size=path.stat().st_size if path.exists() else 0,
        dry_run=dry_run,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
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

            elif kind == "sme":
                from klaster.exchange import sme

                plan = sme.validate(path)
                writer = sme.write
            else:
                plan = validate(path, kind, load_mapping(mapping), progress)

                def writer(plan, reason, source=source):
                    return write(plan, source, reason, user)

            run.errors = [e.__dict__ for e in plan.errors]
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
    except OperationalError as exc:
        if "locked" not in str(exc):
            raise
        run.status, run.message = ImportStatus.FAILED, "Идёт другой импорт: повторите, когда он закончится"
    run.finished = timezone.now()
    _save(run)
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
