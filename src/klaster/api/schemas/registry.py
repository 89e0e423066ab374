"""Schemas of the registry API: <Entity>In (create), <Entity>Patch (update), <Entity>Out, <Entity>Filters."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from klaster.core.models import SourceKind
from klaster.registry.choices import (
    CostType,
    FederalDistrict,
    IndicatorKind,
    MembershipRole,
    OrganizationKind,
    Ownership,
    ProjectRole,
    ProjectStage,
    ProjectStatus,
    RegistryStatus,
    SezType,
    SiteKind,
    SizeCategory,
    SpicVersion,
)

Money = Decimal
SourceKindIn = Literal[tuple(SourceKind.values)]  # type: ignore[valid-type]


class StrictIn(Schema):
    """Inputs reject unknown fields: a typo must not be silently dropped."""

    model_config = ConfigDict(extra="forbid")


class RegionOut(Schema):
    code: str
    iso_code: str | None
    okato: str
    name: str
    type: str
    name_with_type: str
    federal_district: str
    capital: str
    population: int | None
    population_on: date | None


class RegionRef(Schema):
    code: str
    iso_code: str | None
    name: str


class RegionFilters(Schema):
    federal_district: FederalDistrict | None = None


# ---- organisations -------------------------------------------------------------------------------


class OrganizationYearOut(Schema):
    year: int
    headcount: int | None
    revenue_rub: Money | None
    payroll_rub: Money | None


class OrganizationBase(Schema):
    inn: str | None = Field(None, description="ИНН: 10 цифр у организации, 12 у ИП; контрольное число проверяется")
    ogrn: str | None = None
    kpp: str = ""
    short_name: str = ""
    region: str | None = Field(None, description="Код субъекта («40») или ISO 3166-2 («RU-KLU»)")
    okved: str | None = Field(None, description="Основной код ОКВЭД2, например 29.32")
    size: SizeCategory | Literal[""] = ""
    technological_company: bool | None = None
    industrial_producer: bool | None = None
    spic_version: SpicVersion | Literal[""] = ""
    spic_since: date | None = None
    spic_until: date | None = None
    source_kind: SourceKindIn = SourceKind.MANUAL
    source: str = ""


class OrganizationIn(OrganizationBase, StrictIn):
    kind: OrganizationKind = OrganizationKind.COMPANY
    full_name: str = Field(..., min_length=1, max_length=500)


class OrganizationPatch(StrictIn):
    kind: OrganizationKind | None = None
    full_name: str | None = Field(None, min_length=1, max_length=500)
    inn: str | None = None
    ogrn: str | None = None
    kpp: str | None = None
    short_name: str | None = None
    region: str | None = None
    okved: str | None = None
    size: SizeCategory | Literal[""] | None = None
    technological_company: bool | None = None
    industrial_producer: bool | None = None
    spic_version: SpicVersion | Literal[""] | None = None
    spic_since: date | None = None
    spic_until: date | None = None
    source: str | None = None


class OrganizationOut(Schema):
    id: int
    kind: str
    inn: str | None
    ogrn: str | None
    kpp: str
    full_name: str
    short_name: str
    region: RegionRef | None
    okved: str | None = Field(None, alias="okved_id")
    size: str
    technological_company: bool | None
    industrial_producer: bool | None
    spic_version: str
    spic_since: date | None
    spic_until: date | None
    source_kind: str
    source: str
    created: datetime
    updated: datetime


class OrganizationDetailOut(OrganizationOut):
    years: list[OrganizationYearOut]


class OrganizationYearIn(StrictIn):
    headcount: int | None = Field(None, ge=0)
    revenue_rub: Money | None = Field(None, ge=0)
    payroll_rub: Money | None = Field(None, ge=0)


class OrganizationFilters(Schema):
    region: str | None = Field(None, description="«40» или «RU-KLU»")
    federal_district: str | None = None
    okved: str | None = Field(None, description="Начало кода ОКВЭД2: 29 или 29.3")
    size: str | None = None
    kind: str | None = None
    source: str | None = Field(None, description="real, manual, file, news, demo, synthetic")
    site: int | None = None
    q: str | None = Field(None, max_length=200, description="Название, ИНН или ОГРН")
    ordering: str | None = Field(None, description="name, inn, region, size, created, id; «-» — обратный порядок")


# ---- sites ---------------------------------------------------------------------------------------


class OrganizationRef(Schema):
    id: int
    name: str


class StatusEventOut(Schema):
    id: int
    status: str
    on: date
    registry_number: str
    decree: str
    reason: str
    source: str


class SiteBase(Schema):
    specialisation: str = ""
    specialisation_okved: list[str] = []
    manager: int | None = Field(None, description="id организации: СОПК или управляющей компании")
    host: int | None = Field(None, description="id площадки, на территории которой размещается")
    sez_type: SezType | Literal[""] = ""
    area_ha: Decimal | None = Field(None, ge=0)
    building_area_m2: Decimal | None = Field(None, ge=0)
    declared_investment_rub: Money | None = Field(None, ge=0)
    management_company_ownership: Ownership | Literal[""] = ""
    created_on: date | None = None
    functional_dependence_share: Decimal | None = Field(None, ge=0, le=1)
    special_territory_participant_share: Decimal | None = Field(None, ge=0, le=1)
    infrastructure_costs_rub: Money | None = Field(None, ge=0)
    project_start: date | None = None
    p1119_claim_date: date | None = None
    residents_federal_taxes_rub: Money | None = Field(None, ge=0)
    electronics_companies: int | None = Field(None, ge=0)
    electronics_priority_region: bool | None = None
    source_kind: SourceKindIn = SourceKind.MANUAL
    source: str = ""


class SiteIn(SiteBase, StrictIn):
    kind: SiteKind
    name: str = Field(..., min_length=1, max_length=300)
    regions: list[str] = Field(..., min_length=1, description="Коды субъектов или ISO 3166-2")


class SitePatch(StrictIn):
    name: str | None = Field(None, min_length=1, max_length=300)
    regions: list[str] | None = None
    specialisation: str | None = None
    specialisation_okved: list[str] | None = None
    manager: int | None = None
    host: int | None = None
    sez_type: SezType | Literal[""] | None = None
    area_ha: Decimal | None = Field(None, ge=0)
    building_area_m2: Decimal | None = Field(None, ge=0)
    declared_investment_rub: Money | None = Field(None, ge=0)
    management_company_ownership: Ownership | Literal[""] | None = None
    created_on: date | None = None
    functional_dependence_share: Decimal | None = Field(None, ge=0, le=1)
    special_territory_participant_share: Decimal | None = Field(None, ge=0, le=1)
    infrastructure_costs_rub: Money | None = Field(None, ge=0)
    project_start: date | None = None
    p1119_claim_date: date | None = None
    residents_federal_taxes_rub: Money | None = Field(None, ge=0)
    electronics_companies: int | None = Field(None, ge=0)
    electronics_priority_region: bool | None = None
    source: str | None = None


class SiteOut(Schema):
    id: int
    kind: str
    name: str
    regions: list[RegionRef]
    specialisation: str
    specialisation_okved: list[str]
    manager: OrganizationRef | None
    host: int | None = Field(None, alias="host_id")
    sez_type: str
    area_ha: Decimal | None
    building_area_m2: Decimal | None
    declared_investment_rub: Money | None
    management_company_ownership: str
    created_on: date | None
    current_status: str
    current_status_on: date | None
    registry_number: str
    source_kind: str
    source: str
    created: datetime
    updated: datetime

    @staticmethod
    def resolve_specialisation_okved(obj) -> list[str]:
        return [o.code for o in obj.specialisation_okved.all()]

    @staticmethod
    def resolve_regions(obj) -> list[dict]:
        return [{"code": r.code, "iso_code": r.iso_code, "name": r.name} for r in obj.regions.all()]


class SiteDetailOut(SiteOut):
    functional_dependence_share: Decimal | None
    special_territory_participant_share: Decimal | None
    infrastructure_costs_rub: Money | None
    project_start: date | None
    p1119_claim_date: date | None
    residents_federal_taxes_rub: Money | None
    electronics_companies: int | None
    electronics_priority_region: bool | None
    park_card: dict = Field(
        description="Карточка ГИСИП (промышленные парки и технопарки): поля из registry/park_card.py; "
        "числа — десятичные строки, да/нет — true/false, выбор — код"
    )
    status_history: list[StatusEventOut]

    @staticmethod
    def resolve_status_history(obj) -> list:
        return list(obj.status_events.all())


class SiteStatusIn(StrictIn):
    status: RegistryStatus
    on: date
    registry_number: str = ""
    decree: str = ""
    reason: str = ""
    source: str = ""


class SiteFilters(Schema):
    region: str | None = Field(None, description="«40» или «RU-KLU»")
    federal_district: str | None = None
    kind: str | None = None
    status: str | None = None
    okved: str | None = Field(None, description="Начало кода ОКВЭД2 специализации")
    source: str | None = None
    q: str | None = Field(None, max_length=200)
    ordering: str | None = Field(None, description="name, kind, status, status_on, created, id")


# ---- memberships, projects, indicators, figures --------------------------------------------------


class MembershipIn(StrictIn):
    organization: int
    site: int
    role: MembershipRole = MembershipRole.PARTICIPANT
    producing: bool | None = None
    has_contract_with_participant: bool | None = None
    agreement_number: str = ""
    date_from: date | None = None
    date_to: date | None = None
    source: str = ""


class MembershipPatch(StrictIn):
    role: MembershipRole | None = None
    producing: bool | None = None
    has_contract_with_participant: bool | None = None
    agreement_number: str | None = None
    date_from: date | None = None
    date_to: date | None = None


class MembershipOut(Schema):
    id: int
    organization: OrganizationRef
    site: int = Field(..., alias="site_id")
    site_name: str = Field(..., alias="site.name")
    role: str
    producing: bool | None
    has_contract_with_participant: bool | None
    agreement_number: str
    date_from: date | None
    date_to: date | None
    source_kind: str


class MembershipFilters(Schema):
    site: int | None = None
    organization: int | None = None
    role: str | None = None
    active: bool | None = None


class ParticipantIn(StrictIn):
    organization: int
    role: ProjectRole


class CostIn(StrictIn):
    cost_type: CostType
    amount_rub: Money = Field(..., ge=0)
    year: int | None = Field(None, ge=1990, le=2100)


class PurchaseIn(StrictIn):
    buyer: int
    supplier: int
    amount_rub: Money = Field(..., gt=0)
    date: date
    documented: bool | None = None


class ParticipantOut(Schema):
    organization: OrganizationRef
    role: str


class CostOut(Schema):
    cost_type: str
    amount_rub: Money
    year: int | None


class PurchaseOut(Schema):
    buyer: int = Field(..., alias="buyer_id")
    supplier: int = Field(..., alias="supplier_id")
    amount_rub: Money
    date: date
    documented: bool | None


class ProjectIn(StrictIn):
    site: int
    title: str = Field(..., min_length=1, max_length=500)
    product: str = ""
    okpd: str | None = None
    import_substitution: bool | None = None
    stage: ProjectStage | Literal[""] = ""
    status: ProjectStatus = ProjectStatus.PLANNED
    start_date: date | None = None
    end_date: date | None = None
    participants: list[ParticipantIn] = []
    costs: list[CostIn] = []
    purchases: list[PurchaseIn] = []
    source_kind: SourceKindIn = SourceKind.MANUAL
    source: str = ""


class ProjectPatch(StrictIn):
    title: str | None = Field(None, min_length=1, max_length=500)
    product: str | None = None
    okpd: str | None = None
    import_substitution: bool | None = None
    stage: ProjectStage | Literal[""] | None = None
    status: ProjectStatus | None = None
    start_date: date | None = None
    end_date: date | None = None


class ProjectOut(Schema):
    id: int
    site: int = Field(..., alias="site_id")
    title: str
    product: str
    okpd: str | None = Field(None, alias="okpd_id")
    import_substitution: bool | None
    stage: str
    status: str
    start_date: date | None
    end_date: date | None
    participants: list[ParticipantOut]
    costs: list[CostOut]
    purchases: list[PurchaseOut]
    source_kind: str
    source: str

    @staticmethod
    def resolve_participants(obj) -> list:
        return list(obj.participants.all())

    @staticmethod
    def resolve_costs(obj) -> list:
        return list(obj.costs.all())

    @staticmethod
    def resolve_purchases(obj) -> list:
        return list(obj.purchases.all())


class ProjectFilters(Schema):
    site: int | None = None
    organization: int | None = None
    region: str | None = None
    source: str | None = None


class IndicatorIn(StrictIn):
    site: int
    year: int = Field(..., ge=1990, le=2100)
    kind: IndicatorKind
    value: Decimal
    source: str = ""


class IndicatorOut(Schema):
    id: int
    site: int = Field(..., alias="site_id")
    year: int
    kind: str
    value: Decimal
    source: str


class ReportedFigureIn(StrictIn):
    on: date
    metric: str = Field(..., min_length=1, max_length=64)
    what: str = Field(..., min_length=1, max_length=300)
    value: Decimal
    qualifier: Literal["", "gt", "le"] = ""
    unit: str = ""
    region: str | None = None
    site: int | None = None
    note: str = ""
    source: str = Field(..., min_length=1)


class ReportedFigureOut(Schema):
    id: int
    on: date
    metric: str
    what: str
    value: Decimal
    qualifier: str
    unit: str
    region: str | None = Field(None, alias="region_id")
    site: int | None = Field(None, alias="site_id")
    note: str
    source: str
