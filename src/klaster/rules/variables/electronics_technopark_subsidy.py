"""Subsidy for electronics-industry technoparks (act number unverified; «ПП № 1659» in the news)."""

import numpy

from klaster.rules.common import PASSED, UNKNOWN, all_of, at_least, checks, codes, from_bool, gate, nan_if_none, node
from klaster.rules.variables.inputs_site import SiteKind
from klaster.rules.variables.site_common import SiteAmount, SiteCheck
from klaster.rules.variables.status import kind_is

ACT = "Постановление Правительства РФ о субсидиях на технопарки электронной промышленности (номер не установлен)"
P = "electronics_technopark_subsidy"


class electronics_technopark_subsidy_site_kind(SiteCheck):
    label = "Площадка — промышленный технопарк"
    reference = [ACT]

    def formula(site, period, parameters):
        return kind_is(site, period, (SiteKind.industrial_technopark, SiteKind.hightech_technopark))


class electronics_technopark_subsidy_funded(SiteCheck):
    label = "На год даты расчёта предусмотрено финансирование (2023–2025 гг.)"
    reference = [ACT]

    def formula(site, period, parameters):
        funded = node(parameters, period, P).funded
        code = 2 if funded is False else (1 if funded else 0)
        if funded is None:
            starts = [
                v.instant_str
                for v in site.simulation.tax_benefit_system.parameters.children[P].children["funded"].values_list
            ]
            code = 2 if str(period.start) < min(starts) else UNKNOWN
        return checks(numpy.full(site.count, code, dtype=numpy.int16))


class electronics_technopark_subsidy_building_area(SiteCheck):
    label = "Площадь производственных зданий больше 10 000 м²"
    reference = [ACT]

    def formula(site, period, parameters):
        area = site("site_building_area_m2", period)
        limit = nan_if_none(node(parameters, period, P).min_building_area_m2)
        return from_bool(area > limit, ~(numpy.isnan(area) | numpy.isnan(limit)))


class electronics_technopark_subsidy_companies(SiteCheck):
    label = "В проекте не меньше 3 компаний электронной промышленности (условие отбора 2024 г.)"
    reference = [ACT, "условия отбора 2024 г."]

    def formula(site, period, parameters):
        minimum = nan_if_none(node(parameters, period, P).min_electronics_companies)
        return at_least(site("site_electronics_companies", period), minimum)


class electronics_technopark_subsidy_region_priority(SiteCheck):
    label = "Электронная промышленность — приоритетная отрасль региона (условие отбора 2024 г.)"
    reference = [ACT, "условия отбора 2024 г."]

    def formula(site, period, parameters):
        required = node(parameters, period, P).requires_region_priority
        if required is None:
            return checks(numpy.full(site.count, UNKNOWN, dtype=numpy.int16))
        if not required:
            return checks(numpy.full(site.count, PASSED, dtype=numpy.int16))
        return checks(codes(site("site_electronics_priority_region", period)))


CONDITIONS = ("site_kind", "funded", "building_area", "companies", "region_priority")


class electronics_technopark_subsidy_eligible(SiteCheck):
    label = "Право на субсидию на технопарк электронной промышленности"
    reference = [ACT]

    def formula(site, period, parameters):
        return all_of(*(site(f"{P}_{name}", period) for name in CONDITIONS))


class electronics_technopark_subsidy_amount(SiteAmount):
    label = "Субсидия на технопарк электронной промышленности за все годы, ₽"
    reference = [ACT]

    def formula(site, period, parameters):
        """min(share × costs, cap per region per year × years); the share is an assumption (1.0):
        none was found, so only the cap binds (3 bln ₽ of costs → 900 mln ₽)."""
        p = node(parameters, period, P)
        ceiling = nan_if_none(p.cap_per_region_per_year) * nan_if_none(p.programme_years)
        amount = numpy.minimum(nan_if_none(p.share_max) * site("site_infrastructure_costs_rub", period), ceiling)
        return gate(site(f"{P}_eligible", period), amount)
