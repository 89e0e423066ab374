"""One year's tables: the prepared population moved to year Y (growth, loan cohorts, that year's
purchases, registry status on the date). See `klaster.simulation.tables` for the rules of each."""

from dataclasses import dataclass
from datetime import date

import numpy

from klaster.rules.builder import Tables
from klaster.rules.schedule import add_years
from klaster.rules.variables.inputs_project import COST_TYPES
from klaster.simulation.tables import Prepared, _year_of, day_number

NAN = numpy.nan


@dataclass
class YearTables:
    year: int
    day: date
    tables: Tables
    application_firm: numpy.ndarray  # firm row per application (all of year Y)
    loan_firm: numpy.ndarray


def _grown(values: numpy.ndarray, from_year: numpy.ndarray | int, year: int, growth: float) -> numpy.ndarray:
    return values * (1.0 + growth) ** (year - numpy.asarray(from_year, dtype=numpy.float64))


def _latest(by_year: dict[int, numpy.ndarray], year: int, growth: float, n: int) -> numpy.ndarray:
    """A yearly figure for `year`: the known value, else the last known one grown to that year."""
    if year in by_year:
        return by_year[year]
    out, seen = numpy.full(n, NAN), numpy.full(n, -1, dtype=numpy.int64)
    for y in sorted(k for k in by_year if k < year):
        known = ~numpy.isnan(by_year[y])
        out[known], seen[known] = by_year[y][known], y
    return numpy.where(seen >= 0, _grown(out, numpy.maximum(seen, 0), year, growth), NAN)


def loan_cohorts(prep: Prepared, year: int, per_year: int | None, growth: float, seed: int) -> dict[str, numpy.ndarray]:
    """The population's loans plus one cohort for every year after its last signing year up to `year`."""
    loans = prep.loans
    signed_year = _year_of(loans["signed_on"])
    last = prep.last_loan_year
    template = numpy.nonzero(signed_year == last)[0]
    if per_year is None:  # the average yearly number over the population's last three signing years
        per_year = round(int(numpy.sum((signed_year > last - 3) & (signed_year <= last))) / 3)
    parts = [loans]
    for cohort in range(last + 1, year + 1):
        if len(template) == 0 or per_year <= 0:
            break
        rng = numpy.random.default_rng([seed, cohort])
        pick = template[rng.integers(0, len(template), per_year)]
        grown = {k: v[pick].copy() for k, v in loans.items()}
        shift = numpy.full(per_year, cohort - last)
        grown["signed_on"] = add_years(loans["signed_on"][pick], shift)
        for money in ("amount_rub", "property_cost_rub", "project_cost_rub"):
            grown[money] = numpy.round(_grown(grown[money], last, cohort, growth))
        parts.append(grown)
    merged = {k: numpy.concatenate([p[k] for p in parts]) for k in loans}
    keep = merged["signed_on"] <= day_number(date(year, 12, 31))
    return {k: v[keep] for k, v in merged.items()}


def purchases_of(prep: Prepared, year: int, growth: float) -> dict[str, numpy.ndarray]:
    """The start batches bought in `year`: the population's own, or its last year's moved and grown."""
    p = prep.purchases
    years = _year_of(p["date"])
    source = year if year <= prep.last_purchase_year else prep.last_purchase_year
    rows = numpy.nonzero(years == source)[0]
    out = {k: v[rows].copy() for k, v in p.items()}
    if source != year:
        out["date"] = add_years(out["date"], numpy.full(len(rows), year - source))
        out["amount"] = numpy.round(_grown(out["amount"], source, year, growth))
    return out


def costs_of(prep: Prepared, year: int, growth: float) -> dict[str, numpy.ndarray]:
    """Each project's costs by type in `year`: its own cost lines of that year or, after the population's
    last cost year, those of that last year grown. Lines without a year count in every year."""
    lines = prep.costs
    known = lines["year"][lines["year"] >= 0]
    last = int(known.max()) if len(known) else year
    source = min(year, last)
    pick = ((lines["year"] == source) | (lines["year"] < 0)) & (lines["project"] >= 0)
    factor = (1.0 + growth) ** (year - source)
    n = prep.counts["project"]
    return {
        t: numpy.round(
            numpy.bincount(lines["project"][pick & (lines["type"] == t)],
                           weights=lines["amount"][pick & (lines["type"] == t)], minlength=n) * factor
        )
        for t in COST_TYPES
    }  # fmt: skip


def year_tables(prep: Prepared, year: int, growth: float, loan_cohort: int | None, seed: int) -> YearTables:
    day = date(year, 12, 31)
    d = day_number(day)
    c = dict(prep.columns)
    n = prep.n_firms
    c["firm_revenue_rub"] = numpy.where(
        prep.revenue_year >= 0,
        numpy.round(_grown(prep.revenue, numpy.maximum(prep.revenue_year, 0), year, growth)),
        NAN,
    )
    yearly = {
        "firm_payroll_rub": {year: _latest(prep.payroll, year, growth, n)},
        "firm_headcount": {year: _latest(prep.headcount, year, growth, n)},
    }
    # Registry status on the date: the last event on or before it.
    ns = prep.counts["site"]
    status, since = numpy.zeros(ns, dtype=numpy.int16), numpy.full(ns, NAN)
    ok = (prep.status_day <= d) & (prep.status_site >= 0)
    status[prep.status_site[ok]] = prep.status_code[ok]  # events are sorted by date: the last wins
    since[prep.status_site[ok]] = prep.status_day[ok]
    c["site_registry_status"], c["site_registry_since"] = status, since
    c["site_confirmed_pp779"] = numpy.zeros(ns, dtype=numpy.int16)  # unknown: being in the registry confirms

    buys = purchases_of(prep, year, growth)
    valid = (buys["buyer"] >= 0) & (buys["date"] <= d)
    costs = costs_of(prep, year, growth)
    for t, values in costs.items():
        c[f"project_costs_{t}_rub"] = values
    # Applications of the year: buyers of start batches, and leads of projects with costs that year.
    lead = c["project_lead_idx"]
    spends = (lead >= 0) & (sum(costs.values()) > 0)
    buyers = numpy.unique(numpy.concatenate([buys["buyer"][valid], lead[spends]]))
    c["application_firm_idx"] = buyers.astype(numpy.int64)
    c["application_year"] = numpy.full(len(buyers), float(year))
    c["project_application_idx"] = numpy.where(spends, numpy.searchsorted(buyers, lead), -1).astype(numpy.int64)
    c["purchase_project_idx"] = buys["project"]
    c["purchase_buyer_idx"] = buys["buyer"]
    c["purchase_supplier_idx"] = buys["supplier"]
    c["purchase_application_idx"] = numpy.where(valid, numpy.searchsorted(buyers, buys["buyer"]), -1).astype(
        numpy.int64
    )
    c["purchase_amount_rub"] = buys["amount"]
    c["purchase_date"] = buys["date"]
    c["purchase_documented"] = buys["documented"]

    loans = loan_cohorts(prep, year, loan_cohort, growth, seed)
    for key, values in loans.items():
        if key != "origin":
            c["loan_firm_idx" if key == "firm" else f"loan_{key}"] = values
    counts = {
        **prep.counts,
        "purchase": len(buys["amount"]),
        "application": len(buyers),
        "loan": len(loans["amount_rub"]),
    }
    tables = Tables(counts, c, yearly)
    return YearTables(year, day, tables, c["application_firm_idx"], loans["firm"])
