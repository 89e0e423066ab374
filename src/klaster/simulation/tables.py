"""From a population to the rules' tables for one year of a multi-year run.

Year Y is evaluated on 31 December of Y. What changes from year to year is explicit:
- firms' revenue, payroll and headcount grow by the run's `growth` rate from their last known year;
- loans run over their terms; new loans arrive in yearly cohorts (copies of the population's loans of
  its last signing year, moved to the same day of Y, amounts grown), `loan_cohort` of them a year;
- start batches: a year's purchases are the population's own for that year or, after its last year,
  those of its last year moved to Y and grown; only purchases of Y count for Y's applications;
- a site's registry status is its last status event on or before the date.
"""

from dataclasses import dataclass, field
from datetime import date

import numpy
import polars as pl

from klaster.rules.common import EPOCH
from klaster.rules.variables.inputs_firm import FirmSize, SpicVersion
from klaster.rules.variables.inputs_loan import LoanProgramme, LoanPurpose
from klaster.rules.variables.inputs_project import COST_TYPES, ProjectRole, ProjectStage
from klaster.rules.variables.inputs_site import MembershipRole, Ownership, RegistryStatus, SiteKind
from klaster.simulation.population import Population

NAN = numpy.nan
SPIC = {"none": SpicVersion.none.index, "1.0": SpicVersion.v1.index, "2.0": SpicVersion.v2.index}


def _enum(series: pl.Series, enum, aliases: dict[str, int] | None = None) -> numpy.ndarray:
    mapping = aliases or {m.name: m.index for m in enum}
    return series.cast(pl.Utf8).replace_strict(mapping, default=0, return_dtype=pl.Int16).to_numpy()


def _check(series: pl.Series) -> numpy.ndarray:
    """true → passed (1), false → failed (2), null → unknown (0)."""
    values = series.cast(pl.Boolean)
    return (
        pl.select(pl.when(values.is_null()).then(0).when(values).then(1).otherwise(2).cast(pl.Int16))
        .to_series()
        .to_numpy()
    )


def _days(series: pl.Series) -> numpy.ndarray:
    return series.cast(pl.Date).cast(pl.Int32).cast(pl.Float64).fill_null(NAN).to_numpy()


def _float(series: pl.Series) -> numpy.ndarray:
    return series.cast(pl.Float64).fill_null(NAN).to_numpy()


def _rows(ids: numpy.ndarray, refs: numpy.ndarray) -> numpy.ndarray:
    """Row numbers of `refs` in `ids` (-1 where absent): the population's ids become the rules' indices."""
    order = numpy.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    pos = numpy.clip(numpy.searchsorted(sorted_ids, refs), 0, max(len(ids) - 1, 0))
    if len(ids) == 0:
        return numpy.full(len(refs), -1, dtype=numpy.int64)
    return numpy.where(sorted_ids[pos] == refs, order[pos], -1).astype(numpy.int64)


def day_number(day: date) -> float:
    return float((day - EPOCH).days)


def _year_of(days: numpy.ndarray) -> numpy.ndarray:
    out = numpy.full(len(days), -1, dtype=numpy.int64)
    ok = ~numpy.isnan(days)
    out[ok] = (numpy.datetime64("1970-01-01") + days[ok].astype("timedelta64[D]")).astype("datetime64[Y]").astype(
        numpy.int64
    ) + 1970
    return out


@dataclass
class Prepared:
    """The year-independent part of the tables, plus what each year draws on."""

    n_firms: int
    columns: dict[str, numpy.ndarray]
    counts: dict[str, int]
    status_site: numpy.ndarray
    status_code: numpy.ndarray
    status_day: numpy.ndarray
    revenue: numpy.ndarray  # last known revenue and its year, per firm
    revenue_year: numpy.ndarray
    payroll: dict[int, numpy.ndarray]
    headcount: dict[int, numpy.ndarray]
    purchases: dict[str, numpy.ndarray]
    costs: dict[str, numpy.ndarray]  # project cost lines: project row, type, amount, year
    loans: dict[str, numpy.ndarray]
    last_purchase_year: int
    last_loan_year: int
    firm_info: pl.DataFrame = field(repr=False)  # region, okved, size, cluster, weight per firm row


