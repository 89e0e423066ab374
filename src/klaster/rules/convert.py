"""The JSON contract → columnar tables (`builder.Tables`), with the id maps to read answers back.

Checks the joins the schema cannot (dangling or duplicate ids) and records, per row, every default
it had to assume, so the answer lists it. Unknown stays unknown: NaN, `unknown`, index -1."""

from dataclasses import dataclass, field
from datetime import date

import numpy

from klaster.rules.builder import Tables
from klaster.rules.common import EPOCH
from klaster.rules.contract import ContractError, EvalInput
from klaster.rules.variables.inputs_firm import FirmSize, SpicVersion
from klaster.rules.variables.inputs_loan import LoanProgramme, LoanPurpose
from klaster.rules.variables.inputs_project import COST_TYPES, ProjectRole, ProjectStage
from klaster.rules.variables.inputs_site import MembershipRole, Ownership, RegistryStatus, SiteKind

NAN = float("nan")


@dataclass
class Index:
    """Row → contract id for each entity, and the defaults assumed per row."""

    firms: list[str]
    sites: list[str]
    projects: list[str]
    loans: list[str]
    applications: list[tuple[int, int]]  # (firm row, year)
    purchases: list[tuple[int, int]] = field(default_factory=list)  # (project row, position in its list)
    assumptions: dict[tuple[str, int], list[str]] = field(default_factory=dict)

    def assume(self, entity: str, row: int, text: str) -> None:
        self.assumptions.setdefault((entity, row), []).append(text)


def days(value: date | None) -> float:
    return NAN if value is None else float((value - EPOCH).days)


def check3(value: bool | None) -> int:
    """true → passed (1), false → failed (2), absent → unknown (0)."""
    return 0 if value is None else (1 if value else 2)


def enum_code(enum, value: str | None) -> int:
    return 0 if value is None else enum[value.replace(".", "_") if enum is not SpicVersion else _spic(value)].index


def _spic(value: str) -> str:
    return {"none": "none", "1.0": "v1", "2.0": "v2"}[value]


def _ids(items, path: str) -> dict[str, int]:
    seen: dict[str, int] = {}
    errors = []
    for i, item in enumerate(items):
        if item.id in seen:
            errors.append({"loc": [path, i, "id"], "type": "duplicate_id", "msg": f"id: «{item.id}» уже встречается"})
        seen[item.id] = i
    if errors:
        raise ContractError(errors)
    return seen


def _yearly(value, year: int) -> dict[int, float]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return {int(y): float(v) for y, v in value.items()}
    return {year: float(value)}


