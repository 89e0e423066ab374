"""Facts on the date of assessment shared by several measures: registry status, membership, SPIC."""

import numpy

from klaster.rules.common import (
    FAILED,
    PASSED,
    UNKNOWN,
    all_of,
    any_by,
    checks,
    codes,
    day_number,
    from_bool,
    link,
)
from klaster.rules.entities import Firm, Membership, Site
from klaster.rules.variables.bases import DayCheck
from klaster.rules.variables.inputs_site import MembershipRole, RegistryStatus, SiteKind

PP779 = "ПП РФ от 31.07.2015 № 779"
IN_REGISTRY = (RegistryStatus.entered.index, RegistryStatus.reconfirmed.index)
PARTICIPANT_ROLES = (MembershipRole.anchor.index, MembershipRole.participant.index)


def kind_is(site, period, kinds: tuple[SiteKind, ...]):
    """passed when the site's kind is one of `kinds`, unknown when the kind is not given."""
    kind = numpy.asarray(site("site_kind", period))
    return from_bool(numpy.isin(kind, [k.index for k in kinds]), kind != SiteKind.unknown.index)


class site_in_registry(DayCheck):
    entity = Site
    label = "Площадка включена в реестр Минпромторга на дату"
    reference = ["488-ФЗ «О промышленной политике», ст. 19–20; реестры Минпромторга"]

    def formula(site, period, parameters):
        """A status that began after the date says nothing about the date: unknown."""
        day = day_number(period.start)
        status = numpy.asarray(site("site_registry_status", period))
        since = site("site_registry_since", period)
        later = since > day
        out = numpy.where(numpy.isin(status, IN_REGISTRY), PASSED, FAILED)
        out = numpy.where((status == RegistryStatus.unknown.index) | later, UNKNOWN, out)
        return checks(out)


class site_cluster_confirmed(DayCheck):
    entity = Site
    label = "Промышленный кластер в реестре, соответствие требованиям ПП № 779 подтверждено"
    reference = [f"{PP779}, п. 2"]

    def formula(site, period, parameters):
        """An explicit `confirmed_pp779` wins; without it, being in the registry is the confirmation."""
        in_registry = site("site_in_registry", period)
        confirmed = codes(site("site_confirmed_pp779", period))
        confirmed = numpy.where(confirmed == UNKNOWN, codes(in_registry), confirmed)
        return all_of(kind_is(site, period, (SiteKind.industrial_cluster,)), in_registry, confirmed)


class membership_active(DayCheck):
    entity = Membership
    label = "Членство действует на дату"

    def formula(membership, period, parameters):
        """Listed without a start date: counted as current (the registry lists current members)."""
        day = day_number(period.start)
        since = membership("membership_since", period)
        until = membership("membership_until", period)
        started = numpy.isnan(since) | (since <= day)
        ongoing = numpy.isnan(until) | (until >= day)
        return from_bool(started & ongoing)


class membership_participant(DayCheck):
    entity = Membership
    label = "Участник кластера (участник или якорный участник) на дату"

    def formula(membership, period, parameters):
        role = numpy.asarray(membership("membership_role", period))
        is_participant = from_bool(numpy.isin(role, PARTICIPANT_ROLES), role != MembershipRole.unknown.index)
        return all_of(membership("membership_active", period), is_participant)


class membership_in_confirmed_cluster(DayCheck):
    entity = Membership
    label = "Участник подтверждённого промышленного кластера на дату"

    def formula(membership, period, parameters):
        confirmed = link(membership, "membership_site_idx", "site", "site_cluster_confirmed", period, UNKNOWN)
        return all_of(membership("membership_participant", period), confirmed)


class firm_in_confirmed_cluster(DayCheck):
    entity = Firm
    label = "Участник промышленного кластера, подтверждённого по ПП № 779"
    reference = [f"{PP779}; реестр Минпромторга"]

    def formula(firm, period, parameters):
        status = firm.simulation.membership("membership_in_confirmed_cluster", period)
        return any_by(firm, "membership", "membership_firm_idx", period, status)


class firm_okved_manufacturing(DayCheck):
    entity = Firm
    label = "Основной ОКВЭД2 — раздел C «Обрабатывающие производства» (классы 10–33)"
    reference = ["ОКВЭД2 (ОК 029-2014), раздел C"]

    def formula(firm, period, parameters):
        okved = firm("firm_okved_class", period)
        with numpy.errstate(invalid="ignore"):
            return from_bool((okved >= 10) & (okved <= 33), ~numpy.isnan(okved))


class firm_spic_in_force(DayCheck):
    entity = Firm
    label = "Специальный инвестиционный контракт действует на дату"

    def formula(firm, period, parameters):
        day = day_number(period.start)
        version = numpy.asarray(firm("firm_spic_version", period))
        since = firm("firm_spic_since", period)
        until = firm("firm_spic_until", period)
        in_force = (since <= day) & (numpy.isnan(until) | (until > day))
        out = numpy.where(in_force, PASSED, FAILED)
        out = numpy.where(numpy.isnan(since), UNKNOWN, out)
        out = numpy.where(version == 1, FAILED, out)  # SpicVersion.none
        out = numpy.where(version == 0, UNKNOWN, out)  # SpicVersion.unknown
        return checks(out)


def pair_status(left_keys, right_keys, right_codes, n_right: int) -> numpy.ndarray:
    """Three-valued semi-join on (firm, site) pairs: for each left key, the best status among the
    right rows with that key (passed > unknown > failed); failed when there is none. This is how
    "the buyer is a participant of *this project's* cluster" stays right for a firm in two clusters."""
    del n_right
    left_keys = numpy.asarray(left_keys, dtype=numpy.int64)
    right_keys = numpy.asarray(right_keys, dtype=numpy.int64)
    rank = numpy.select([codes(right_codes) == PASSED, codes(right_codes) == UNKNOWN], [2, 1], 0)
    out = numpy.full(len(left_keys), FAILED, dtype=numpy.int16)
    if len(right_keys) == 0:
        return out
    order = numpy.lexsort((rank, right_keys))
    keys_sorted, rank_sorted = right_keys[order], rank[order]
    last = numpy.r_[keys_sorted[1:] != keys_sorted[:-1], True]  # best rank is last within each key
    uniq, best = keys_sorted[last], rank_sorted[last]
    pos = numpy.clip(numpy.searchsorted(uniq, left_keys), 0, len(uniq) - 1)
    found = uniq[pos] == left_keys
    out = numpy.where(found, numpy.select([best[pos] == 2, best[pos] == 1], [PASSED, UNKNOWN], FAILED), FAILED)
    return out.astype(numpy.int16)


def participant_of_site(population, firm_idx, site_idx, period) -> numpy.ndarray:
    """Codes: is firm `firm_idx[i]` a participant of site `site_idx[i]` on the date? Unknown when
    either index is -1 (not given)."""
    sim = population.simulation
    n_sites = max(sim.site.count, 1)
    m = sim.membership
    keys = m("membership_firm_idx", period).astype(numpy.int64) * n_sites + m("membership_site_idx", period)
    status = m("membership_participant", period)
    firm_idx = numpy.asarray(firm_idx, dtype=numpy.int64)
    site_idx = numpy.asarray(site_idx, dtype=numpy.int64)
    out = pair_status(firm_idx * n_sites + site_idx, keys, status, n_sites)
    return numpy.where((firm_idx < 0) | (site_idx < 0), UNKNOWN, out).astype(numpy.int16)
