"""ПП № 1119: reimbursement of park and technopark infrastructure costs, paid through the region."""

import numpy

from klaster.rules.common import all_of, at_most, day_number, gate, nan_if_none, node
from klaster.rules.schedule import add_years
from klaster.rules.variables.inputs_site import Ownership, SiteKind
from klaster.rules.variables.site_common import SiteAmount, SiteCheck
from klaster.rules.variables.status import kind_is

DECREE = "ПП РФ от 30.10.2014 № 1119"
CLAUSE = f"{DECREE}, пункт не установлен"
P = "p1119_infrastructure_reimbursement"
TECHNOPARKS = (SiteKind.industrial_technopark, SiteKind.hightech_technopark)


def _is_park(site, period) -> numpy.ndarray:
    return numpy.asarray(site("site_kind", period)) == SiteKind.industrial_park.index


class p1119_infrastructure_reimbursement_site_kind(SiteCheck):
    label = "Площадка — индустриальный парк или технопарк"
    reference = [DECREE]

    def formula(site, period, parameters):
        return kind_is(site, period, (SiteKind.industrial_park, *TECHNOPARKS))


class p1119_infrastructure_reimbursement_in_registry(SiteCheck):
    label = "Парк (технопарк) включён в реестр Минпромторга по ПП № 794 или № 1863"
    reference = [CLAUSE, "ПП РФ от 04.08.2015 № 794; ПП РФ от 27.12.2019 № 1863"]

    def formula(site, period, parameters):
        return site("site_in_registry", period)


class p1119_infrastructure_reimbursement_claim_deadline(SiteCheck):
    label = "Первая заявка подана не позднее 7 лет (парк) или 15 лет (технопарк) от начала проекта"
    reference = ["Правила, п. 46 «а» (отнесение к ПП № 1119 выведено)"]

    def formula(site, period, parameters):
        p = node(parameters, period, P).claim_deadline_years
        years = numpy.where(_is_park(site, period), nan_if_none(p.park), nan_if_none(p.technopark))
        deadline = add_years(site("site_project_start", period), years)
        claim = site("site_p1119_claim_date", period)
        claim = numpy.where(numpy.isnan(claim), day_number(period.start), claim)
        return at_most(claim, deadline)


CONDITIONS = ("site_kind", "in_registry", "claim_deadline")


class p1119_infrastructure_reimbursement_eligible(SiteCheck):
    label = "Право на возмещение затрат на инфраструктуру по ПП № 1119"
    reference = [DECREE]

    def formula(site, period, parameters):
        return all_of(*(site(f"{P}_{name}", period) for name in CONDITIONS))


class p1119_infrastructure_reimbursement_amount(SiteAmount):
    label = "Возмещение по ПП № 1119, ₽"
    reference = [CLAUSE]

    def formula(site, period, parameters):
        """min(share × costs, norm × size), bounded by the residents' federal taxes (an assumption:
        the bound's formula is unverified). Share by the management company's ownership."""
        p = node(parameters, period, P)
        ownership = numpy.asarray(site("site_ownership", period))
        share = numpy.select(
            [
                ownership == Ownership.private.index,
                ownership == Ownership.state.index,
                ownership == Ownership.public_private.index,
            ],
            [nan_if_none(p.share.private), nan_if_none(p.share.state), nan_if_none(p.share.public_private)],
            numpy.nan,
        )
        norm_total = numpy.where(
            _is_park(site, period),
            nan_if_none(p.norm_per_ha_park) * site("site_area_ha", period),
            nan_if_none(p.norm_per_m2_technopark) * site("site_building_area_m2", period),
        )
        amount = numpy.minimum(share * site("site_infrastructure_costs_rub", period), norm_total)
        if p.residents_taxes_bound:
            amount = numpy.minimum(amount, site("site_residents_federal_taxes_rub", period))
        return gate(site(f"{P}_eligible", period), amount)
