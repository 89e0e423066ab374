"""Write a synthetic population into the database in bulk (with history), and purge it again."""

from datetime import date
from decimal import Decimal

import polars as pl
from django.db import transaction
from rich.progress import Progress
from simple_history.utils import bulk_create_with_history

from klaster.core.models import SourceKind
from klaster.registry import search
from klaster.registry.models import (
    Indicator,
    JointProject,
    Loan,
    Membership,
    Organization,
    OrganizationYear,
    ProjectCost,
    ProjectParticipant,
    Site,
    SiteStatusEvent,
    StartBatchPurchase,
)
from klaster.registry.synth import Population

SYNTHETIC = SourceKind.SYNTHETIC
BATCH = 2000
REASON = "Синтетические данные"


class SynthConflict(Exception):
    """Synthetic records of other parameters are present: purge them first."""


def _money(value) -> Decimal | None:
    return None if value is None else Decimal(int(value))


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _current(events: list[dict]) -> tuple[str, date | None, str]:
    if not events:
        return "", None, ""
    ordered = sorted(events, key=lambda e: e["on"])
    number = next((e["registry_number"] for e in reversed(ordered) if e["registry_number"]), "")
    return ordered[-1]["status"], ordered[-1]["on"], number


def _bulk(model, objs: list, progress: Progress | None, label: str) -> list:
    task = progress.add_task(label, total=len(objs)) if progress else None
    saved = []
    for start in range(0, len(objs), BATCH):
        saved.extend(
            bulk_create_with_history(objs[start : start + BATCH], model, batch_size=BATCH, default_change_reason=REASON)
        )
        if progress:
            progress.advance(task, min(BATCH, len(objs) - start))
    return saved


def synthetic_state(tag: str) -> bool:
    """True if exactly this synthetic set is loaded; SynthConflict if another one is."""
    existing = Organization.objects.filter(source_kind=SYNTHETIC).values_list("source", flat=True).first()
    if existing is None and Site.objects.filter(source_kind=SYNTHETIC).exists():
        existing = Site.objects.filter(source_kind=SYNTHETIC).values_list("source", flat=True).first()
    if existing == tag:
        return True
    if existing is not None:
        raise SynthConflict(
            "В базе уже есть синтетические данные с другими параметрами; удалите их командой «klaster synth --purge»."
        )
    return False


def write_database(population: Population, progress=None) -> dict[str, int]:
    """All tables in one transaction: an interrupted synth leaves nothing behind."""
    if synthetic_state(population.tag):
        return {}
    with Progress(console=progress, transient=True) if progress is not None else _Null() as bar:
        with transaction.atomic():
            counts = _write(population, bar if progress is not None else None)
    analyze()
    return counts


