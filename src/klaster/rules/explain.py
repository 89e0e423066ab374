"""From a simulation to the answer: every condition with its label and clause, the parameters used
with their confidence and source, the assumptions, amounts and yearly flows (docs/eval.md)."""

import math
from datetime import date, timedelta
from typing import Any

import numpy

from klaster.rules import convert
from klaster.rules.builder import build_simulation
from klaster.rules.common import EPOCH, PASSED, UNKNOWN, codes, gate
from klaster.rules.contract import (
    MEASURES as MEASURE_IDS,
)
from klaster.rules.contract import (
    ConditionOut,
    ContractError,
    EvalInput,
    EvalOutput,
    ParameterOut,
    ResultOut,
    TotalOut,
)
from klaster.rules.measures import MEASURES, Measure
from klaster.rules.reforms.scenario import ScenarioError, system_for
from klaster.rules.regions import region_iso
from klaster.rules.version import rules_version

STATUS = {0: "unknown", 1: "passed", 2: "failed"}
ELIGIBLE = {0: None, 1: True, 2: False}


def _reference(variable) -> str:
    ref = variable.reference
    return "; ".join(ref) if isinstance(ref, list | tuple) else str(ref or "")


def _param(tbs, path: str):
    node = tbs.parameters
    for part in path.split("."):
        node = node.children[part]
    return node


def describe(tbs, path: str, day: date) -> ParameterOut:
    """The value of a parameter in force on `day` with its metadata (None before its first date)."""
    param = _param(tbs, path)
    items = sorted(param.values_list, key=lambda v: v.instant_str)
    current = None
    for item in items:
        if item.instant_str <= day.isoformat():
            current = item
    if current is None:
        return ParameterOut(name=path, value=None, confidence=None, reference="не действовал на дату")
    meta = current.metadata
    refs = meta.get("reference") or []
    reference = "; ".join(r.get("title", "") if isinstance(r, dict) else str(r) for r in refs)
    return ParameterOut(
        name=path,
        value=current.value,
        confidence=meta.get("confidence"),
        reference=reference,
        source=meta.get("source"),
        since=current.instant_str,
    )


def _assumption_notes(params: list[ParameterOut], tbs, day: date) -> list[str]:
    notes = []
    for p in params:
        item = next((v for v in _param(tbs, p.name).values_list if v.instant_str == p.since), None)
        if item is not None and item.metadata.get("assumption"):
            notes.append(item.metadata.get("notes") or f"Допущение: {p.name} = {p.value}")
    return notes


def _day(days: float) -> date:
    return EPOCH + timedelta(days=int(days))


