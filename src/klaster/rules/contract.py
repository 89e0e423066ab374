"""The JSON contract of `klaster eval` and `POST /api/v1/eval` (docs/eval.md): pydantic schemas and
`evaluate()`. Field names are stable. A missing optional field means "unknown", never 0 or false.

Build an input from Python objects with `EvalInput.model_validate(dict)` or the models themselves
(`EvalInput(date=..., firms=[FirmIn(id="f1", ...)])`); then `evaluate(inp, scenario=None)`."""

from datetime import date as Date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from klaster.rules.regions import region_code

MEASURES = (
    "pp41_start_batch_subsidy",
    "industrial_mortgage",
    "cluster_investment_platform",
    "cluster_insurance_premiums",
    "p1119_infrastructure_reimbursement",
    "electronics_technopark_subsidy",
    "equipment_tooling_subsidy",
    "cluster_registry_requirements",
    "park_registry_requirements",
)
Region = Annotated[str, AfterValidator(region_code)]
MeasureId = Literal[MEASURES]  # type: ignore[valid-type]
Money = Annotated[float, Field(ge=0)]
Share = Annotated[float, Field(ge=0, le=1)]
# A number means the year of `date`; an object gives values by year: {"2025": 1.0e8, "2026": 1.1e8}.
Yearly = float | dict[Annotated[str, Field(pattern=r"^\d{4}$")], Annotated[float, Field(ge=0)]]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SpicIn(_Strict):
    version: Literal["none", "1.0", "2.0"]
    since: Date | None = None
    until: Date | None = None


class MembershipIn(_Strict):
    site: str
    role: (
        Literal["anchor", "participant", "resident", "specialised_organisation", "management_company", "partner"] | None
    ) = None
    since: Date | None = None
    until: Date | None = None
    producing: bool | None = None
    has_contract_with_participant: bool | None = None


class FirmIn(_Strict):
    id: str
    inn: str | None = None
    name: str | None = None
    region: Region | None = None
    okved: Annotated[str, Field(pattern=r"^\d{2}(\.\d{1,2}){0,3}$")] | None = None
    size: Literal["micro", "small", "medium", "large"] | None = None
    technological_company: bool | None = None
    headcount: Yearly | None = None
    revenue_rub: Money | None = None
    payroll_rub: Yearly | None = None
    industrial_producer: bool | None = None
    spic: SpicIn | None = None
    premium_reduced_since: Date | None = Field(None, description="Начало пониженного тарифа; по умолчанию spic.since")
    memberships: list[MembershipIn] = []


class RegistryIn(_Strict):
    status: Literal["announced", "being_created", "applied", "entered", "reconfirmed", "excluded"] | None = None
    since: Date | None = None
    confirmed_pp779: bool | None = None


class SiteIn(_Strict):
    id: str
    name: str | None = None
    kind: Literal["industrial_cluster", "industrial_park", "industrial_technopark", "hightech_technopark", "sez"]
    regions: list[Region] = []
    registry: RegistryIn | None = None
    functional_dependence_share: Share | None = None
    special_territory_participant_share: Share | None = None
    management_company_ownership: Literal["state", "private", "public_private"] | None = None
    area_ha: Money | None = None
    building_area_m2: Money | None = None
    infrastructure_costs_rub: Money | None = None
    project_start: Date | None = None
    p1119_claim_date: Date | None = None
    residents_federal_taxes_rub: Money | None = None
    electronics_companies: Annotated[int, Field(ge=0)] | None = None
    electronics_priority_region: bool | None = None


class ParticipantIn(_Strict):
    firm: str
    role: Literal["lead", "co_executor", "buyer"] | None = None


class PurchaseIn(_Strict):
    buyer: str
    supplier: str
    amount_rub: Money
    date: Date
    documented: bool | None = Field(None, description="Нет поля — считается подтверждённой (допущение)")


class ProjectIn(_Strict):
    id: str
    site: str | None = None
    title: str | None = None
    import_substitution: bool | None = None
    stage: Literal["rnd", "pilot", "serial"] | None = None
    participants: list[ParticipantIn] = []
    start_batch_purchases: list[PurchaseIn] = []
    costs_rub: dict[Literal["rnd", "equipment", "tooling", "certification", "other"], Money] | None = None


class LoanIn(_Strict):
    id: str
    firm: str
    programme: Literal["industrial_mortgage", "cluster_investment_platform"]
    amount_rub: Annotated[float, Field(gt=0)]
    term_years: Annotated[float, Field(gt=0)] | None = None
    signed_on: Date | None = Field(None, description="Нет поля — принимается дата расчёта (допущение)")
    purpose: Literal["purchase", "construction", "modernisation", "reconstruction"] | None = None
    property_area_m2: Annotated[float, Field(gt=0)] | None = None
    property_cost_rub: Money | None = None
    property_region: Region | None = None
    project_cost_rub: Money | None = None
    priority_product: bool | None = None
    lender_authorised: bool | None = None
    investment_phase_years: Annotated[float, Field(ge=0)] | None = None


class EvalInput(_Strict):
    """Firms, sites, joint projects and loans on a date; ids join them."""

    date: Date
    firms: list[FirmIn] = []
    sites: list[SiteIn] = []
    projects: list[ProjectIn] = []
    loans: list[LoanIn] = []
    measures: list[MeasureId] | None = Field(None, description="Какие меры считать; по умолчанию все")


class ConditionOut(BaseModel):
    code: str
    status: Literal["passed", "failed", "unknown"]
    label: str
    reference: str


class ParameterOut(BaseModel):
    name: str
    value: Any
    confidence: str | None = None
    reference: str | None = None
    source: str | None = None
    since: str | None = None


class ResultOut(BaseModel):
    entity: Literal["firm", "loan", "site"]
    id: str
    applicant: str | None
    measure: str
    period: str
    eligible: bool | None
    amount_rub: float | None
    by_year: dict[str, float | None] = {}
    conditions: list[ConditionOut]
    parameters: list[ParameterOut]
    assumptions: list[str] = []
    details: dict[str, Any] = {}


class TotalOut(BaseModel):
    results: int
    eligible: int
    ineligible: int
    unknown: int
    amount_rub: float
    amount_unknown: int = Field(description="Сколько результатов с неизвестной суммой (не вошли в amount_rub)")


class EvalOutput(BaseModel):
    date: Date
    scenario: str | None = None
    rules_version: str
    results: list[ResultOut]
    totals: dict[str, TotalOut]


class ContractError(ValueError):
    """Input that passes the schema but not the joins (dangling ids, duplicates), or an unknown
    scenario. `errors` uses the API's shape: [{"loc": [...], "type": ..., "msg": ...}]."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(e["msg"] for e in errors))
        self.errors = errors


def evaluate(inp: EvalInput, *, scenario: str | None = None, on: Date | None = None) -> EvalOutput:
    """Every requested measure for every entity of `inp`, on `on` (default `inp.date`), under the
    baseline or a scenario (a built-in name or a YAML path). Raises ContractError."""
    from klaster.rules.explain import run

    if on is not None:
        inp = inp.model_copy(update={"date": on})
    return run(inp, scenario)