def analyze() -> None:
    """Fresh planner statistics after a bulk load: without them (autovacuum off, or not yet run) PostgreSQL
    plans a profile's small look-ups as scans of the whole table (75 ms instead of 2 ms per query)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class _Null:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _write(population: Population, bar: Progress | None) -> dict[str, int]:
    t, tag = population.tables, population.tag
    common = {"source_kind": SYNTHETIC, "source": tag}
    orgs = [
        Organization(
            kind=r["kind"],
            inn=r["inn"],
            ogrn=r["ogrn"],
            full_name=r["full_name"],
            short_name=r["short_name"],
            region_id=r["region"],
            okved_id=r["okved"],
            size=r["size"],
            technological_company=r["technological_company"],
            industrial_producer=r["industrial_producer"],
            spic_version=r["spic_version"],
            spic_since=r["spic_since"],
            spic_until=r["spic_until"],
            **common,
        )
        for r in t["firms"].iter_rows(named=True)
    ]
    orgs = _bulk(Organization, orgs, bar, "Организации")
    org_pk = [o.pk for o in orgs]
    _bulk(
        OrganizationYear,
        [
            OrganizationYear(
                organization_id=org_pk[r["firm"]],
                year=r["year"],
                headcount=r["headcount"],
                revenue_rub=_money(r["revenue_rub"]),
                payroll_rub=_money(r["payroll_rub"]),
                **common,
            )
            for r in t["firm_years"].iter_rows(named=True)
        ],
        bar,
        "Показатели по годам",
    )

    events_by_site: dict[int, list[dict]] = {}
    for e in t["status_events"].iter_rows(named=True):
        events_by_site.setdefault(e["site"], []).append(e)
    sites = []
    for r in t["sites"].iter_rows(named=True):
        status, status_on, number = _current(events_by_site.get(r["id"], []))
        site = Site(
            kind=r["kind"],
            name=r["name"],
            manager_id=org_pk[r["manager"]] if r["manager"] is not None else None,
            management_company_ownership=r["management_company_ownership"],
            sez_type=r["sez_type"],
            area_ha=_dec(r["area_ha"]),
            building_area_m2=_dec(r["building_area_m2"]),
            functional_dependence_share=_dec(r["functional_dependence_share"]),
            special_territory_participant_share=_dec(r["special_territory_participant_share"]),
            created_on=r["created_on"],
            current_status=status,
            current_status_on=status_on,
            registry_number=number,
            **common,
        )
        sites.append(site)
    sites = _bulk(Site, sites, bar, "Площадки")
    site_pk = [s.pk for s in sites]
    Site.regions.through.objects.bulk_create(
        [Site.regions.through(site_id=site_pk[s], region_id=r) for s, r in t["site_regions"].iter_rows()],
        batch_size=BATCH,
    )
    Site.specialisation_okved.through.objects.bulk_create(
        [Site.specialisation_okved.through(site_id=site_pk[s], okved_id=o) for s, o in t["site_okved"].iter_rows()],
        batch_size=BATCH,
    )
    _bulk(
        SiteStatusEvent,
        [
            SiteStatusEvent(
                site_id=site_pk[e["site"]],
                status=e["status"],
                on=e["on"],
                registry_number=e["registry_number"],
                reason=e["reason"],
                decree="ПП РФ № 779" if e["registry_number"].startswith("ПК") else "",
                **common,
            )
            for e in t["status_events"].iter_rows(named=True)
        ],
        bar,
        "История статусов",
    )
    _bulk(
        Membership,
        [
            Membership(
                organization_id=org_pk[m["firm"]],
                site_id=site_pk[m["site"]],
                role=m["role"],
                producing=m["producing"],
                has_contract_with_participant=m["has_contract_with_participant"],
                date_from=m["date_from"],
                **common,
            )
            for m in t["memberships"].iter_rows(named=True)
        ],
        bar,
        "Участники",
    )
    projects = _bulk(
        JointProject,
        [
            JointProject(
                site_id=site_pk[p["site"]],
                title=p["title"],
                okpd_id=p["okpd"],
                import_substitution=p["import_substitution"],
                stage=p["stage"],
                status=p["status"],
                start_date=p["start_date"],
                **common,
            )
            for p in t["projects"].iter_rows(named=True)
        ],
        bar,
        "Совместные проекты",
    )
    project_pk = [p.pk for p in projects]
    _bulk(
        ProjectParticipant,
        [
            ProjectParticipant(project_id=project_pk[p], organization_id=org_pk[f], role=r, **common)
            for p, f, r in t["project_participants"].unique().iter_rows()
        ],
        bar,
        "Участники проектов",
    )
    _bulk(
        ProjectCost,
        [
            ProjectCost(project_id=project_pk[p], cost_type=c, amount_rub=_money(a), year=y, **common)
            for p, c, a, y in t["project_costs"].iter_rows()
        ],
        bar,
        "Затраты проектов",
    )
    _bulk(
        StartBatchPurchase,
        [
            StartBatchPurchase(
                project_id=project_pk[p],
                buyer_id=org_pk[b],
                supplier_id=org_pk[s],
                amount_rub=_money(a),
                date=d,
                documented=doc,
                **common,
            )
            for p, b, s, a, d, doc in t["purchases"].iter_rows()
        ],
        bar,
        "Стартовые партии",
    )
    _bulk(
        Loan,
        [
            Loan(
                organization_id=org_pk[r["firm"]],
                programme=r["programme"],
                amount_rub=_money(r["amount_rub"]),
                term_years=Decimal(r["term_years"]),
                signed_on=r["signed_on"],
                purpose=r["purpose"],
                property_area_m2=_dec(r["property_area_m2"]),
                property_cost_rub=_money(r["property_cost_rub"]),
                property_region_id=r["property_region"],
                project_cost_rub=_money(r["project_cost_rub"]),
                investment_phase_years=_dec(r["investment_phase_years"]),
                priority_product=r["priority_product"],
                lender_authorised=r["lender_authorised"],
                **common,
            )
            for r in t["loans"].iter_rows(named=True)
        ],
        bar,
        "Кредиты",
    )
    _bulk(
        Indicator,
        [
            Indicator(site_id=site_pk[s], year=y, kind=k, value=Decimal(v), **common)
            for s, y, k, v in t["indicators"].iter_rows()
        ],
        bar,
        "Показатели площадок",
    )
    search.reindex(ids={"organization": org_pk, "site": site_pk, "project": project_pk})
    return {name: frame.height for name, frame in t.items()}


PURGE_ORDER = [
    StartBatchPurchase,
    ProjectCost,
    ProjectParticipant,
    JointProject,
    Indicator,
    Loan,
    Membership,
    SiteStatusEvent,
    Site,
    OrganizationYear,
    Organization,
]


@transaction.atomic
def purge_synthetic() -> int:
    """Hard-delete synthetic records and their history; real records are never touched.

    Raw deletes skip history's delete signals: a purge must not leave 100 000 "deleted" history rows."""
    removed = 0
    site_ids = Site.objects.filter(source_kind=SYNTHETIC).values("pk")
    for through in (Site.regions.through, Site.specialisation_okved.through):
        through.objects.filter(site_id__in=site_ids)._raw_delete(through.objects.db)
    from klaster.registry.models import SearchDocument

    for kind, model in (("site", Site), ("organization", Organization), ("project", JointProject)):
        docs = SearchDocument.objects.filter(
            kind=kind, object_id__in=model.objects.filter(source_kind=SYNTHETIC).values("pk")
        )
        docs._raw_delete(docs.db)  # raw, but the FTS5 delete trigger still runs inside SQLite
    for model in PURGE_ORDER:
        qs = model.objects.filter(source_kind=SYNTHETIC)
        removed += qs._raw_delete(qs.db)
        history = model.history.model.objects.filter(source_kind=SYNTHETIC)
        history._raw_delete(history.db)
    return removed


__all__ = ["SynthConflict", "pl", "purge_synthetic", "write_database"]
