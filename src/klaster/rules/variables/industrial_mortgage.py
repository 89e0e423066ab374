"""Industrial mortgage (ПП № 1570): conditions on the loan, its rate and the interest saved.
Every parameter is read on the signing date: a signed contract keeps its terms."""

import numpy

from klaster.rules.common import (
    FAILED,
    PASSED,
    UNKNOWN,
    all_of,
    at_dates,
    at_most,
    checks,
    codes,
    from_bool,
    gate,
    isin_dated,
    key_rate_at,
)
from klaster.rules.loans import calendar_flow, saving_matrix, total_saving
from klaster.rules.variables.inputs_firm import FirmSize
from klaster.rules.variables.inputs_loan import LoanPurpose
from klaster.rules.variables.loan_common import LoanAmount, LoanCheck, LoanYearFlow, borrower, borrower_check, signed

DECREE = "ПП РФ от 06.09.2022 № 1570"
APRIL_2024 = f"{DECREE} в ред. апреля 2024 г. (номер изменяющего акта и пункт не установлены)"
APRIL_2023 = f"{DECREE} в ред. апреля 2023 г. (номер изменяющего акта и пункт не установлены)"
P = "industrial_mortgage"
BUILDING = (LoanPurpose.construction.index, LoanPurpose.modernisation.index, LoanPurpose.reconstruction.index)


def _flag(loan, name, period, before=0.0):
    return at_dates(loan, f"{P}.{name}", signed(loan, period), before=before)


class industrial_mortgage_in_force(LoanCheck):
    label = "Договор заключён, когда программа промышленной ипотеки действовала"
    reference = [DECREE]

    def formula(loan, period, parameters):
        flag = _flag(loan, "in_force", period)
        return from_bool(flag == 1, ~numpy.isnan(flag))


class industrial_mortgage_manufacturing(LoanCheck):
    label = "Заёмщик работает в обрабатывающей промышленности (ОКВЭД2, раздел C)"
    reference = [f"{DECREE}, пункт не установлен"]

    def formula(loan, period, parameters):
        return borrower_check(loan, "firm_okved_manufacturing", period)


class industrial_mortgage_sector_not_excluded(LoanCheck):
    label = "Заёмщик не производит пищевые продукты и напитки (ОКВЭД2 10, 11)"
    reference = [APRIL_2024]

    def formula(loan, period, parameters):
        okved = borrower(loan, "firm_okved_class", period)
        excluded = isin_dated(loan, f"{P}.excluded_okved_classes", signed(loan, period), okved)
        return from_bool(~excluded, ~numpy.isnan(okved))


class industrial_mortgage_revenue(LoanCheck):
    label = "Выручка заёмщика не больше 2 млрд ₽ (малой технологической компании — 4 млрд ₽)"
    reference = [APRIL_2024]

    def formula(loan, period, parameters):
        """Between the two limits the answer depends on whether the borrower is a small
        technological company; each unknown fact leaves it unknown."""
        day = signed(loan, period)
        applies = _flag(loan, "revenue_limit_applies", period)
        revenue = borrower(loan, "firm_revenue_rub", period)
        low = at_dates(loan, f"{P}.revenue_max.other", day)
        high = at_dates(loan, f"{P}.revenue_max.small_technological", day)
        size = borrower(loan, "firm_size", period, FirmSize.unknown.index)
        small = from_bool(numpy.isin(size, [FirmSize.micro.index, FirmSize.small.index]), size != 0)
        mtk = codes(all_of(borrower_check(loan, "firm_technological_company", period), small))
        with numpy.errstate(invalid="ignore"):
            out = numpy.select(
                [numpy.isnan(revenue), revenue <= low, revenue > high],
                [UNKNOWN, PASSED, FAILED],
                mtk,
            )
        out = numpy.where(applies == 0, PASSED, numpy.where(numpy.isnan(applies), UNKNOWN, out))
        return checks(out)


class industrial_mortgage_amount_max(LoanCheck):
    label = "Сумма кредита не больше 500 млн ₽"
    reference = [f"{DECREE}, пункт не установлен"]

    def formula(loan, period, parameters):
        return at_most(loan("loan_amount_rub", period), at_dates(loan, f"{P}.loan_max", signed(loan, period)))


class industrial_mortgage_term_max(LoanCheck):
    label = "Срок кредита не больше 7 лет"
    reference = [f"{DECREE}, пункт не установлен"]

    def formula(loan, period, parameters):
        return at_most(loan("loan_term_years", period), at_dates(loan, f"{P}.term_max_years", signed(loan, period)))


class industrial_mortgage_purpose(LoanCheck):
    label = (
        "Цель кредита допустима на дату договора (приобретение; с апреля 2023 г. также строительство, "
        "модернизация, реконструкция)"
    )
    reference = [DECREE, APRIL_2023]

    def formula(loan, period, parameters):
        purpose = numpy.asarray(loan("loan_purpose", period))
        allowed = numpy.full(loan.count, numpy.nan)
        for member in LoanPurpose:
            if member is LoanPurpose.unknown:
                continue
            rows = purpose == member.index
            if rows.any():
                allowed[rows] = _flag(loan, f"purposes.{member.name}", period)[rows]
        return from_bool(allowed == 1, ~numpy.isnan(allowed))


