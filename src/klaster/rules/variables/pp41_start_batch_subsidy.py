"""ПП № 41: reimbursement to cluster participants. One variable per condition, so an answer names
the one that failed. Regimes are dated formulas: joint-project costs (2016–2018), no selections
(2019 – 7 April 2021), new import-substituting products (from 8 April 2021: share unverified, so
unknown), start batches bought from other participants (costs from 2023).

The unit of assessment is an *application*: an applicant and a selection year (the year of the
costs). The cap applies per application across all the applicant's projects (`cap_basis`)."""

import numpy
from openfisca_core.periods import DAY
from openfisca_core.variables import Variable

from klaster.rules.common import (
    FAILED,
    NAN,
    PASSED,
    UNKNOWN,
    all_of,
    any_by,
    checks,
    codes,
    count_by,
    day_number,
    from_bool,
    gate,
    link,
    nan_if_none,
    node,
)
from klaster.rules.entities import Application, Project, Purchase
from klaster.rules.variables.bases import DayCheck
from klaster.rules.variables.inputs_project import COST_TYPES
from klaster.rules.variables.status import participant_of_site

DECREE = "ПП РФ от 28.01.2016 № 41"
AMENDED_2022 = f"{DECREE} в ред. декабря 2022 г. (пункт не установлен)"


def _constant(population, code: int):
    return checks(numpy.full(population.count, code, dtype=numpy.int16))


# ----- the regime -----------------------------------------------------------------------------


class pp41_start_batch_subsidy_selection_open(DayCheck):
    entity = Application
    label = "На дату действует режим предоставления субсидии (проводятся отборы)"
    reference = [DECREE, "новые отборы прекращены с 2019 г.; ред. от 08.04.2021; ред. декабря 2022 г."]

    def formula(application, period, parameters):
        """Before the decree: no measure."""
        return _constant(application, FAILED)

    def formula_2016_01_28(application, period, parameters):
        return _constant(application, PASSED)

    def formula_2019_01_01(application, period, parameters):
        """New selections stopped in 2019; already approved projects stay supported (not modelled)."""
        return _constant(application, FAILED)

    def formula_2021_04_08(application, period, parameters):
        return _constant(application, PASSED)


class pp41_start_batch_subsidy_regime_known(DayCheck):
    entity = Application
    label = "Условия и доля возмещения действующего режима установлены"
    reference = [f"{DECREE} в ред. от 08.04.2021 (пункт не установлен)"]

    def formula(application, period, parameters):
        return _constant(application, PASSED)

    def formula_2021_04_08(application, period, parameters):
        """The 2021 regime's share and sales conditions were not found: unknown, never a guess."""
        return _constant(application, UNKNOWN)

    def formula_2023_01_01(application, period, parameters):
        return _constant(application, PASSED)


class pp41_start_batch_subsidy_applicant_participant(DayCheck):
    entity = Application
    label = "Заявитель — участник промышленного кластера, подтверждённого по ПП № 779"
    reference = [f"{DECREE}, пункт не установлен"]

    def formula(application, period, parameters):
        return checks(link(application, "application_firm_idx", "firm", "firm_in_confirmed_cluster", period, UNKNOWN))


# ----- start batches (costs from 2023): conditions per purchase ---------------------------------


def _project_site(purchase, period):
    return link(purchase, "purchase_project_idx", "project", "project_site_idx", period, -1).astype(numpy.int64)


class pp41_start_batch_subsidy_buyer_in_cluster(DayCheck):
    entity = Purchase
    label = "Покупатель — участник кластера проекта, кластер подтверждён по ПП № 779"
    reference = [AMENDED_2022]

    def formula(purchase, period, parameters):
        site = _project_site(purchase, period)
        confirmed = numpy.where(
            site >= 0,
            codes(link(purchase, "purchase_project_idx", "project", "project_cluster_confirmed", period, UNKNOWN)),
            UNKNOWN,
        )
        member = participant_of_site(purchase, purchase("purchase_buyer_idx", period), site, period)
        return all_of(confirmed, member)


class pp41_start_batch_subsidy_supplier_in_cluster(DayCheck):
    entity = Purchase
    label = "Стартовая партия куплена у другого участника того же кластера"
    reference = [AMENDED_2022]

    def formula(purchase, period, parameters):
        site = _project_site(purchase, period)
        buyer = purchase("purchase_buyer_idx", period)
        supplier = purchase("purchase_supplier_idx", period)
        member = participant_of_site(purchase, supplier, site, period)
        return all_of(member, from_bool(supplier != buyer))


