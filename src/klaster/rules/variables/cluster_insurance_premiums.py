"""Reduced insurance premiums for cluster participants that are SPIC parties (64-ФЗ, НК РФ ст. 427).

Eligibility is judged on the date of assessment; the saving is computed per calendar year from that
year's rates and base limit. Payroll is known only as a yearly total: it is split per employee by
headcount and taken as paid evenly through the year (both stated as assumptions in the answer)."""

import numpy
from openfisca_core.periods import DAY, YEAR
from openfisca_core.variables import Variable

from klaster.rules.common import (
    FAILED,
    PASSED,
    UNKNOWN,
    Check,
    Enum,
    all_of,
    checks,
    day_number,
    from_bool,
    gate,
    nan_if_none,
    node,
)
from klaster.rules.entities import Firm
from klaster.rules.schedule import add_years, overlap, year_bounds
from klaster.rules.variables.inputs_firm import SpicVersion

LAW = "Федеральный закон от 18.03.2023 № 64-ФЗ; НК РФ, ст. 427 (подпункт не установлен)"
P = "cluster_insurance_premiums"
VERSION_NAMES = {SpicVersion.v1.index: "1.0", SpicVersion.v2.index: "2.0"}


class _FirmCheck(Variable):
    value_type = Enum
    possible_values = Check
    default_value = Check.unknown
    entity = Firm
    definition_period = DAY


class cluster_insurance_premiums_participant(_FirmCheck):
    label = "Организация — участник промышленного кластера, включённого в реестр"
    reference = [LAW]

    def formula(firm, period, parameters):
        return firm("firm_in_confirmed_cluster", period)


class cluster_insurance_premiums_spic_party(_FirmCheck):
    label = "Организация — сторона действующего СПИК допустимой версии (сейчас только СПИК 1.0)"
    reference = [LAW]

    def formula(firm, period, parameters):
        p = node(parameters, period, P)
        if p.requires_spic is False:
            return checks(numpy.full(firm.count, PASSED, dtype=numpy.int16))
        version = numpy.asarray(firm("firm_spic_version", period))
        allowed = [code for code, name in VERSION_NAMES.items() if name in (p.eligible_spic_versions or [])]
        version_ok = numpy.select(
            [version == SpicVersion.unknown.index, numpy.isin(version, allowed)], [UNKNOWN, PASSED], FAILED
        )
        out = all_of(version_ok, firm("firm_spic_in_force", period))
        if p.requires_spic is None:
            return checks(numpy.full(firm.count, UNKNOWN, dtype=numpy.int16))
        return out


def reduced_window(firm, period, parameters) -> tuple[numpy.ndarray, numpy.ndarray]:
    """[start, end) of the reduced rate: from its start (by default the SPIC's), for at most
    `max_years`, and not beyond the SPIC when one is required."""
    p = node(parameters, period, P)
    start = firm("firm_premium_reduced_since", period)
    end = add_years(start, nan_if_none(p.max_years))
    if p.requires_spic is not False:
        until = firm("firm_spic_until", period)
        end = numpy.where(numpy.isnan(until), end, numpy.minimum(end, until))
    return start, end


class cluster_insurance_premiums_within_term(_FirmCheck):
    label = "Дата в пределах 7 лет применения пониженного тарифа и срока СПИК"
    reference = [LAW]

    def formula(firm, period, parameters):
        day = day_number(period.start)
        start, end = reduced_window(firm, period, parameters)
        return from_bool((start <= day) & (day < end), ~(numpy.isnan(start) | numpy.isnan(end)))


CONDITIONS = ("participant", "spic_party", "within_term")


class cluster_insurance_premiums_eligible(_FirmCheck):
    label = "Право на пониженные тарифы страховых взносов участника кластера"
    reference = [LAW]

    def formula(firm, period, parameters):
        return all_of(*(firm(f"{P}_{name}", period) for name in CONDITIONS))


class cluster_insurance_premiums_saving_in_year(Variable):
    value_type = float
    entity = Firm
    definition_period = YEAR
    unit = "currency-RUB"
    label = "Экономия на взносах за календарный год против общих тарифов (если право есть)"
    reference = [LAW, "НК РФ, ст. 425, п. 3"]

    def formula(firm, period, parameters):
        """Per employee w = payroll / headcount paid evenly; the base limit L is reached at t = L / w
        of the year. Within the reduced window [a, b): saving = Δ_within × w × |[a,b) ∩ [0,t)| +
        Δ_above × w × |[a,b) ∩ [t,1)|, times headcount. Unknown rates or limits give NaN."""
        general = node(parameters, period, "general.insurance_premiums")
        reduced = node(parameters, period, P)
        d_within = nan_if_none(general.rate_within_base) - nan_if_none(reduced.rate_within_base)
        d_above = nan_if_none(general.rate_above_base) - nan_if_none(reduced.rate_above_base)
        limit = nan_if_none(general.base_limit)
        payroll = firm("firm_payroll_rub", period)
        headcount = firm("firm_headcount", period)
        y0, y1 = year_bounds(period.start.year)
        start, end = reduced_window(firm, period.first_day, parameters)
        length = y1 - y0
        a = numpy.clip((start - y0) / length, 0.0, 1.0)
        b = numpy.clip((end - y0) / length, 0.0, 1.0)
        with numpy.errstate(invalid="ignore", divide="ignore"):
            per_employee = payroll / headcount
            t = numpy.clip(limit / per_employee, 0.0, 1.0)
        t = numpy.where(per_employee == 0, 1.0, t)
        within = overlap(a, b, 0.0, t)
        above = overlap(a, b, t, 1.0)
        saving = headcount * per_employee * (d_within * within + d_above * above)
        return numpy.where(payroll == 0, 0.0, saving)


class cluster_insurance_premiums_amount(Variable):
    value_type = float
    entity = Firm
    definition_period = DAY
    unit = "currency-RUB"
    label = "Экономия на страховых взносах за год даты расчёта, ₽"
    reference = [LAW]

    def formula(firm, period, parameters):
        saving = firm("cluster_insurance_premiums_saving_in_year", period.this_year)
        return gate(firm("cluster_insurance_premiums_eligible", period), saving)