class Runner:
    """One simulation for one input; measures are read from it row by row."""

    def __init__(self, inp: EvalInput, scenario: str | None) -> None:
        self.inp = inp
        self.day = inp.date
        self.tables, self.index = convert.to_tables(inp)
        try:
            self.tbs = system_for(scenario)
        except ScenarioError as exc:
            raise ContractError([{"loc": ["scenario"], "type": "unknown_scenario", "msg": str(exc)}]) from None
        self.years = self._years()
        self.sim = build_simulation(self.tbs, self.tables, self.years)
        self.period = self.day.isoformat()

    def _years(self) -> list[int]:
        """Every year a yearly flow may be asked for: inputs are set (NaN if unknown) for each."""
        years = {self.day.year}
        for by_year in self.tables.yearly.values():
            years |= set(by_year)
        c = self.tables.columns
        for start, length in (
            (c["loan_signed_on"], c["loan_term_years"]),
            (c["firm_premium_reduced_since"], numpy.full(len(c["firm_premium_reduced_since"]), 8.0)),
        ):
            ok = ~(numpy.isnan(start) | numpy.isnan(length))
            for s, t in zip(start[ok], length[ok], strict=True):
                first = _day(s).year
                years |= set(range(first, first + math.ceil(t) + 1))
        return sorted(y for y in years if 1990 <= y <= 2100)

    def in_force(self, measure: Measure) -> bool:
        return bool(_param(self.tbs, f"{measure.id}.in_force")(self.period))

    def calc(self, name: str, period: str | None = None) -> numpy.ndarray:
        return self.sim.calculate(name, period or self.period)

    def conditions(self, measure: Measure) -> list[tuple[str, Any, numpy.ndarray]]:
        out = []
        for name in measure.conditions_on(self.period):
            variable = self.tbs.variables[name]
            status = codes(self.calc(name))
            if variable.entity.key == "purchase":
                status = self._per_application(status)
            out.append((name, variable, status))
        return out

    def _per_application(self, status: numpy.ndarray) -> numpy.ndarray:
        """A purchase condition shown for an application: met by some purchase (passed), by none
        (failed), or not known. Eligibility itself needs one purchase meeting all of them."""
        app = self.tables.columns["purchase_application_idx"]
        n = self.tables.counts["application"]
        ok = app >= 0
        total = numpy.bincount(app[ok], minlength=n)
        passed = numpy.bincount(app[ok], weights=(status == PASSED)[ok], minlength=n)
        failed = numpy.bincount(app[ok], weights=(status == 2)[ok], minlength=n)
        return numpy.where(passed > 0, PASSED, numpy.where(failed == total, 2, UNKNOWN))

    def rows(self, measure: Measure) -> list[int]:
        c = self.tables.columns
        if measure.entity == "loan":
            from klaster.rules.variables.inputs_loan import LoanProgramme

            code = LoanProgramme[measure.programme].index
            return [i for i, p in enumerate(c["loan_programme"]) if p == code]
        if measure.entity == "site":
            kinds = [self.inp.sites[i].kind for i in range(len(self.inp.sites))]
            return [i for i, k in enumerate(kinds) if k in measure.kinds]
        return list(range(self.tables.counts[measure.entity]))

    def result(self, measure: Measure, row: int, conds, eligible, amount) -> ResultOut:
        entity_id, applicant, period, param_day, assumptions = self._identity(measure, row)
        params = [describe(self.tbs, path, param_day) for path in measure.parameters]
        notes = list(measure.assumptions) + _assumption_notes(params, self.tbs, param_day) + assumptions
        value = None if amount is None or numpy.isnan(amount[row]) else float(round(amount[row], 2))
        res = ResultOut(
            entity=measure.output_entity,
            id=entity_id,
            applicant=applicant,
            measure=measure.id,
            period=period,
            eligible=ELIGIBLE[int(eligible[row])],
            amount_rub=value,
            conditions=[
                ConditionOut(code=name, status=STATUS[int(status[row])], label=var.label, reference=_reference(var))
                for name, var, status in conds
            ],
            parameters=params,
            assumptions=list(dict.fromkeys(notes)),
        )
        if measure.flow:
            res.by_year = self._by_year(measure, row, eligible)
        if measure.id == "pp41_start_batch_subsidy":
            from klaster.rules.pp41_details import project_lines

            res.details = {"projects": project_lines(self, row, amount)}
        return res

    def _identity(self, measure: Measure, row: int):
        inp, idx = self.inp, self.index
        if measure.entity == "application":
            firm_row, year = idx.applications[row]
            return (
                idx.firms[firm_row],
                idx.firms[firm_row],
                str(year),
                self.day,
                idx.assumptions.get(("application", row), []),
            )
        if measure.entity == "firm":
            return idx.firms[row], idx.firms[row], str(self.day.year), self.day, idx.assumptions.get(("firm", row), [])
        if measure.entity == "loan":
            loan = inp.loans[row]
            signed = loan.signed_on or self.day
            return loan.id, loan.firm, signed.isoformat(), signed, idx.assumptions.get(("loan", row), [])
        site = inp.sites[row]
        applicant = region_iso(site.regions[0]) if site.regions else None
        return site.id, applicant, self.period, self.day, idx.assumptions.get(("site", row), [])

    def _by_year(self, measure: Measure, row: int, eligible) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        years = self._flow_years(measure, row)
        for year in years:
            flow = gate(eligible[row : row + 1], self.calc(measure.flow, str(year))[row : row + 1])[0]
            out[str(year)] = None if numpy.isnan(flow) else float(round(flow, 2))
        return out

    def _flow_years(self, measure: Measure, row: int) -> list[int]:
        c = self.tables.columns
        if measure.entity == "loan":
            start, term = c["loan_signed_on"][row], c["loan_term_years"][row]
            if numpy.isnan(term):
                return []
            first = _day(start).year
            return [
                y
                for y in range(first, first + math.ceil(term) + 1)
                if y in self.years and self.calc(measure.flow, str(y))[row] != 0
            ]
        start = c["firm_premium_reduced_since"][row]
        given = {y for y, v in self.tables.yearly.get("firm_payroll_rub", {}).items() if not numpy.isnan(v[row])}
        years = given | {self.day.year}
        if not numpy.isnan(start):
            first = _day(start).year
            years = {y for y in years if first <= y <= first + 7}
        return sorted(years)

    def measure_results(self, measure: Measure) -> list[ResultOut]:
        rows = self.rows(measure)
        if not rows:
            return []
        conds = self.conditions(measure)
        eligible = codes(self.calc(measure.eligible))
        amount = self.calc(measure.amount) if measure.amount else None
        return [self.result(measure, row, conds, eligible, amount) for row in rows]


def totals(results: list[ResultOut]) -> dict[str, TotalOut]:
    out: dict[str, TotalOut] = {}
    for measure in MEASURE_IDS:
        mine = [r for r in results if r.measure == measure]
        if not mine:
            continue
        out[measure] = TotalOut(
            results=len(mine),
            eligible=sum(r.eligible is True for r in mine),
            ineligible=sum(r.eligible is False for r in mine),
            unknown=sum(r.eligible is None for r in mine),
            amount_rub=float(round(sum(r.amount_rub or 0.0 for r in mine), 2)),
            amount_unknown=sum(r.amount_rub is None and MEASURES[measure].has_amount for r in mine),
        )
    return out


def run(inp: EvalInput, scenario: str | None = None) -> EvalOutput:
    runner = Runner(inp, scenario)
    results: list[ResultOut] = []
    for measure_id in inp.measures or MEASURE_IDS:
        measure = MEASURES[measure_id]
        if measure.proposal and not inp.measures and not runner.in_force(measure):
            continue  # a proposal is answered where a scenario switches it on, or when asked for
        results += runner.measure_results(measure)
    return EvalOutput(
        date=inp.date, scenario=scenario, rules_version=rules_version(), results=results, totals=totals(results)
    )