class pp41_start_batch_subsidy_costs_date(DayCheck):
    entity = Purchase
    label = "Затраты понесены не ранее 01.01.2023 и не позднее даты расчёта"
    reference = [AMENDED_2022]

    def formula(purchase, period, parameters):
        start = node(parameters, period, "pp41_start_batch_subsidy").costs_not_before
        when = purchase("purchase_date", period)
        if start is None:  # before the start-batch regime
            return from_bool(numpy.zeros(purchase.count, dtype=bool))
        first = day_number(start)
        return from_bool((when >= first) & (when <= day_number(period.start)), ~numpy.isnan(when))


class pp41_start_batch_subsidy_documented(DayCheck):
    entity = Purchase
    label = "Затраты подтверждены документами"
    reference = [AMENDED_2022]

    def formula(purchase, period, parameters):
        return purchase("purchase_documented", period)


class pp41_start_batch_subsidy_purchase_eligible(DayCheck):
    entity = Purchase
    label = "Закупка стартовой партии возмещается"
    reference = [AMENDED_2022]

    def formula(purchase, period, parameters):
        return all_of(*(purchase(f"pp41_start_batch_subsidy_{name}", period) for name in PURCHASE_CONDITIONS))


PURCHASE_CONDITIONS = ("buyer_in_cluster", "supplier_in_cluster", "costs_date", "documented")


class project_cluster_confirmed(DayCheck):
    entity = Project
    label = "Кластер проекта подтверждён по ПП № 779"

    def formula(project, period, parameters):
        return checks(link(project, "project_site_idx", "site", "site_cluster_confirmed", period, UNKNOWN))


# ----- joint projects (2016–2018): conditions per project, claimed by its lead -----------------


class pp41_start_batch_subsidy_joint_project_eligible(DayCheck):
    entity = Project
    label = "Совместный проект импортозамещения в подтверждённом кластере, головной исполнитель — его участник"
    reference = [f"{DECREE} (ред. 2016–2018), пункт не установлен"]

    def formula(project, period, parameters):
        lead = project("project_lead_idx", period)
        lead_member = participant_of_site(project, lead, project("project_site_idx", period), period)
        return all_of(
            project("project_cluster_confirmed", period), lead_member, project("project_import_substitution", period)
        )


class pp41_start_batch_subsidy_joint_project_costs_rub(Variable):
    value_type = float
    entity = Project
    definition_period = DAY
    unit = "currency-RUB"
    label = "Затраты совместного проекта видов, которые возмещаются (NaN — вид или сумма не установлены)"
    reference = [f"{DECREE} (ред. 2016–2018), пункт не установлен"]

    def formula(project, period, parameters):
        """A cost of a type whose eligibility is unverified makes the sum unknown, not smaller."""
        types = node(parameters, period, "pp41_start_batch_subsidy.joint_project.eligible_cost_types")
        total = numpy.zeros(project.count)
        for name in COST_TYPES:
            amount = project(f"project_costs_{name}_rub", period)
            flag = nan_if_none(getattr(types, name))
            contribution = numpy.where(amount == 0, 0.0, amount * flag)
            total = total + contribution
        return total


# ----- the application ------------------------------------------------------------------------


class pp41_start_batch_subsidy_has_eligible_costs(DayCheck):
    entity = Application
    label = "Есть затраты, которые возмещаются по режиму на дату"
    reference = [DECREE]

    def formula(application, period, parameters):
        return _constant(application, FAILED)

    def formula_2016_01_28(application, period, parameters):
        status = application.simulation.project("pp41_start_batch_subsidy_joint_project_eligible", period)
        return any_by(application, "project", "project_application_idx", period, status)

    def formula_2019_01_01(application, period, parameters):
        return _constant(application, FAILED)

    def formula_2021_04_08(application, period, parameters):
        return _constant(application, UNKNOWN)

    def formula_2023_01_01(application, period, parameters):
        status = application.simulation.purchase("pp41_start_batch_subsidy_purchase_eligible", period)
        return any_by(application, "purchase", "purchase_application_idx", period, status)


APPLICATION_CONDITIONS = ("selection_open", "regime_known", "applicant_participant", "has_eligible_costs")


class pp41_start_batch_subsidy_eligible(DayCheck):
    entity = Application
    label = "Право на субсидию по ПП № 41"
    reference = [DECREE]

    def formula(application, period, parameters):
        return all_of(*(application(f"pp41_start_batch_subsidy_{c}", period) for c in APPLICATION_CONDITIONS))


