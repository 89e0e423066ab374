"""The rules' JSON contract built from registry records (`klaster eval --organization`, profile pages).

Plain dicts in the contract's field names (docs/eval.md): the registry never imports the rules. A fact
the registry does not know is left out, because a missing field means "unknown" to the rules, never
zero or false.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, prefetch_related_objects

from klaster.registry.choices import IN_REGISTRY
from klaster.registry.models import (
    JointProject,
    Loan,
    Membership,
    Organization,
    OrganizationYear,
    Site,
    SiteStatusEvent,
)


def _clean(mapping: dict[str, Any]) -> dict[str, Any]:
    """Drop unknowns; Decimal money becomes a JSON number (rubles)."""
    out = {}
    for key, value in mapping.items():
        if value is None or value == "":
            continue
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral() else float(value)
        elif isinstance(value, date):
            value = value.isoformat()
        out[key] = value
    return out


def _year_figures(org: Organization, on: date) -> dict[str, Any]:
    """Figures of the year of `on` (the contract's single numbers mean that year), else the latest before."""
    years = sorted((y for y in org.years.all() if y.year <= on.year), key=lambda y: y.year, reverse=True)
    row: OrganizationYear | None = years[0] if years else None
    if row is None:
        return {}
    return {"headcount": row.headcount, "revenue_rub": row.revenue_rub, "payroll_rub": row.payroll_rub}


def firm_entry(
    org: Organization, on: date, site_ids: set[int], memberships: Iterable[Membership] | None = None
) -> dict[str, Any]:
    """The firm as the rules read it; `memberships` (default: all of the firm's) are kept when in `site_ids`."""
    spic = None
    if org.spic_version and org.spic_version != "none":
        spic = _clean({"version": org.spic_version, "since": org.spic_since, "until": org.spic_until})
    elif org.spic_version == "none":
        spic = {"version": "none"}
    memberships = [
        _clean(
            {
                "site": f"s{m.site_id}",
                "role": m.role,
                "since": m.date_from,
                "until": m.date_to,
                "producing": m.producing,
                "has_contract_with_participant": m.has_contract_with_participant,
            }
        )
        for m in (org.memberships.all() if memberships is None else memberships)
        if m.site_id in site_ids and (m.date_to is None or m.date_to >= on)
    ]
    return _clean(
        {
            "id": f"f{org.pk}",
            "inn": org.inn,
            "region": org.region_id,
            "okved": org.okved_id,
            "size": org.size,
            "technological_company": org.technological_company,
            "industrial_producer": org.industrial_producer,
            **_year_figures(org, on),
            "spic": spic,
            "premium_reduced_since": org.premium_reduced_since,
            "memberships": memberships,
        }
    )


def site_entry(site: Site, on: date) -> dict[str, Any]:
    events = [e for e in site.status_events.all() if e.on is None or e.on <= on]
    events.sort(key=lambda e: (e.on is not None, e.on or date.min, e.id))
    last = events[-1] if events else None
    registry = None
    if last is not None:
        registry = _clean(
            {
                "status": last.status,
                "since": last.on,
                "confirmed_pp779": (last.status in IN_REGISTRY) if site.kind == "industrial_cluster" else None,
            }
        )
    return _clean(
        {
            "id": f"s{site.pk}",
            "kind": site.kind,
            "regions": [r.code for r in site.regions.all()],
            "registry": registry,
            "functional_dependence_share": site.functional_dependence_share,
            "special_territory_participant_share": site.special_territory_participant_share,
            "management_company_ownership": site.management_company_ownership,
            "area_ha": site.area_ha,
            "building_area_m2": site.building_area_m2,
            "infrastructure_costs_rub": site.infrastructure_costs_rub,
            "project_start": site.project_start,
            "p1119_claim_date": site.p1119_claim_date,
            "residents_federal_taxes_rub": site.residents_federal_taxes_rub,
            "electronics_companies": site.electronics_companies,
            "electronics_priority_region": site.electronics_priority_region,
        }
    )


def project_entry(project: JointProject) -> dict[str, Any]:
    costs: dict[str, Decimal] = {}
    for cost in project.costs.all():
        costs[cost.cost_type] = costs.get(cost.cost_type, Decimal(0)) + cost.amount_rub
    return _clean(
        {
            "id": f"p{project.pk}",
            "site": f"s{project.site_id}",
            "import_substitution": project.import_substitution,
            "stage": project.stage,
            "participants": [{"firm": f"f{p.organization_id}", "role": p.role} for p in project.participants.all()],
            "start_batch_purchases": [
                _clean(
                    {
                        "buyer": f"f{b.buyer_id}",
                        "supplier": f"f{b.supplier_id}",
                        "amount_rub": b.amount_rub,
                        "date": b.date,
                        "documented": b.documented,
                    }
                )
                for b in project.purchases.all()
            ],
            "costs_rub": _clean(costs),
        }
    )


def loan_entry(loan: Loan) -> dict[str, Any]:
    return _clean(
        {
            "id": f"l{loan.pk}",
            "firm": f"f{loan.organization_id}",
            "programme": loan.programme,
            "amount_rub": loan.amount_rub,
            "term_years": loan.term_years,
            "signed_on": loan.signed_on,
            "purpose": loan.purpose,
            "property_area_m2": loan.property_area_m2,
            "property_cost_rub": loan.property_cost_rub,
            "property_region": loan.property_region_id,
            "project_cost_rub": loan.project_cost_rub,
            "priority_product": loan.priority_product,
            "lender_authorised": loan.lender_authorised,
            "investment_phase_years": loan.investment_phase_years,
        }
    )


def _organizations(ids: Iterable[int]):
    return Organization.objects.filter(pk__in=list(ids)).prefetch_related("years", "memberships")


def _sites(ids: Iterable[int]):
    return Site.objects.filter(pk__in=list(ids)).prefetch_related(
        "regions", Prefetch("status_events", queryset=SiteStatusEvent.objects.order_by("on", "id"))
    )


def site_entries(ids: Iterable[int], on: date) -> list[dict[str, Any]]:
    """Sites as the rules read them (for an input built outside the registry, such as the selection form)."""
    return [site_entry(s, on) for s in _sites(ids)]


def organization_input(org: Organization, on: date) -> dict[str, Any]:
    """The organisation with its sites, the projects it is in (with their other participants, who are
    the suppliers of its start batches) and its loans: all that its measures read."""
    site_ids = set(Membership.objects.filter(organization=org).values_list("site_id", flat=True))
    projects = list(
        JointProject.objects.filter(participants__organization=org)
        .distinct()
        .prefetch_related("participants", "costs", "purchases")
    )
    site_ids |= {p.site_id for p in projects}
    firm_ids = {org.pk}
    for project in projects:
        firm_ids |= {p.organization_id for p in project.participants.all()}
        firm_ids |= {b.supplier_id for b in project.purchases.all()} | {b.buyer_id for b in project.purchases.all()}
    return {
        "date": on.isoformat(),
        "firms": [firm_entry(f, on, site_ids) for f in _organizations(firm_ids)],
        "sites": [site_entry(s, on) for s in _sites(site_ids)],
        "projects": [project_entry(p) for p in projects],
        "loans": [loan_entry(loan) for loan in Loan.objects.filter(organization=org)],
    }


def site_input(site: Site, on: date) -> dict[str, Any]:
    """A site with all its current members: the registry requirements are checked on the whole cluster.

    Only this site's memberships matter to its requirements, so the members come in one query with their
    organisations (not each member's every membership), and the site's own regions and status events are
    read from the instance (prefetched by the site page): 3 queries on a site page instead of 8.
    """
    members = (
        Membership.objects.filter(site=site)
        .filter(Q(date_to__isnull=True) | Q(date_to__gte=on))
        .select_related("organization")
        .order_by("organization_id", "id")
    )
    by_firm: dict[int, tuple[Organization, list[Membership]]] = {}
    for m in members:
        by_firm.setdefault(m.organization_id, (m.organization, []))[1].append(m)
    prefetch_related_objects([org for org, _ in by_firm.values()], "years")
    return {
        "date": on.isoformat(),
        "firms": [firm_entry(org, on, {site.pk}, ms) for org, ms in by_firm.values()],
        "sites": [site_entry(site, on)],
        "projects": [],
        "loans": [],
    }
