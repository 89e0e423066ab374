"""ПП № 779: requirements for an industrial cluster, checked on the whole cluster with its members.
The 2021 amendment (inferred: ПП № 1956 of 16.11.2021) added the 10 % special-territory rule, the
cap of 3 not-yet-producing participants and their 3-year grace for contracts: dated formulas."""

import numpy

from klaster.rules.common import (
    FAILED,
    PASSED,
    UNKNOWN,
    all_by,
    all_of,
    any_of,
    at_least,
    checks,
    codes,
    count_by,
    day_number,
    link,
    nan_if_none,
    node,
)
from klaster.rules.schedule import add_years
from klaster.rules.variables.inputs_firm import SpicVersion
from klaster.rules.variables.inputs_site import SiteKind
from klaster.rules.variables.site_common import SiteCheck
from klaster.rules.variables.status import kind_is

DECREE = "ПП РФ от 31.07.2015 № 779"
REQ = f"{DECREE}, Требования, пункт не установлен"
AMENDED = f"{DECREE} в ред. ПП от 16.11.2021 № 1956 (выведено), пункт не установлен"
P = "cluster_registry_requirements"


def _participants(site, period):
    """Codes per membership: active participant (passed), not one (failed), unknown."""
    return codes(site.simulation.membership("membership_participant", period))


class cluster_registry_requirements_site_kind(SiteCheck):
    label = "Площадка — промышленный кластер"
    reference = [DECREE]

    def formula(site, period, parameters):
        return kind_is(site, period, (SiteKind.industrial_cluster,))


def _contract_status(site, period, grace_years):
    membership = site.simulation.membership
    spic = link(membership, "membership_firm_idx", "firm", "firm_spic_version", period, SpicVersion.unknown.index)
    spic_party = numpy.select([spic == SpicVersion.unknown.index, numpy.isin(spic, [2, 3])], [UNKNOWN, PASSED], FAILED)
    own = any_of(membership("membership_has_contract", period), spic_party)
    if grace_years is not None:
        joined = membership("membership_since", period)
        in_grace = (codes(membership("membership_producing", period)) == FAILED) & (
            add_years(joined, grace_years) > day_number(period.start)
        )
        own = checks(numpy.where(in_grace, PASSED, codes(own)))
    role = _participants(site, period)
    return checks(numpy.where(role == FAILED, PASSED, numpy.where(role == UNKNOWN, UNKNOWN, codes(own))))


class cluster_registry_requirements_contracts(SiteCheck):
    label = "Каждый участник имеет договор с другим участником или является стороной СПИК"
    reference = [f"{DECREE}, Требования, подпункт «а»"]

    def formula(site, period, parameters):
        status = _contract_status(site, period, None)
        return all_by(site, "membership", "membership_site_idx", period, status)

    def formula_2021_11_16(site, period, parameters):
        """Not-yet-producing participants have a grace period to sign cooperation contracts."""
        grace = node(parameters, period, P).contract_grace_years
        status = _contract_status(site, period, grace)
        return all_by(site, "membership", "membership_site_idx", period, status)


class cluster_registry_requirements_functional_dependence(SiteCheck):
    label = "Функциональная зависимость не ниже 20 % (10 % при ≥ 30 % участников на особых территориях)"
    reference = [REQ, AMENDED]

    def formula(site, period, parameters):
        minimum = nan_if_none(node(parameters, period, P).functional_dependence_min)
        return at_least(site("site_functional_dependence_share", period), minimum)

    def formula_2021_11_16(site, period, parameters):
        p = node(parameters, period, P)
        share = site("site_functional_dependence_share", period)
        general = codes(at_least(share, nan_if_none(p.functional_dependence_min)))
        special_ok = codes(at_least(share, nan_if_none(p.functional_dependence_min_special)))
        territory = codes(
            at_least(site("site_special_territory_share", period), nan_if_none(p.special_territory_share_threshold))
        )
        lower = all_of(special_ok, territory)
        return checks(numpy.where(general == PASSED, PASSED, codes(any_of(general, lower))))


class cluster_registry_requirements_not_yet_producing(SiteCheck):
    label = "Не больше 3 участников, ещё не выпускающих продукцию"
    reference = [AMENDED]

    def formula(site, period, parameters):
        return checks(numpy.full(site.count, PASSED, dtype=numpy.int16))

    def formula_2021_11_16(site, period, parameters):
        limit = nan_if_none(node(parameters, period, P).max_not_yet_producing)
        membership = site.simulation.membership
        role = _participants(site, period)
        producing = codes(membership("membership_producing", period))
        sure = count_by(site, "membership", "membership_site_idx", period, (role == PASSED) & (producing == FAILED))
        maybe = count_by(site, "membership", "membership_site_idx", period, (role != FAILED) & (producing != PASSED))
        return checks(numpy.select([sure > limit, maybe <= limit], [FAILED, PASSED], UNKNOWN))


class cluster_registry_requirements_participants_min(SiteCheck):
    label = "Не меньше 10 участников (значение 2018 г.; действующее не установлено)"
    reference = [REQ]

    def formula(site, period, parameters):
        minimum = nan_if_none(node(parameters, period, P).participants_min)
        role = _participants(site, period)
        sure = count_by(site, "membership", "membership_site_idx", period, role == PASSED)
        maybe = count_by(site, "membership", "membership_site_idx", period, role != FAILED)
        if numpy.isnan(minimum):
            return checks(numpy.full(site.count, UNKNOWN, dtype=numpy.int16))
        return checks(numpy.select([sure >= minimum, maybe < minimum], [PASSED, FAILED], UNKNOWN))


CONDITIONS = ("site_kind", "contracts", "functional_dependence", "not_yet_producing", "participants_min")


class cluster_registry_requirements_eligible(SiteCheck):
    label = "Кластер соответствует требованиям ПП № 779"
    reference = [DECREE]

    def formula(site, period, parameters):
        return all_of(*(site(f"{P}_{name}", period) for name in CONDITIONS))