class pp41_start_batch_subsidy_costs_rub(Variable):
    value_type = float
    entity = Application
    definition_period = DAY
    unit = "currency-RUB"
    label = "Затраты заявителя, которые возмещаются (по всем его проектам за год)"

    def formula(application, period, parameters):
        return numpy.zeros(application.count)

    def formula_2016_01_28(application, period, parameters):
        project = application.simulation.project
        ok = codes(project("pp41_start_batch_subsidy_joint_project_eligible", period)) == PASSED
        costs = project("pp41_start_batch_subsidy_joint_project_costs_rub", period)
        return count_by(application, "project", "project_application_idx", period, numpy.where(ok, costs, 0.0))

    def formula_2019_01_01(application, period, parameters):
        return numpy.zeros(application.count)

    def formula_2023_01_01(application, period, parameters):
        purchase = application.simulation.purchase
        ok = codes(purchase("pp41_start_batch_subsidy_purchase_eligible", period)) == PASSED
        amounts = numpy.where(ok, purchase("purchase_amount_rub", period), 0.0)
        return count_by(application, "purchase", "purchase_application_idx", period, amounts)


class pp41_start_batch_subsidy_costs_unknown_rub(Variable):
    value_type = float
    entity = Application
    definition_period = DAY
    unit = "currency-RUB"
    label = "Затраты, возмещение которых не установлено (условие «неизвестно»)"

    def formula(application, period, parameters):
        return numpy.zeros(application.count)

    def formula_2023_01_01(application, period, parameters):
        purchase = application.simulation.purchase
        unknown = codes(purchase("pp41_start_batch_subsidy_purchase_eligible", period)) == UNKNOWN
        amounts = numpy.where(unknown, purchase("purchase_amount_rub", period), 0.0)
        return count_by(application, "purchase", "purchase_application_idx", period, amounts)


def cap_per_applicant_total(application, period, uncapped, cap) -> numpy.ndarray:
    """`per_applicant_total`: the cap runs over all the applicant's years, earliest first."""
    firm = application("application_firm_idx", period)
    year = application("application_year", period)
    order = numpy.lexsort((year, firm))
    u = numpy.nan_to_num(uncapped[order])
    f = firm[order]
    cum = numpy.cumsum(u)
    first = numpy.r_[True, f[1:] != f[:-1]]
    group_start = numpy.maximum.accumulate(numpy.where(first, numpy.arange(len(f)), 0))
    before = numpy.where(group_start > 0, cum[group_start - 1], 0.0) if len(f) else cum
    within = numpy.minimum(cum - before, cap)
    prev = numpy.r_[0.0, within[:-1]]
    prev = numpy.where(first, 0.0, prev)
    out = numpy.empty_like(u)
    out[order] = within - prev
    return numpy.where(numpy.isnan(uncapped), NAN, out)


class pp41_start_batch_subsidy_amount(Variable):
    value_type = float
    entity = Application
    definition_period = DAY
    unit = "currency-RUB"
    label = "Субсидия по ПП № 41, ₽"
    reference = [DECREE]

    def formula(application, period, parameters):
        return numpy.zeros(application.count)

    def formula_2016_01_28(application, period, parameters):
        """Up to 50 % of the costs; no cap was found for this regime."""
        share = nan_if_none(node(parameters, period, "pp41_start_batch_subsidy.joint_project").share_max)
        costs = application("pp41_start_batch_subsidy_costs_rub", period)
        return gate(application("pp41_start_batch_subsidy_eligible", period), share * costs)

    def formula_2019_01_01(application, period, parameters):
        return numpy.zeros(application.count)

    def formula_2021_04_08(application, period, parameters):
        """Share unverified: unknown whenever eligibility does not fail."""
        return gate(application("pp41_start_batch_subsidy_eligible", period), numpy.full(application.count, NAN))

    def formula_2023_01_01(application, period, parameters):
        """min(share × eligible costs, cap). Purchases of unknown status make the amount unknown,
        unless the known ones already reach the cap."""
        p = node(parameters, period, "pp41_start_batch_subsidy")
        share, cap = nan_if_none(p.share_max), nan_if_none(p.cap_per_applicant)
        uncapped = share * application("pp41_start_batch_subsidy_costs_rub", period)
        if p.cap_basis == "per_applicant_total":
            capped = cap_per_applicant_total(application, period, uncapped, cap)
        else:
            capped = numpy.minimum(uncapped, cap)
        pending = application("pp41_start_batch_subsidy_costs_unknown_rub", period) > 0
        amount = numpy.where(pending & (capped < cap), NAN, capped)
        return gate(application("pp41_start_batch_subsidy_eligible", period), amount)
