"""Cluster investment platform, КИП (ПП № 295): conditions, floating rate, interest saved over the
concessional period (investment phase + 2 years). Parameters are read on the signing date; the key
rate on the first day of each loan year."""

import numpy

from klaster.rules.common import (
    PASSED,
    all_of,
    any_of,
    at_dates,
    at_least,
    at_most,
    checks,
    codes,
    gate,
    key_rate_at,
    per_day,
)
from klaster.rules.loans import calendar_flow, saving_matrix, total_saving
from klaster.rules.variables.loan_common import LoanAmount, LoanCheck, LoanYearFlow, borrower_check, signed

DECREE = "ПП РФ от 22.02.2023 № 295"
CLAUSE = f"{DECREE}, Правила, пункт не установлен"
P = "cluster_investment_platform"


def _at(loan, name, period, before=float("nan")):
    return at_dates(loan, f"{P}.{name}", signed(loan, period), before=before)


class cluster_investment_platform_in_force(LoanCheck):
    label = "Договор заключён, когда механизм КИП действовал"
    reference = [DECREE]

    def formula(loan, period, parameters):
        flag = _at(loan, "in_force", period, before=0.0)
        return checks(numpy.where(numpy.isnan(flag), 0, numpy.where(flag == 1, 1, 2)))


class cluster_investment_platform_industrial_borrower(LoanCheck):
    label = "Заёмщик — российская промышленная организация"
    reference = [f"{DECREE} (наименование акта)"]

    def formula(loan, period, parameters):
        return any_of(
            borrower_check(loan, "firm_industrial_producer", period),
            borrower_check(loan, "firm_okved_manufacturing", period),
        )


class cluster_investment_platform_min_loan(LoanCheck):
    label = "Сумма кредита не меньше минимальной (2 млрд ₽; по другому источнику — 1 млрд ₽)"
    reference = [CLAUSE]

    def formula(loan, period, parameters):
        return at_least(loan("loan_amount_rub", period), _at(loan, "min_loan", period))


class cluster_investment_platform_max_loan(LoanCheck):
    label = "Сумма кредита не больше 100 млрд ₽"
    reference = [CLAUSE]

    def formula(loan, period, parameters):
        return at_most(loan("loan_amount_rub", period), _at(loan, "max_loan", period))


class cluster_investment_platform_project_share(LoanCheck):
    label = "Кредит не больше 80 % стоимости проекта"
    reference = [CLAUSE]

    def formula(loan, period, parameters):
        limit = _at(loan, "loan_share_of_project_max", period) * loan("loan_project_cost_rub", period)
        return at_most(loan("loan_amount_rub", period), limit)


class cluster_investment_platform_priority_product(LoanCheck):
    label = "Проект выпускает продукцию из перечня приоритетной"
    reference = [CLAUSE]

    def formula(loan, period, parameters):
        return loan("loan_priority_product", period)


class cluster_investment_platform_lender_authorised(LoanCheck):
    label = "Кредитор — российская кредитная организация или ВЭБ.РФ, получающая субсидию"
    reference = [f"{DECREE} (наименование Правил)"]

    def formula(loan, period, parameters):
        return loan("loan_lender_authorised", period)


class cluster_investment_platform_term_max(LoanCheck):
    label = "Срок кредита в пределах максимального (если он установлен)"
    reference = [CLAUSE]

    def formula(loan, period, parameters):
        """No term limit was found: a null limit is the labelled assumption "no limit"."""
        limit = _at(loan, "max_term_years", period)
        out = codes(at_most(loan("loan_term_years", period), limit))
        return checks(numpy.where(numpy.isnan(limit), PASSED, out))


CONDITIONS = (
    "in_force",
    "industrial_borrower",
    "min_loan",
    "max_loan",
    "project_share",
    "priority_product",
    "lender_authorised",
    "term_max",
)


class cluster_investment_platform_eligible(LoanCheck):
    label = "Право на льготный кредит по механизму КИП"
    reference = [DECREE]

    def formula(loan, period, parameters):
        return all_of(*(loan(f"{P}_{name}", period) for name in CONDITIONS))


class cluster_investment_platform_rate(LoanAmount):
    unit = "/1"
    label = "Льготная ставка в первый год (0,3 × ключевая ставка + 3 п. п.; далее меняется с ключевой)"
    reference = [CLAUSE]

    def formula(loan, period, parameters):
        day = signed(loan, period)
        return _at(loan, "rate_key_multiplier", period) * key_rate_at(loan, day) + _at(loan, "rate_add", period)


def _savings(loan, period):
    multiplier = _at(loan, "rate_key_multiplier", period)
    add = _at(loan, "rate_add", period)
    concessional = loan("loan_investment_phase_years", period) + _at(loan, "concessional_extra_years", period)

    def rate(starts):
        k = len(starts) // max(loan.count, 1)
        return numpy.repeat(multiplier, k) * per_day(starts, lambda d: key_rate_at(loan, d)) + numpy.repeat(add, k)

    return saving_matrix(loan, period, rate, concessional)


class cluster_investment_platform_interest_saved(LoanAmount):
    label = "Экономия на процентах за льготный период против рыночной ставки (если право есть)"
    reference = [CLAUSE, "рыночная ставка — ключевая ставка + надбавка (допущение)"]

    def formula(loan, period, parameters):
        saving, _, _ = _savings(loan, period)
        return total_saving(saving)


class cluster_investment_platform_amount(LoanAmount):
    label = "Выгода заёмщика по КИП, ₽"
    reference = [DECREE]

    def formula(loan, period, parameters):
        return gate(
            loan("cluster_investment_platform_eligible", period),
            loan("cluster_investment_platform_interest_saved", period),
        )


class cluster_investment_platform_interest_saved_in_year(LoanYearFlow):
    label = "Экономия на процентах в календарном году (если право есть)"
    reference = [CLAUSE]

    def formula(loan, period, parameters):
        saving, starts, ends = _savings(loan, period.first_day)
        return calendar_flow(saving, starts, ends, period.start.year)