def prepare(pop: Population) -> Prepared:
    f = pop.frames
    firms = f["firms"]
    firm_ids = firms["id"].to_numpy()
    nf = firms.height
    c: dict[str, numpy.ndarray] = {}
    okved = firms["okved"].cast(pl.Utf8)
    c["firm_okved_class"] = _float(okved.str.slice(0, 2).cast(pl.Float64, strict=False))
    c["firm_size"] = _enum(firms["size"], FirmSize)
    c["firm_technological_company"] = _check(firms["technological_company"])
    c["firm_industrial_producer"] = _check(firms["industrial_producer"])
    c["firm_spic_version"] = _enum(firms["spic_version"], SpicVersion, SPIC)
    c["firm_spic_since"] = _days(firms["spic_since"])
    c["firm_spic_until"] = _days(firms["spic_until"])
    # As in the contract: without a start date of the reduced tariff, the SPIC's start is taken.
    c["firm_premium_reduced_since"] = c["firm_spic_since"].copy()

    years = f["firm_years"].sort("year")
    y_row = _rows(firm_ids, years["firm"].to_numpy())
    payroll: dict[int, numpy.ndarray] = {}
    headcount: dict[int, numpy.ndarray] = {}
    revenue, revenue_year = numpy.full(nf, NAN), numpy.full(nf, -1, dtype=numpy.int64)
    for year in years["year"].unique().sort().to_list():
        mask = (years["year"] == year).to_numpy() & (y_row >= 0)
        rows = y_row[mask]
        payroll.setdefault(year, numpy.full(nf, NAN))[rows] = _float(years["payroll_rub"])[mask]
        headcount.setdefault(year, numpy.full(nf, NAN))[rows] = _float(years["headcount"])[mask]
        rev = _float(years["revenue_rub"])[mask]
        known = ~numpy.isnan(rev)
        revenue[rows[known]] = rev[known]
        revenue_year[rows[known]] = year

    sites = f["sites"]
    site_ids = sites["id"].to_numpy()
    c["site_kind"] = _enum(sites["kind"], SiteKind)
    c["site_ownership"] = (
        _enum(sites["management_company_ownership"], Ownership)
        if "management_company_ownership" in sites.columns
        else numpy.zeros(sites.height, dtype=numpy.int16)
    )
    c["site_functional_dependence_share"] = _float(sites["functional_dependence_share"])
    c["site_special_territory_share"] = _float(sites["special_territory_participant_share"])
    for name, column in (("site_area_ha", "area_ha"), ("site_building_area_m2", "building_area_m2")):
        c[name] = _float(sites[column]) if column in sites.columns else numpy.full(sites.height, NAN)
    events = f["status_events"].sort("on")
    status_site = _rows(site_ids, events["site"].to_numpy())

    m = f["memberships"]
    c["membership_firm_idx"] = _rows(firm_ids, m["firm"].to_numpy())
    c["membership_site_idx"] = _rows(site_ids, m["site"].to_numpy())
    c["membership_role"] = _enum(m["role"], MembershipRole)
    c["membership_since"] = _days(m["date_from"])
    c["membership_until"] = _days(m["date_to"]) if "date_to" in m.columns else numpy.full(m.height, NAN)
    c["membership_producing"] = _check(m["producing"])
    c["membership_has_contract"] = _check(m["has_contract_with_participant"])

    projects = f["projects"]
    project_ids = projects["id"].to_numpy()
    c["project_site_idx"] = _rows(site_ids, projects["site"].to_numpy())
    c["project_import_substitution"] = _check(projects["import_substitution"])
    c["project_stage"] = _enum(projects["stage"], ProjectStage)
    parts = f["project_participants"]
    part_project = _rows(project_ids, parts["project"].to_numpy())
    part_firm = _rows(firm_ids, parts["firm"].to_numpy())
    part_role = _enum(parts["role"], ProjectRole)
    lead = numpy.full(projects.height, -1, dtype=numpy.int64)
    is_lead = (part_role == ProjectRole.lead.index) & (part_project >= 0)
    lead[part_project[is_lead][::-1]] = part_firm[is_lead][::-1]  # the first lead listed
    c["project_lead_idx"] = lead
    c["project_application_idx"] = numpy.full(projects.height, -1, dtype=numpy.int64)
    c["participation_project_idx"], c["participation_firm_idx"] = part_project, part_firm
    c["participation_role"] = part_role
    costs = f["project_costs"]
    cost_project = _rows(project_ids, costs["project"].to_numpy())
    for t in COST_TYPES:
        mask = (costs["cost_type"] == t).to_numpy() & (cost_project >= 0)
        c[f"project_costs_{t}_rub"] = numpy.bincount(
            cost_project[mask], weights=_float(costs["amount_rub"])[mask], minlength=projects.height
        ).astype(numpy.float64)

    costs_by_line = {
        "project": cost_project,
        "type": costs["cost_type"].cast(pl.Utf8).fill_null("").to_numpy(),
        "amount": _float(costs["amount_rub"]),
        "year": costs["year"].cast(pl.Int64).fill_null(-1).to_numpy()
        if "year" in costs.columns
        else numpy.full(costs.height, -1, dtype=numpy.int64),
    }
    p = f["purchases"]
    purchases = {
        "project": _rows(project_ids, p["project"].to_numpy()),
        "buyer": _rows(firm_ids, p["buyer"].to_numpy()),
        "supplier": _rows(firm_ids, p["supplier"].to_numpy()),
        "amount": _float(p["amount_rub"]),
        "date": _days(p["date"]),
        "documented": numpy.where(_check(p["documented"]) == 0, 1, _check(p["documented"])).astype(numpy.int16),
    }
    loans_frame = f["loans"]
    loans = {
        "firm": _rows(firm_ids, loans_frame["firm"].to_numpy()),
        "programme": _enum(loans_frame["programme"], LoanProgramme),
        "purpose": _enum(loans_frame["purpose"], LoanPurpose),
        "amount_rub": _float(loans_frame["amount_rub"]),
        "term_years": _float(loans_frame["term_years"]),
        "signed_on": _days(loans_frame["signed_on"]),
        "property_area_m2": _float(loans_frame["property_area_m2"]),
        "property_cost_rub": _float(loans_frame["property_cost_rub"]),
        "property_region": _float(loans_frame["property_region"].cast(pl.Utf8).cast(pl.Float64, strict=False)),
        "project_cost_rub": _float(loans_frame["project_cost_rub"]),
        "investment_phase_years": _float(loans_frame["investment_phase_years"]),
        "priority_product": _check(loans_frame["priority_product"]),
        "lender_authorised": _check(loans_frame["lender_authorised"]),
        "origin": numpy.arange(loans_frame.height, dtype=numpy.int64),
    }
    loan_years = _year_of(loans["signed_on"])
    purchase_years = _year_of(purchases["date"])
    counts = {
        "firm": nf,
        "site": sites.height,
        "membership": m.height,
        "project": projects.height,
        "participation": parts.height,
    }
    return Prepared(
        n_firms=nf,
        columns=c,
        counts=counts,
        status_site=status_site,
        status_code=_enum(events["status"], RegistryStatus),
        status_day=_days(events["on"]),
        revenue=revenue,
        revenue_year=revenue_year,
        payroll=payroll,
        headcount=headcount,
        purchases=purchases,
        costs=costs_by_line,
        loans=loans,
        last_purchase_year=int(purchase_years.max()) if len(purchase_years) else 0,
        last_loan_year=int(loan_years.max()) if len(loan_years) else 0,
        firm_info=firm_info(pop, c["membership_firm_idx"], c["membership_site_idx"]),
    )


