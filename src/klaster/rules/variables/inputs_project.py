"""Inputs of joint projects, participations, start-batch purchases and ПП № 41 applications."""

from klaster.rules.common import Enum
from klaster.rules.entities import Application, Participation, Project, Purchase
from klaster.rules.inputs import check_input, enum_input, index_input, number_input


class ProjectStage(Enum):
    unknown = "неизвестно"
    rnd = "НИОКР"
    pilot = "опытная (стартовая) партия"
    serial = "серийное производство"


class ProjectRole(Enum):
    unknown = "неизвестно"
    lead = "головной исполнитель"
    co_executor = "соисполнитель"
    buyer = "покупатель"


COST_TYPES = ("rnd", "equipment", "tooling", "certification", "other")

project_site_idx = index_input("project_site_idx", Project, "Площадка (кластер) проекта")
project_import_substitution = check_input("project_import_substitution", Project, "Проект импортозамещения")
project_stage = enum_input("project_stage", Project, ProjectStage, "Стадия проекта")
project_lead_idx = index_input("project_lead_idx", Project, "Головной исполнитель (номер строки организации)")
project_application_idx = index_input(
    "project_application_idx", Project, "Заявка головного исполнителя на год расчёта (режим совместных проектов)"
)
project_costs_rnd_rub = number_input("project_costs_rnd_rub", Project, "Затраты проекта: НИОКР", "currency-RUB")
project_costs_equipment_rub = number_input(
    "project_costs_equipment_rub", Project, "Затраты проекта: оборудование", "currency-RUB"
)
project_costs_tooling_rub = number_input(
    "project_costs_tooling_rub", Project, "Затраты проекта: оснастка", "currency-RUB"
)
project_costs_certification_rub = number_input(
    "project_costs_certification_rub", Project, "Затраты проекта: сертификация", "currency-RUB"
)
project_costs_other_rub = number_input("project_costs_other_rub", Project, "Затраты проекта: прочие", "currency-RUB")

participation_project_idx = index_input("participation_project_idx", Participation, "Проект")
participation_firm_idx = index_input("participation_firm_idx", Participation, "Организация")
participation_role = enum_input("participation_role", Participation, ProjectRole, "Роль в проекте")

purchase_project_idx = index_input("purchase_project_idx", Purchase, "Проект")
purchase_buyer_idx = index_input("purchase_buyer_idx", Purchase, "Покупатель (заявитель)")
purchase_supplier_idx = index_input("purchase_supplier_idx", Purchase, "Поставщик")
purchase_application_idx = index_input("purchase_application_idx", Purchase, "Заявка: покупатель и год закупки")
purchase_amount_rub = number_input("purchase_amount_rub", Purchase, "Стоимость стартовой партии", "currency-RUB")
purchase_date = number_input("purchase_date", Purchase, "Дата закупки (дни от 01.01.1970)")
purchase_documented = check_input("purchase_documented", Purchase, "Затраты подтверждены документами")

application_firm_idx = index_input("application_firm_idx", Application, "Заявитель")
application_year = number_input("application_year", Application, "Год отбора (год затрат)")