def to_tables(inp: EvalInput) -> tuple[Tables, Index]:
    """Tables for `builder.build_simulation`; raises ContractError naming the field of a bad id."""
    firm_ids, site_ids = _ids(inp.firms, "firms"), _ids(inp.sites, "sites")
    _project_ids, _ = _ids(inp.projects, "projects"), _ids(inp.loans, "loans")
    errors: list[dict] = []

    def ref(table: dict[str, int], value: str | None, loc: list, what: str) -> int:
        if value is None:
            return -1
        if value not in table:
            errors.append({"loc": loc, "type": "dangling_id", "msg": f"{loc[-1]}: нет {what} с id «{value}»"})
            return -1
        return table[value]

    year = inp.date.year
    index = Index(
        [f.id for f in inp.firms],
        [s.id for s in inp.sites],
        [p.id for p in inp.projects],
        [ln.id for ln in inp.loans],
        [],
    )
    nf, c = len(inp.firms), {}
    c["firm_okved_class"] = numpy.array([NAN if f.okved is None else float(f.okved[:2]) for f in inp.firms])
    c["firm_size"] = numpy.array([enum_code(FirmSize, f.size) for f in inp.firms], dtype=numpy.int16)
    c["firm_technological_company"] = numpy.array([check3(f.technological_company) for f in inp.firms])
    c["firm_industrial_producer"] = numpy.array([check3(f.industrial_producer) for f in inp.firms])
    c["firm_revenue_rub"] = numpy.array([NAN if f.revenue_rub is None else f.revenue_rub for f in inp.firms])
    c["firm_spic_version"] = numpy.array(
        [0 if f.spic is None else enum_code(SpicVersion, f.spic.version) for f in inp.firms]
    )
    c["firm_spic_since"] = numpy.array([days(f.spic.since) if f.spic else NAN for f in inp.firms])
    c["firm_spic_until"] = numpy.array([days(f.spic.until) if f.spic else NAN for f in inp.firms])
    reduced = []
    for i, f in enumerate(inp.firms):
        if f.premium_reduced_since is None and f.spic and f.spic.since:
            index.assume("firm", i, "Пониженный тариф взносов — с даты начала СПИК (начало применения не указано)")
        reduced.append(days(f.premium_reduced_since or (f.spic.since if f.spic else None)))
    c["firm_premium_reduced_since"] = numpy.array(reduced)
    yearly = {"firm_payroll_rub": {}, "firm_headcount": {}}
    for name, attr in (("firm_payroll_rub", "payroll_rub"), ("firm_headcount", "headcount")):
        for i, f in enumerate(inp.firms):
            for y, v in _yearly(getattr(f, attr), year).items():
                yearly[name].setdefault(y, numpy.full(nf, NAN))[i] = v

    ns = len(inp.sites)
    c["site_kind"] = numpy.array([enum_code(SiteKind, s.kind) for s in inp.sites], dtype=numpy.int16)
    c["site_registry_status"] = numpy.array(
        [enum_code(RegistryStatus, s.registry.status if s.registry else None) for s in inp.sites], dtype=numpy.int16
    )
    c["site_registry_since"] = numpy.array([days(s.registry.since) if s.registry else NAN for s in inp.sites])
    c["site_confirmed_pp779"] = numpy.array(
        [check3(s.registry.confirmed_pp779 if s.registry else None) for s in inp.sites]
    )
    c["site_ownership"] = numpy.array([enum_code(Ownership, s.management_company_ownership) for s in inp.sites])
    for name, attr in (
        ("site_functional_dependence_share", "functional_dependence_share"),
        ("site_special_territory_share", "special_territory_participant_share"),
        ("site_area_ha", "area_ha"),
        ("site_building_area_m2", "building_area_m2"),
        ("site_infrastructure_costs_rub", "infrastructure_costs_rub"),
        ("site_residents_federal_taxes_rub", "residents_federal_taxes_rub"),
        ("site_electronics_companies", "electronics_companies"),
    ):
        c[name] = numpy.array([NAN if getattr(s, attr) is None else float(getattr(s, attr)) for s in inp.sites])
    c["site_project_start"] = numpy.array([days(s.project_start) for s in inp.sites])
    c["site_p1119_claim_date"] = numpy.array([days(s.p1119_claim_date) for s in inp.sites])
    c["site_electronics_priority_region"] = numpy.array([check3(s.electronics_priority_region) for s in inp.sites])
    for i, s in enumerate(inp.sites):
        if s.p1119_claim_date is None and s.kind in ("industrial_park", "industrial_technopark", "hightech_technopark"):
            index.assume("site", i, "Дата заявки по ПП № 1119 не указана — принята дата расчёта")

    m_rows = [(i, j, m) for i, f in enumerate(inp.firms) for j, m in enumerate(f.memberships)]
    c["membership_firm_idx"] = numpy.array([i for i, _, _ in m_rows], dtype=numpy.int64)
    c["membership_site_idx"] = numpy.array(
        [ref(site_ids, m.site, ["firms", i, "memberships", j, "site"], "площадки") for i, j, m in m_rows],
        dtype=numpy.int64,
    )
    c["membership_role"] = numpy.array([enum_code(MembershipRole, m.role) for _, _, m in m_rows], dtype=numpy.int16)
    c["membership_since"] = numpy.array([days(m.since) for _, _, m in m_rows])
    c["membership_until"] = numpy.array([days(m.until) for _, _, m in m_rows])
    c["membership_producing"] = numpy.array([check3(m.producing) for _, _, m in m_rows])
    c["membership_has_contract"] = numpy.array([check3(m.has_contract_with_participant) for _, _, m in m_rows])

    applications: dict[tuple[int, int], int] = {}

    def application(firm_row: int, y: int) -> int:
        return applications.setdefault((firm_row, y), len(applications))

    p_site, p_lead, p_imp, p_stage, costs = [], [], [], [], {t: [] for t in COST_TYPES}
    parts, buys = [], []
    for i, p in enumerate(inp.projects):
        p_site.append(ref(site_ids, p.site, ["projects", i, "site"], "площадки"))
        lead = -1
        for j, part in enumerate(p.participants):
            f = ref(firm_ids, part.firm, ["projects", i, "participants", j, "firm"], "организации")
            parts.append((i, f, enum_code(ProjectRole, part.role)))
            if part.role == "lead" and lead < 0:
                lead = f
        p_lead.append(lead)
        p_imp.append(check3(p.import_substitution))
        p_stage.append(enum_code(ProjectStage, p.stage))
        for t in COST_TYPES:
            costs[t].append(NAN if p.costs_rub is None else float(p.costs_rub.get(t, 0.0)))
        for j, b in enumerate(p.start_batch_purchases):
            buyer = ref(firm_ids, b.buyer, ["projects", i, "start_batch_purchases", j, "buyer"], "организации")
            supplier = ref(firm_ids, b.supplier, ["projects", i, "start_batch_purchases", j, "supplier"], "организации")
            buys.append((i, j, buyer, supplier, b))
    if errors:
        raise ContractError(errors)
    for _, _, buyer, _, b in buys:
        if b.date <= inp.date:
            application(buyer, b.date.year)
    for lead in p_lead:
        if lead >= 0:
            application(lead, year)
    with_rows = {f for f, _ in applications}
    for f in range(nf):
        if f not in with_rows:
            application(f, year)
    c["project_site_idx"] = numpy.array(p_site, dtype=numpy.int64)
    c["project_lead_idx"] = numpy.array(p_lead, dtype=numpy.int64)
    c["project_application_idx"] = numpy.array(
        [applications.get((lead, year), -1) if lead >= 0 else -1 for lead in p_lead], dtype=numpy.int64
    )
    c["project_import_substitution"] = numpy.array(p_imp)
    c["project_stage"] = numpy.array(p_stage)
    for t in COST_TYPES:
        c[f"project_costs_{t}_rub"] = numpy.array(costs[t], dtype=numpy.float64)
    c["participation_project_idx"] = numpy.array([p for p, _, _ in parts], dtype=numpy.int64)
    c["participation_firm_idx"] = numpy.array([f for _, f, _ in parts], dtype=numpy.int64)
    c["participation_role"] = numpy.array([r for _, _, r in parts])
    c["purchase_project_idx"] = numpy.array([i for i, *_ in buys], dtype=numpy.int64)
    c["purchase_buyer_idx"] = numpy.array([b for _, _, b, _, _ in buys], dtype=numpy.int64)
    c["purchase_supplier_idx"] = numpy.array([s for _, _, _, s, _ in buys], dtype=numpy.int64)
    c["purchase_application_idx"] = numpy.array(
        [applications.get((b, p.date.year), -1) for _, _, b, _, p in buys], dtype=numpy.int64
    )
    c["purchase_amount_rub"] = numpy.array([p.amount_rub for *_, p in buys], dtype=numpy.float64)
    c["purchase_date"] = numpy.array([days(p.date) for *_, p in buys])
    c["purchase_documented"] = numpy.array([1 if p.documented is None else check3(p.documented) for *_, p in buys])
    index.purchases = [(i, j) for i, j, *_ in buys]
    for _row, (_, _, buyer, _, p) in enumerate(buys):
        a = applications.get((buyer, p.date.year))
        if p.documented is None and a is not None:
            index.assume("application", a, "Закупки без поля documented считаются подтверждёнными документами")
    index.applications = sorted(applications, key=applications.get)
    c["application_firm_idx"] = numpy.array([f for f, _ in index.applications], dtype=numpy.int64)
    c["application_year"] = numpy.array([y for _, y in index.applications], dtype=numpy.float64)

    loans = inp.loans
    c["loan_firm_idx"] = numpy.array(
        [ref(firm_ids, ln.firm, ["loans", i, "firm"], "организации") for i, ln in enumerate(loans)], dtype=numpy.int64
    )
    if errors:
        raise ContractError(errors)
    c["loan_programme"] = numpy.array([enum_code(LoanProgramme, ln.programme) for ln in loans])
    c["loan_purpose"] = numpy.array([enum_code(LoanPurpose, ln.purpose) for ln in loans])
    for name, attr in (
        ("loan_amount_rub", "amount_rub"),
        ("loan_term_years", "term_years"),
        ("loan_property_area_m2", "property_area_m2"),
        ("loan_property_cost_rub", "property_cost_rub"),
        ("loan_project_cost_rub", "project_cost_rub"),
        ("loan_investment_phase_years", "investment_phase_years"),
    ):
        c[name] = numpy.array([NAN if getattr(ln, attr) is None else float(getattr(ln, attr)) for ln in loans])
    c["loan_property_region"] = numpy.array(
        [NAN if ln.property_region is None else float(ln.property_region) for ln in loans]
    )
    c["loan_signed_on"] = numpy.array([days(ln.signed_on or inp.date) for ln in loans])
    c["loan_priority_product"] = numpy.array([check3(ln.priority_product) for ln in loans])
    c["loan_lender_authorised"] = numpy.array([check3(ln.lender_authorised) for ln in loans])
    for i, ln in enumerate(loans):
        if ln.signed_on is None:
            index.assume("loan", i, "Дата договора не указана — принята дата расчёта")
    _ = ns
    counts = {
        "firm": nf,
        "site": ns,
        "membership": len(m_rows),
        "project": len(inp.projects),
        "participation": len(parts),
        "purchase": len(buys),
        "application": len(applications),
        "loan": len(loans),
    }
    return Tables(counts, c, yearly), index