def firm_info(pop: Population, m_firm: numpy.ndarray, m_site: numpy.ndarray) -> pl.DataFrame:
    """What the report breaks results down by: region, ОКВЭД section, size, first cluster, weight."""
    firms = pop.frames["firms"]
    sites = pop.frames["sites"]
    first_site = numpy.full(firms.height, -1, dtype=numpy.int64)
    ok = (m_firm >= 0) & (m_site >= 0)
    first_site[m_firm[ok][::-1]] = m_site[ok][::-1]
    names = pl.Series([*sites["name"].cast(pl.Utf8).to_list(), None])  # the last slot: no cluster
    return pl.DataFrame(
        {
            "firm": numpy.arange(firms.height),
            "firm_id": firms["id"],
            "name": firms.select(
                pl.coalesce(
                    [pl.col(c) for c in ("short_name", "full_name") if c in firms.columns]
                    + [pl.col("id").cast(pl.Utf8)]
                )
            ).to_series(),
            "region": firms["region"].cast(pl.Utf8),
            "okved": firms["okved"].cast(pl.Utf8),
            "size": firms["size"].cast(pl.Utf8),
            "cluster": names.gather(numpy.where(first_site >= 0, first_site, len(names) - 1)),
            "weight": firms["weight"].cast(pl.Float64).fill_null(1.0),
        }
    )