class industrial_mortgage_cost_norm(LoanCheck):
    label = "Стоимость 1 м² объекта в пределах норматива (90 000 ₽ — стройка; 75 000 / 50 000 ₽ — покупка)"
    reference = [APRIL_2023]

    def formula(loan, period, parameters):
        day = signed(loan, period)
        applies = _flag(loan, "cost_norm.applies", period)
        purpose = numpy.asarray(loan("loan_purpose", period))
        region = loan("loan_property_region", period)
        capital = isin_dated(loan, f"{P}.cost_norm.capital_regions", day, _region_codes(region))
        norm = numpy.where(
            numpy.isin(purpose, BUILDING),
            at_dates(loan, f"{P}.cost_norm.build", day),
            numpy.where(
                capital,
                at_dates(loan, f"{P}.cost_norm.buy_capital", day),
                at_dates(loan, f"{P}.cost_norm.buy_other", day),
            ),
        )
        purchase_unknown_region = (purpose == LoanPurpose.purchase.index) & numpy.isnan(region)
        norm = numpy.where((purpose == LoanPurpose.unknown.index) | purchase_unknown_region, numpy.nan, norm)
        with numpy.errstate(invalid="ignore", divide="ignore"):
            per_m2 = loan("loan_property_cost_rub", period) / loan("loan_property_area_m2", period)
        out = codes(at_most(per_m2, norm))
        out = numpy.where(applies == 0, PASSED, numpy.where(numpy.isnan(applies), UNKNOWN, out))
        return checks(out)


def _region_codes(region) -> numpy.ndarray:
    """Region codes as the two-digit strings the parameter lists ("77"); unknown → ""."""
    region = numpy.asarray(region, dtype=numpy.float64)
    known = ~numpy.isnan(region) & (region >= 0) & (region < len(_CODES))
    out = numpy.full(len(region), "", dtype=object)
    out[known] = _CODES[region[known].astype(numpy.int64)]
    return out


_CODES = numpy.array([f"{r:02d}" for r in range(100)], dtype=object)


class industrial_mortgage_lender_authorised(LoanCheck):
    label = "Кредит выдан уполномоченным банком"
    reference = [f"{DECREE}, пункт не установлен"]

    def formula(loan, period, parameters):
        return loan("loan_lender_authorised", period)


CONDITIONS = (
    "in_force",
    "manufacturing",
    "sector_not_excluded",
    "revenue",
    "amount_max",
    "term_max",
    "purpose",
    "cost_norm",
    "lender_authorised",
)


class industrial_mortgage_eligible(LoanCheck):
    label = "Право на льготный кредит по программе промышленной ипотеки"
    reference = [DECREE]

    def formula(loan, period, parameters):
        return all_of(*(loan(f"{P}_{name}", period) for name in CONDITIONS))


class industrial_mortgage_rate(LoanAmount):
    unit = "/1"
    label = "Льготная ставка заёмщика (фиксируется на дату договора)"
    reference = [DECREE, APRIL_2024]

    def formula(loan, period, parameters):
        """3 % for technological companies, 5 % otherwise; from April 2024 plus max(0, key - 10 pp)."""
        day = signed(loan, period)
        tech = codes(borrower_check(loan, "firm_technological_company", period))
        base = numpy.select(
            [tech == PASSED, tech == FAILED],
            [at_dates(loan, f"{P}.rate_base.technological", day), at_dates(loan, f"{P}.rate_base.other", day)],
            numpy.nan,
        )
        floating = _flag(loan, "floating.applies", period)
        threshold = at_dates(loan, f"{P}.floating.key_rate_threshold", day)
        extra = numpy.where(floating == 1, numpy.maximum(0.0, key_rate_at(loan, day) - threshold), 0.0)
        return base + numpy.where(numpy.isnan(floating), numpy.nan, extra)


def _savings(loan, period):
    rate = loan("industrial_mortgage_rate", period)
    return saving_matrix(loan, period, lambda starts: numpy.repeat(rate, len(starts) // max(len(rate), 1)))


class industrial_mortgage_interest_saved(LoanAmount):
    label = "Экономия на процентах за весь срок против рыночной ставки (если право есть)"
    reference = [DECREE, "рыночная ставка — ключевая ставка + надбавка (допущение)"]

    def formula(loan, period, parameters):
        saving, _, _ = _savings(loan, period)
        return total_saving(saving)


class industrial_mortgage_amount(LoanAmount):
    label = "Выгода заёмщика по промышленной ипотеке, ₽"
    reference = [DECREE]

    def formula(loan, period, parameters):
        return gate(loan("industrial_mortgage_eligible", period), loan("industrial_mortgage_interest_saved", period))


class industrial_mortgage_interest_saved_in_year(LoanYearFlow):
    label = "Экономия на процентах в календарном году (если право есть)"
    reference = [DECREE]

    def formula(loan, period, parameters):
        """The rate is fixed at signing and the loan years are dated: the year asked only picks
        which days count."""
        saving, starts, ends = _savings(loan, period.first_day)
        return calendar_flow(saving, starts, ends, period.start.year)
