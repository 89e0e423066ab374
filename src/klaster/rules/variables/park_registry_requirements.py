"""ПП № 794 (industrial parks) and ПП № 1863 (industrial technoparks): the numeric thresholds are
unverified (null), so these checks answer unknown until a scenario supplies the values."""

import numpy

from klaster.rules.common import PASSED, all_of, at_least, checks, codes, count_by, nan_if_none, node
from klaster.rules.variables.inputs_site import MembershipRole, SiteKind
from klaster.rules.variables.site_common import SiteCheck
from klaster.rules.variables.status import kind_is

PARKS = "ПП РФ от 04.08.2015 № 794, Требования, пункт не установлен"
TECHNOPARKS = "ПП РФ от 27.12.2019 № 1863, Требования, пункт не установлен"
P = "park_registry_requirements"


def _kind(site, period, kind: SiteKind) -> numpy.ndarray:
    return numpy.asarray(site("site_kind", period)) == kind.index


class park_registry_requirements_site_kind(SiteCheck):
    label = "Площадка — индустриальный парк или промышленный технопарк"
    reference = [PARKS, TECHNOPARKS]

    def formula(site, period, parameters):
        return kind_is(site, period, (SiteKind.industrial_park, SiteKind.industrial_technopark))


class park_registry_requirements_park_area(SiteCheck):
    label = "Парк: площадь территории не меньше минимальной (для технопарка не применяется)"
    reference = [PARKS]

    def formula(site, period, parameters):
        minimum = nan_if_none(node(parameters, period, P).park_min_area_ha)
        out = codes(at_least(site("site_area_ha", period), minimum))
        return checks(numpy.where(_kind(site, period, SiteKind.industrial_park), out, PASSED))


class park_registry_requirements_park_residents(SiteCheck):
    label = "Парк: резидентов не меньше минимального числа (для технопарка не применяется)"
    reference = [PARKS]

    def formula(site, period, parameters):
        minimum = nan_if_none(node(parameters, period, P).park_min_residents)
        membership = site.simulation.membership
        resident = (numpy.asarray(membership("membership_role", period)) == MembershipRole.resident.index) & (
            codes(membership("membership_active", period)) == PASSED
        )
        count = count_by(site, "membership", "membership_site_idx", period, resident)
        out = codes(at_least(count, minimum))
        return checks(numpy.where(_kind(site, period, SiteKind.industrial_park), out, PASSED))


class park_registry_requirements_technopark_building_area(SiteCheck):
    label = "Технопарк: площадь зданий не меньше минимальной (для парка не применяется)"
    reference = [TECHNOPARKS]

    def formula(site, period, parameters):
        minimum = nan_if_none(node(parameters, period, P).technopark_min_building_area_m2)
        out = codes(at_least(site("site_building_area_m2", period), minimum))
        return checks(numpy.where(_kind(site, period, SiteKind.industrial_technopark), out, PASSED))


CONDITIONS = ("site_kind", "park_area", "park_residents", "technopark_building_area")


class park_registry_requirements_eligible(SiteCheck):
    label = "Площадка соответствует требованиям ПП № 794 / № 1863"
    reference = [PARKS, TECHNOPARKS]

    def formula(site, period, parameters):
        return all_of(*(site(f"{P}_{name}", period) for name in CONDITIONS))
