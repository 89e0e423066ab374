"""«Подбор мер поддержки» for a company outside the registry: its form values become the rules' input
(with the chosen cluster read from the registry), and every «неизвестно» is answered with the empty
fields that would settle it (`klaster.rules.probe`).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from klaster.registry.contract import site_entries
from klaster.rules.contract import ContractError, EvalInput, ResultOut, evaluate
from klaster.rules.probe import AMOUNT, Hint, answering_fields, result_key
from klaster.web.forms.selection import NOT_MEMBER, SelectionForm
from klaster.web.navigator import MEASURE_TITLES, REGISTRY_MEASURES

COMPANY, SUPPLIER, LOAN, PROJECT = "company", "supplier", "loan", "plan"
TRI = {"yes": True, "no": False}


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, Decimal | int | float) else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _clean(mapping: dict[str, Any]) -> dict[str, Any]:
    """Empty means unknown: the rules must not see it as zero or false."""
    return {k: v for k, v in mapping.items() if v not in (None, "", [])}


class InputBuilder:
    """Form values -> the rules' JSON contract. The cluster is read once; `__call__` runs per probe."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        cluster = values.get("cluster") or NOT_MEMBER
        self.site_id = None if cluster == NOT_MEMBER else f"s{cluster}"
        self.sites = site_entries([int(cluster)], values["on"]) if self.site_id else []
        if self.site_id and not self.sites:
            self.site_id = None

    def _firm(self, v: Mapping[str, Any]) -> dict[str, Any]:
        spic = _clean({"version": v.get("spic_version"), "since": _day(v.get("spic_since"))})
        membership = _clean(
            {
                "site": self.site_id,
                "role": v.get("member_role"),
                "since": _day(v.get("member_since")),
                "producing": TRI.get(v.get("producing") or ""),
            }
        )
        return _clean(
            {
                "id": COMPANY,
                "inn": v.get("inn"),
                "name": v.get("name"),
                "region": v.get("region"),
                "okved": v.get("okved"),
                "size": v.get("size"),
                "industrial_producer": TRI.get(v.get("industrial_producer") or ""),
                "technological_company": TRI.get(v.get("technological_company") or ""),
                "headcount": _number(v.get("headcount")),
                "revenue_rub": _number(v.get("revenue_rub")),
                "payroll_rub": _number(v.get("payroll_rub")),
                "spic": spic if "version" in spic else None,
                "memberships": [membership] if self.site_id else [],
            }
        )

    def _supplier(self, v: Mapping[str, Any]) -> dict[str, Any]:
        """«Не знаю» is a membership of unknown date (unknown to the rules); «нет» is no membership."""
        answer = v.get("supplier_in_cluster") or ""
        if not self.site_id or answer == "no":
            return {"id": SUPPLIER}
        if answer != "yes":
            return {"id": SUPPLIER, "memberships": [{"site": self.site_id}]}
        since = _day(v.get("supplier_since"))
        return {"id": SUPPLIER, "memberships": [_clean({"site": self.site_id, "role": "participant", "since": since})]}

    def _loan(self, v: Mapping[str, Any]) -> dict[str, Any]:
        return _clean(
            {
                "id": LOAN,
                "firm": COMPANY,
                "programme": v.get("loan_programme"),
                "amount_rub": _number(v.get("loan_amount_rub")),
                "term_years": _number(v.get("loan_term_years")),
                "signed_on": _day(v.get("loan_signed_on")),
                "purpose": v.get("loan_purpose"),
                "property_area_m2": _number(v.get("property_area_m2")),
                "property_cost_rub": _number(v.get("property_cost_rub")),
                "property_region": v.get("region"),
                "project_cost_rub": _number(v.get("project_cost_rub")),
                "priority_product": TRI.get(v.get("priority_product") or ""),
                "lender_authorised": TRI.get(v.get("lender_authorised") or ""),
                "investment_phase_years": _number(v.get("investment_phase_years")),
            }
        )

    def __call__(self, v: Mapping[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {"date": v["on"].isoformat(), "firms": [self._firm(v)], "sites": self.sites}
        if v.get("loan_programme") and v.get("loan_amount_rub"):
            data["loans"] = [self._loan(v)]
        if v.get("purchase_amount_rub") and v.get("purchase_date"):
            purchase = {
                "buyer": COMPANY,
                "supplier": SUPPLIER,
                "amount_rub": _number(v["purchase_amount_rub"]),
                "date": _day(v["purchase_date"]),
                "documented": TRI.get(v.get("documented") or ""),
            }
            data["firms"].append(self._supplier(v))
            data["projects"] = [
                _clean({"id": PROJECT, "site": self.site_id, "start_batch_purchases": [_clean(purchase)]})
            ]
        return data


def probes(values: Mapping[str, Any]) -> dict[str, Any]:
    """A plausible value for each field the rules may read, to find which empty field settles an unknown."""
    on: date = values["on"]
    loan = values.get("loan_amount_rub") or Decimal(500_000_000)
    return {
        "region": "40",
        "okved": "29.32",
        "size": "medium",
        "industrial_producer": "yes",
        "technological_company": "yes",
        "headcount": 250,
        "revenue_rub": Decimal(2_000_000_000),
        "payroll_rub": Decimal(300_000_000),
        "spic_version": "2.0",
        "spic_since": on - timedelta(days=365),
        "member_role": "participant",
        "member_since": on - timedelta(days=730),
        "producing": "yes",
        "loan_term_years": Decimal(5),
        "loan_signed_on": on,
        "loan_purpose": "construction",
        "property_area_m2": Decimal(5_000),
        "property_cost_rub": loan * 2,
        "project_cost_rub": loan * 2,
        "priority_product": "yes",
        "lender_authorised": "yes",
        "investment_phase_years": Decimal(2),
        "supplier_in_cluster": "yes",
        "supplier_since": on - timedelta(days=730),
        "documented": "yes",
    }


@dataclass
class Line:
    """One condition (or the amount) of an answer that is not «выполнено», with what would settle it."""

    label: str
    reference: str
    status: str
    hint: Hint | None = None
    fields: list[str] = field(default_factory=list)


@dataclass
class Answer:
    title: str
    result: ResultOut
    lines: list[Line]
    unverified: list[str]


@dataclass
class Selection:
    answers: list[Answer]
    rules_version: str = ""
    error: str = ""


def _keep(result: ResultOut) -> bool:
    return result.applicant == COMPANY and result.measure not in REGISTRY_MEASURES


def _answer(result: ResultOut, hints: dict[str, Hint], labels: dict[str, str]) -> Answer:
    lines = []
    for c in result.conditions:
        if c.status == "passed":
            continue
        hint = hints.get(c.code) if c.status == "unknown" else None
        names = [labels[n] for n in hint.fields] if hint else []
        lines.append(Line(c.label, c.reference, c.status, hint, names))
    if AMOUNT in hints and result.eligible is not False:
        hint = hints[AMOUNT]
        lines.append(Line("Размер поддержки", "", "unknown", hint, [labels[n] for n in hint.fields]))
    unverified = [p.name for p in result.parameters if p.value is None and p.confidence]
    return Answer(MEASURE_TITLES.get(result.measure, result.measure), result, lines, unverified)


def select(form: SelectionForm) -> Selection:
    """The navigator's answer for the form's company, with hints for every unknown."""
    values = form.cleaned_data
    build = InputBuilder(values)
    try:
        base = evaluate(EvalInput.model_validate(build(values)))
        hints = answering_fields(values, build, probes(values), keep=_keep, base=base)
    except (ContractError, ValidationError) as exc:
        return Selection([], error=f"Расчёт по правилам невозможен: {exc}")
    labels = {name: str(form.fields[name].label) for name in form.fields}
    answers = [_answer(r, hints.get(result_key(r), {}), labels) for r in base.results if _keep(r)]
    return Selection(answers, base.rules_version)
