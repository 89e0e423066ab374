"""Inputs of concessional loans (industrial mortgage, cluster investment platform)."""

from klaster.rules.common import Enum
from klaster.rules.entities import Loan
from klaster.rules.inputs import check_input, enum_input, index_input, number_input


class LoanProgramme(Enum):
    unknown = "неизвестно"
    industrial_mortgage = "промышленная ипотека"
    cluster_investment_platform = "кластерная инвестиционная платформа"


class LoanPurpose(Enum):
    unknown = "неизвестно"
    purchase = "приобретение"
    construction = "строительство"
    modernisation = "модернизация"
    reconstruction = "реконструкция"


loan_firm_idx = index_input("loan_firm_idx", Loan, "Заёмщик")
loan_programme = enum_input("loan_programme", Loan, LoanProgramme, "Программа")
loan_amount_rub = number_input("loan_amount_rub", Loan, "Сумма кредита", "currency-RUB")
loan_term_years = number_input("loan_term_years", Loan, "Срок кредита, лет", "year")
loan_signed_on = number_input("loan_signed_on", Loan, "Дата договора (дни от 01.01.1970)")
loan_purpose = enum_input("loan_purpose", Loan, LoanPurpose, "Цель кредита")
loan_property_area_m2 = number_input("loan_property_area_m2", Loan, "Площадь объекта, м²", "m2")
loan_property_cost_rub = number_input("loan_property_cost_rub", Loan, "Стоимость объекта", "currency-RUB")
loan_property_region = number_input("loan_property_region", Loan, "Регион объекта (код субъекта)")
loan_project_cost_rub = number_input("loan_project_cost_rub", Loan, "Стоимость проекта", "currency-RUB")
loan_priority_product = check_input("loan_priority_product", Loan, "Продукция из перечня приоритетной")
loan_lender_authorised = check_input("loan_lender_authorised", Loan, "Кредитор — уполномоченный банк")
loan_investment_phase_years = number_input("loan_investment_phase_years", Loan, "Инвестиционная фаза, лет", "year")
