"""The registry in the database as a simulation population: the same frames as a Parquet directory
(docs/population.md), read with a fixed number of queries (`values_list`, no per-row access).

Blank choices and unknown booleans stay null: the rules read them as unknown, never as «нет».
"""

from decimal import Decimal

import polars as pl

from klaster.registry.models import (
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
from klaster.simulation.population import Population, check


def _frame(queryset, columns: dict[str, str], schema: dict | None = None) -> pl.DataFrame:
    """Rows of `queryset` (fields → column names); Decimals become floats, blanks become null."""
    fields = list(columns)
    rows = []
    for values in queryset.values_list(*fields):
        rows.append([float(v) if isinstance(v, Decimal) else (None if v == "" else v) for v in values])
    data = {columns[f]: [r[i] for r in rows] for i, f in enumerate(fields)}
    return pl.DataFrame(data, schema=schema, strict=False) if schema else pl.DataFrame(data, strict=False)


def registry_population() -> Population:
    firms = _frame(
        Organization.objects.order_by("pk"),
        {"pk": "id", "short_name": "short_name", "full_name": "full_name", "region_id": "region", "okved_id": "okved",
         "size": "size",
         "technological_company": "technological_company", "industrial_producer": "industrial_producer",
         "spic_version": "spic_version", "spic_since": "spic_since", "spic_until": "spic_until"},
        {"id": pl.Int64, "short_name": pl.Utf8, "full_name": pl.Utf8, "region": pl.Utf8, "okved": pl.Utf8,
         "size": pl.Utf8,
         "technological_company": pl.Boolean, "industrial_producer": pl.Boolean, "spic_version": pl.Utf8,
         "spic_since": pl.Date, "spic_until": pl.Date},
    ).with_columns(pl.lit(1.0).alias("weight"))  # fmt: skip
    frames = {
        "firms": firms,
        "firm_years": _frame(
            OrganizationYear.objects.order_by("organization_id", "year"),
            {"organization_id": "firm", "year": "year", "headcount": "headcount",
             "revenue_rub": "revenue_rub", "payroll_rub": "payroll_rub"},
            {"firm": pl.Int64, "year": pl.Int64, "headcount": pl.Float64, "revenue_rub": pl.Float64,
             "payroll_rub": pl.Float64},
        ),
        "sites": _frame(
            Site.objects.order_by("pk"),
            {"pk": "id", "kind": "kind", "name": "name",
             "management_company_ownership": "management_company_ownership",
             "area_ha": "area_ha", "building_area_m2": "building_area_m2",
             "functional_dependence_share": "functional_dependence_share",
             "special_territory_participant_share": "special_territory_participant_share"},
            {"id": pl.Int64, "kind": pl.Utf8, "name": pl.Utf8, "management_company_ownership": pl.Utf8,
             "area_ha": pl.Float64, "building_area_m2": pl.Float64, "functional_dependence_share": pl.Float64,
             "special_territory_participant_share": pl.Float64},
        ),
        "site_regions": _frame(
            Site.regions.through.objects.order_by("pk"), {"site_id": "site", "region_id": "region"},
            {"site": pl.Int64, "region": pl.Utf8},
        ),
        "status_events": _frame(
            SiteStatusEvent.objects.exclude(on=None).order_by("on", "pk"),
            {"site_id": "site", "status": "status", "on": "on"},
            {"site": pl.Int64, "status": pl.Utf8, "on": pl.Date},
        ),
        "memberships": _frame(
            Membership.objects.order_by("pk"),
            {"organization_id": "firm", "site_id": "site", "role": "role", "producing": "producing",
             "has_contract_with_participant": "has_contract_with_participant", "date_from": "date_from",
             "date_to": "date_to"},
            {"firm": pl.Int64, "site": pl.Int64, "role": pl.Utf8, "producing": pl.Boolean,
             "has_contract_with_participant": pl.Boolean, "date_from": pl.Date, "date_to": pl.Date},
        ),
        "projects": _frame(
            JointProject.objects.order_by("pk"),
            {"pk": "id", "site_id": "site", "import_substitution": "import_substitution", "stage": "stage"},
            {"id": pl.Int64, "site": pl.Int64, "import_substitution": pl.Boolean, "stage": pl.Utf8},
        ),
        "project_participants": _frame(
            ProjectParticipant.objects.order_by("pk"),
            {"project_id": "project", "organization_id": "firm", "role": "role"},
            {"project": pl.Int64, "firm": pl.Int64, "role": pl.Utf8},
        ),
        "project_costs": _frame(
            ProjectCost.objects.order_by("pk"),
            {"project_id": "project", "cost_type": "cost_type", "amount_rub": "amount_rub"},
            {"project": pl.Int64, "cost_type": pl.Utf8, "amount_rub": pl.Float64},
        ),
        "purchases": _frame(
            StartBatchPurchase.objects.order_by("pk"),
            {"project_id": "project", "buyer_id": "buyer", "supplier_id": "supplier", "amount_rub": "amount_rub",
             "date": "date", "documented": "documented"},
            {"project": pl.Int64, "buyer": pl.Int64, "supplier": pl.Int64, "amount_rub": pl.Float64,
             "date": pl.Date, "documented": pl.Boolean},
        ),
        "loans": _frame(
            Loan.objects.order_by("pk"),
            {"pk": "id", "organization_id": "firm", "programme": "programme", "amount_rub": "amount_rub",
             "term_years": "term_years", "signed_on": "signed_on", "purpose": "purpose",
             "property_area_m2": "property_area_m2", "property_cost_rub": "property_cost_rub",
             "property_region_id": "property_region", "project_cost_rub": "project_cost_rub",
             "investment_phase_years": "investment_phase_years", "priority_product": "priority_product",
             "lender_authorised": "lender_authorised"},
            {"id": pl.Int64, "firm": pl.Int64, "programme": pl.Utf8, "amount_rub": pl.Float64,
             "term_years": pl.Float64, "signed_on": pl.Date, "purpose": pl.Utf8, "property_area_m2": pl.Float64,
             "property_cost_rub": pl.Float64, "property_region": pl.Utf8, "project_cost_rub": pl.Float64,
             "investment_phase_years": pl.Float64, "priority_product": pl.Boolean, "lender_authorised": pl.Boolean},
        ),
    }  # fmt: skip
    check(frames, "Реестр")
    return Population(frames, "registry")
