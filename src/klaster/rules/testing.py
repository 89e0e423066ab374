"""A seeded synthetic population as columnar tables, for the vectorised tests and the benchmark.

Shapes follow the design study: N firms, 0.3 N projects with one start-batch purchase each, 0.2 N
loans, max(20, N / 500) clusters; 30 % of firms in a cluster, 2 % in two. `builder.subset` cuts the
sub-graph one firm's answers depend on, to compare a one-by-one run with the batch."""

from datetime import date

import numpy

from klaster.rules.builder import Tables, subset  # noqa: F401  (subset: re-exported for the tests)
from klaster.rules.common import EPOCH

DATE = date(2025, 6, 1)
DAY = float((DATE - EPOCH).days)
ENTITY_OF_PREFIX = {
    "firm": "firm",
    "site": "site",
    "membership": "membership",
    "project": "project",
    "participation": "participation",
    "purchase": "purchase",
    "application": "application",
    "loan": "loan",
}


def _days(text: str) -> float:
    return float((date.fromisoformat(text) - EPOCH).days)


def population(n_firms: int, seed: int = 7) -> Tables:
    """Tables for `n_firms` firms on DATE (every value drawn, with some unknowns on purpose)."""
    rng = numpy.random.default_rng(seed)
    nf, np_, nl = n_firms, max(1, int(0.3 * n_firms)), max(1, int(0.2 * n_firms))
    ns = max(20, n_firms // 500)
    c: dict[str, numpy.ndarray] = {}
    c["firm_okved_class"] = rng.choice([10.0, 11.0, 20.0, 22.0, 25.0, 26.0, 27.0, 28.0, 29.0, numpy.nan], nf)
    c["firm_size"] = rng.choice([0, 1, 2, 3, 4], nf, p=[0.05, 0.4, 0.3, 0.15, 0.1]).astype(numpy.int16)
    c["firm_technological_company"] = rng.choice([0, 1, 2], nf, p=[0.2, 0.1, 0.7]).astype(numpy.int16)
    c["firm_industrial_producer"] = rng.choice([0, 1, 2], nf, p=[0.2, 0.7, 0.1]).astype(numpy.int16)
    c["firm_revenue_rub"] = numpy.where(rng.random(nf) < 0.1, numpy.nan, numpy.round(rng.lognormal(20.5, 1.2, nf)))
    c["firm_spic_version"] = rng.choice([0, 1, 2, 3], nf, p=[0.3, 0.55, 0.1, 0.05]).astype(numpy.int16)
    since = _days("2020-01-01") + rng.integers(0, 2000, nf)
    c["firm_spic_since"] = since.astype(numpy.float64)
    c["firm_spic_until"] = since + rng.integers(1000, 5000, nf)
    c["firm_premium_reduced_since"] = numpy.maximum(since, _days("2023-06-01")).astype(numpy.float64)
    headcount = rng.integers(5, 2000, nf).astype(numpy.float64)
    payroll = numpy.round(headcount * rng.lognormal(14.3, 0.6, nf))
    yearly = {
        "firm_headcount": {2025: headcount},
        "firm_payroll_rub": {2025: numpy.where(rng.random(nf) < 0.05, numpy.nan, payroll)},
    }
    # Sites: clusters mostly in the registry.
    c["site_kind"] = numpy.full(ns, 1, dtype=numpy.int16)
    c["site_registry_status"] = rng.choice([0, 3, 4, 5, 6], ns, p=[0.05, 0.1, 0.6, 0.2, 0.05]).astype(numpy.int16)
    c["site_registry_since"] = _days("2016-01-01") + rng.integers(0, 3000, ns).astype(numpy.float64)
    c["site_confirmed_pp779"] = numpy.zeros(ns, dtype=numpy.int16)
    c["site_functional_dependence_share"] = numpy.round(rng.uniform(0.05, 0.4, ns), 3)
    c["site_special_territory_share"] = numpy.round(rng.uniform(0, 0.6, ns), 3)
    # Memberships: 30 % of firms in one cluster, 2 % of firms in a second one.
    members = rng.choice(nf, int(0.3 * nf), replace=False)
    second = rng.choice(members, int(0.02 * nf), replace=False)
    m_firm = numpy.concatenate([members, second])
    sizes = rng.pareto(1.5, ns) + 1
    m_site = rng.choice(ns, len(m_firm), p=sizes / sizes.sum())
    m_site[len(members) :] = (m_site[len(members) :] + 1 + rng.integers(0, ns - 1, len(second))) % ns
    nm = len(m_firm)
    c["membership_firm_idx"] = m_firm.astype(numpy.int64)
    c["membership_site_idx"] = m_site.astype(numpy.int64)
    c["membership_role"] = rng.choice([0, 1, 2, 3], nm, p=[0.02, 0.08, 0.85, 0.05]).astype(numpy.int16)
    c["membership_since"] = _days("2015-01-01") + rng.integers(0, 4000, nm).astype(numpy.float64)
    c["membership_until"] = numpy.where(rng.random(nm) < 0.05, _days("2024-01-01"), numpy.nan)
    c["membership_producing"] = rng.choice([0, 1, 2], nm, p=[0.1, 0.8, 0.1]).astype(numpy.int16)
    c["membership_has_contract"] = rng.choice([0, 1, 2], nm, p=[0.1, 0.8, 0.1]).astype(numpy.int16)
    # Projects in a cluster; one purchase each between two of its members (or an outsider).
    p_site = rng.choice(ns, np_).astype(numpy.int64)
    order = numpy.argsort(m_site, kind="stable")
    bounds = numpy.searchsorted(m_site[order], numpy.arange(ns + 1))

    def member_of(sites):
        lo, hi = bounds[sites], bounds[sites + 1]
        pick = lo + (rng.random(len(sites)) * numpy.maximum(hi - lo, 1)).astype(numpy.int64)
        found = numpy.where(hi > lo, m_firm[order][numpy.minimum(pick, nm - 1)], rng.integers(0, nf, len(sites)))
        return numpy.where(rng.random(len(sites)) < 0.85, found, rng.integers(0, nf, len(sites)))

    buyer, supplier = member_of(p_site), member_of(p_site)
    c["project_site_idx"] = p_site
    c["project_lead_idx"] = supplier.astype(numpy.int64)
    c["project_import_substitution"] = rng.choice([0, 1, 2], np_, p=[0.1, 0.8, 0.1]).astype(numpy.int16)
    for t in ("rnd", "equipment", "tooling", "certification", "other"):
        c[f"project_costs_{t}_rub"] = numpy.round(rng.lognormal(17, 1, np_)) if t == "equipment" else numpy.zeros(np_)
    c["participation_project_idx"] = numpy.concatenate([numpy.arange(np_), numpy.arange(np_)]).astype(numpy.int64)
    c["participation_firm_idx"] = numpy.concatenate([supplier, buyer]).astype(numpy.int64)
    c["participation_role"] = numpy.concatenate([numpy.full(np_, 1), numpy.full(np_, 3)]).astype(numpy.int16)
    p_date = _days("2022-06-01") + rng.integers(0, 1095, np_).astype(numpy.float64)
    c["purchase_project_idx"] = numpy.arange(np_, dtype=numpy.int64)
    c["purchase_buyer_idx"] = buyer.astype(numpy.int64)
    c["purchase_supplier_idx"] = supplier.astype(numpy.int64)
    c["purchase_amount_rub"] = numpy.round(rng.lognormal(18.5, 1.0, np_))
    c["purchase_date"] = p_date
    c["purchase_documented"] = rng.choice([0, 1, 2], np_, p=[0.05, 0.9, 0.05]).astype(numpy.int16)
    # Applications: (buyer, purchase year) for purchases up to DATE, plus (firm, DATE year) for the rest.
    years = (numpy.datetime64("1970-01-01") + p_date.astype("timedelta64[D]")).astype("datetime64[Y]").astype(
        int
    ) + 1970
    valid = p_date <= DAY
    keys = numpy.where(valid, buyer.astype(numpy.int64) * 10_000 + years, -1)
    present = numpy.zeros(nf, dtype=bool)
    present[buyer[valid]] = True
    extra = numpy.nonzero(~present)[0].astype(numpy.int64) * 10_000 + DATE.year
    uniq = numpy.unique(numpy.concatenate([keys[valid], extra]))
    c["application_firm_idx"] = (uniq // 10_000).astype(numpy.int64)
    c["application_year"] = (uniq % 10_000).astype(numpy.float64)
    c["purchase_application_idx"] = numpy.where(valid, numpy.searchsorted(uniq, keys), -1).astype(numpy.int64)
    c["project_application_idx"] = numpy.full(np_, -1, dtype=numpy.int64)
    # Loans: two thirds industrial mortgage, one third КИП.
    programme = rng.choice([1, 2], nl, p=[0.67, 0.33]).astype(numpy.int16)
    amount = numpy.where(
        programme == 1, numpy.round(rng.uniform(5e7, 6e8, nl)), numpy.round(rng.lognormal(21.5, 1.0, nl))
    )
    c["loan_firm_idx"] = rng.integers(0, nf, nl).astype(numpy.int64)
    c["loan_programme"] = programme
    c["loan_amount_rub"] = amount
    c["loan_term_years"] = rng.integers(1, 11, nl).astype(numpy.float64)
    c["loan_signed_on"] = _days("2022-06-01") + rng.integers(0, 1460, nl).astype(numpy.float64)
    c["loan_purpose"] = rng.choice([0, 1, 2, 3, 4], nl, p=[0.05, 0.5, 0.25, 0.1, 0.1]).astype(numpy.int16)
    c["loan_property_area_m2"] = numpy.round(rng.uniform(500, 20_000, nl))
    c["loan_property_cost_rub"] = numpy.round(c["loan_property_area_m2"] * rng.uniform(20_000, 110_000, nl))
    c["loan_property_region"] = rng.choice([40.0, 77.0, 50.0, 16.0, numpy.nan], nl)
    c["loan_project_cost_rub"] = numpy.round(amount * rng.uniform(1.0, 2.0, nl))
    c["loan_priority_product"] = rng.choice([0, 1, 2], nl, p=[0.1, 0.8, 0.1]).astype(numpy.int16)
    c["loan_lender_authorised"] = rng.choice([0, 1, 2], nl, p=[0.1, 0.85, 0.05]).astype(numpy.int16)
    c["loan_investment_phase_years"] = rng.choice([1.0, 2.0, 3.0, numpy.nan], nl)
    counts = {
        "firm": nf,
        "site": ns,
        "membership": nm,
        "project": np_,
        "participation": 2 * np_,
        "purchase": np_,
        "application": len(uniq),
        "loan": nl,
    }
    return Tables(counts, c, yearly)
