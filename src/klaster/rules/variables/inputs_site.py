"""Inputs of sites and of memberships (a firm in a site, with its role and dates)."""

from klaster.rules.common import Enum
from klaster.rules.entities import Membership, Site
from klaster.rules.inputs import check_input as _check
from klaster.rules.inputs import enum_input as _enum
from klaster.rules.inputs import index_input as _index
from klaster.rules.inputs import number_input as _number


class SiteKind(Enum):
    unknown = "неизвестно"
    industrial_cluster = "промышленный кластер"
    industrial_park = "индустриальный парк"
    industrial_technopark = "промышленный технопарк"
    hightech_technopark = "технопарк в сфере высоких технологий"
    sez = "особая экономическая зона"


class RegistryStatus(Enum):
    unknown = "неизвестно"
    announced = "объявлен"
    being_created = "создаётся"
    applied = "подана заявка в реестр"
    entered = "включён в реестр"
    reconfirmed = "соответствие подтверждено повторно"
    excluded = "исключён из реестра"


class Ownership(Enum):
    unknown = "неизвестно"
    state = "государственная"
    private = "частная"
    public_private = "государственно-частная"


class MembershipRole(Enum):
    unknown = "неизвестно"
    anchor = "якорный участник"
    participant = "участник"
    resident = "резидент"
    specialised_organisation = "специализированная организация"
    management_company = "управляющая компания"
    partner = "партнёр"


site_kind = _enum("site_kind", Site, SiteKind, "Вид площадки")
site_registry_status = _enum("site_registry_status", Site, RegistryStatus, "Статус в реестре Минпромторга на дату")
site_registry_since = _number("site_registry_since", Site, "Статус в реестре с (дни от 01.01.1970)")
site_confirmed_pp779 = _check("site_confirmed_pp779", Site, "Соответствие кластера требованиям ПП № 779 подтверждено")
site_functional_dependence_share = _number(
    "site_functional_dependence_share", Site, "Общий уровень функциональной зависимости", "/1"
)
site_special_territory_share = _number(
    "site_special_territory_share",
    Site,
    "Доля участников в регионах ИПСЭР, геостратегических территориях, моногородах",
    "/1",
)
site_ownership = _enum("site_ownership", Site, Ownership, "Форма собственности управляющей компании")
site_area_ha = _number("site_area_ha", Site, "Площадь территории, га", "ha")
site_building_area_m2 = _number("site_building_area_m2", Site, "Площадь производственных зданий, м²", "m2")
site_infrastructure_costs_rub = _number(
    "site_infrastructure_costs_rub", Site, "Затраты на инфраструктуру", "currency-RUB"
)
site_project_start = _number("site_project_start", Site, "Начало проекта создания (дни от 01.01.1970)")
site_p1119_claim_date = _number("site_p1119_claim_date", Site, "Дата заявки на возмещение по ПП № 1119 (дни)")
site_residents_federal_taxes_rub = _number(
    "site_residents_federal_taxes_rub", Site, "Федеральные налоги, уплаченные резидентами", "currency-RUB"
)
site_electronics_companies = _number("site_electronics_companies", Site, "Число компаний электронной промышленности")
site_electronics_priority_region = _check(
    "site_electronics_priority_region", Site, "Электронная промышленность — приоритетная отрасль региона"
)

membership_firm_idx = _index("membership_firm_idx", Membership, "Организация (номер строки)")
membership_site_idx = _index("membership_site_idx", Membership, "Площадка (номер строки)")
membership_role = _enum("membership_role", Membership, MembershipRole, "Роль в площадке")
membership_since = _number("membership_since", Membership, "Участник с (дни от 01.01.1970)")
membership_until = _number("membership_until", Membership, "Участник по (дни от 01.01.1970)")
membership_producing = _check(
    "membership_producing", Membership, "Выпускает продукцию (участвует в производстве кластера)"
)
membership_has_contract = _check("membership_has_contract", Membership, "Есть договор с другим участником кластера")
